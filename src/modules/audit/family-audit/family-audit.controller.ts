import { Readable } from 'node:stream';

import { Controller, Get, Inject, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { ALL_PROJECTIONS } from '../../../../projections';
import { familyRecordProjection } from '../../../../projections/family-record/family-record.projection';
import { planningGridProjection } from '../../../../projections/planning-grid/planning-grid.projection';
import { gridDocumentId } from '../../../../projections/planning-grid/planning-grid.types';
import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy, familyNotFound } from '../../../platform/auth/family-access';
import type { Clock } from '../../../platform/clock/clock';
import { DomainError } from '../../../platform/domain/domain-error';
import { bodyId, patternText } from '../../../platform/domain/text';
import type { EventStore } from '../../../platform/event-store/event-store.port';
import { EventSerializer } from '../../../platform/events/event-serializer';
import { type AuthenticatedRequest, FamilyIdParam, type HttpResponse } from '../../../platform/http/command-http';
import { FamilyReplay } from '../../../platform/projections/family-replay';
import { CLOCK, EVENT_STORE } from '../../../platform/tokens';
import { SensitiveReadLog } from '../sensitive-read-log';
import { CSV_COLUMNS, csvLine, HISTORY_CONTEXTS, type HistoryFilter, type HistoryRow, historyRow, matches } from './family-events';

/** events read from the family index per round trip while a page of the history is filled */
const HISTORY_SCAN_PAGE = 500;

const instant = (what: string) => z.iso.datetime({ offset: true }).max(40).describe(what);

class HistoryQuery extends createZodDto(
  z.strictObject({
    types: patternText(/^[A-Za-z]+(,[A-Za-z]+)*$/, "Types d'événements invalides : noms séparés par des virgules.")
      .optional()
      .describe("Types d'événements, séparés par des virgules (ex. ReservationRequested,PlaceAllocated)"),
    context: z.enum(HISTORY_CONTEXTS).optional().describe('Contexte : families, planning, identity, audit, billing, inbox'),
    from: instant('Depuis cet instant (inclus)').optional(),
    to: instant("Jusqu'à cet instant (inclus)").optional(),
    cursor: patternText(/^\d{1,15}$/, 'Curseur invalide.')
      .optional()
      .describe('Curseur de la page suivante (nextCursor)'),
    limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Événements par page (1 à 1000)'),
  }),
) {}

class ExportQuery extends createZodDto(
  z.strictObject({
    format: z.enum(['jsonl', 'csv']).describe('JSON Lines ou CSV'),
    types: HistoryQuery.schema.shape.types,
    context: HistoryQuery.schema.shape.context,
    from: HistoryQuery.schema.shape.from,
    to: HistoryQuery.schema.shape.to,
  }),
) {}

class StateQuery extends createZodDto(
  z.strictObject({
    at: instant("L'instant rejoué"),
    childId: bodyId("Identifiant de l'enfant").optional(),
    month: patternText(/^\d{4}-(0[1-9]|1[0-2])$/, 'Mois invalide : format attendu AAAA-MM.')
      .optional()
      .describe('Mois du planning (AAAA-MM), celui de `at` par défaut'),
  }),
) {}

/** Runner fields of stored documents are not part of what a reader sees. */
function withoutRunnerFields(document: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!document) return null;
  return Object.fromEntries(Object.entries(document).filter(([key]) => !key.startsWith('_')));
}

/**
 * The auditors' view of one family: its whole history across all its streams (paged with a cursor, or
 * downloaded as JSON Lines / CSV, streamed), its state at an instant replayed from the log beside today's,
 * and the consistency of its read models with the log.
 */
@ApiTags('Audit')
@ApiBearerAuth()
@Controller('families/:familyId/audit')
export class FamilyAuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly serializer: EventSerializer,
    private readonly replay: FamilyReplay,
    private readonly access: FamilyAccessPolicy,
    private readonly sensitiveReads: SensitiveReadLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private async reach(rq: AuthenticatedRequest, familyId: string, resource: string): Promise<void> {
    await this.access.assertCanReach(rq.principal, familyId);
    // the history holds every change asked for, health data and bank details included
    await this.sensitiveReads.record(rq.principal, familyId, ['health', 'bank', 'history'], resource, rq.id ?? '');
  }

  private row(event: Parameters<typeof historyRow>[0]): HistoryRow {
    return historyRow(event, this.serializer.deserialize(event).data as Record<string, unknown>);
  }

  private filterOf(query: { types?: string; context?: HistoryFilter['context']; from?: string; to?: string }): HistoryFilter {
    return { types: query.types?.split(','), context: query.context, from: query.from, to: query.to };
  }

  @Get('events')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary:
      "Historique complet d'une famille, tous flux confondus, dans l'ordre du journal : qui (utilisateur, rôle), quoi, depuis quelle demande (corrélation, causalité) ; filtres et pagination par curseur",
  })
  async history(@Param() p: FamilyIdParam, @Query() query: HistoryQuery, @Req() rq: AuthenticatedRequest) {
    await this.reach(rq, p.familyId, 'GET /families/:familyId/audit/events');
    const filter = this.filterOf(query);
    const items: HistoryRow[] = [];
    let cursor = query.cursor ? Number(query.cursor) : 0;
    let more = false;
    scan: for (;;) {
      const page = await this.events.readFamily(p.familyId, { fromPosition: cursor, maxCount: HISTORY_SCAN_PAGE });
      for (const event of page) {
        if (items.length === query.limit) {
          more = true;
          break scan;
        }
        cursor = event.position;
        if (matches(filter, event)) items.push(this.row(event));
      }
      if (page.length < HISTORY_SCAN_PAGE) break;
    }
    return { familyId: p.familyId, items, nextCursor: more ? String(cursor) : null };
  }

  @Get('events/export')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: "Téléchargement de l'historique complet (JSON Lines ou CSV), produit au fil de la lecture" })
  async export(
    @Param() p: FamilyIdParam,
    @Query() query: ExportQuery,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ): Promise<StreamableFile> {
    await this.reach(rq, p.familyId, 'GET /families/:familyId/audit/events/export');
    const filter = this.filterOf(query);
    const csv = query.format === 'csv';
    const rows = async function* (this: FamilyAuditController): AsyncGenerator<string> {
      if (csv) yield `${CSV_COLUMNS.join(',')}\r\n`;
      for await (const page of this.replay.familyEvents(p.familyId)) {
        let chunk = '';
        for (const event of page) {
          if (!matches(filter, event)) continue;
          const row = this.row(event);
          chunk += csv ? csvLine(row) : `${JSON.stringify(row)}\n`;
        }
        if (chunk) yield chunk;
      }
    }.call(this);
    const stamp = this.clock.now().toISOString().slice(0, 10);
    rs.header('Cache-Control', 'no-store');
    return new StreamableFile(Readable.from(rows), {
      type: csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      disposition: `attachment; filename="historique-${p.familyId}-${stamp}.${csv ? 'csv' : 'jsonl'}"`,
    });
  }

  @Get('state')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary:
      "État à un instant, rejoué depuis le journal (pas lu dans les modèles de lecture), à côté de l'état d'aujourd'hui : dossier famille, planning d'un enfant pour un mois",
  })
  async state(@Param() p: FamilyIdParam, @Query() query: StateQuery, @Req() rq: AuthenticatedRequest) {
    await this.reach(rq, p.familyId, 'GET /families/:familyId/audit/state');
    const today = await this.replay.liveDocument(familyRecordProjection.name, p.familyId);
    if (!today) throw familyNotFound();
    const record = await this.replay.replay(familyRecordProjection, p.familyId, { until: query.at }, (r) => r.get(p.familyId));
    const answer: Record<string, unknown> = {
      familyId: p.familyId,
      at: query.at,
      record: { atInstant: withoutRunnerFields(record), today: withoutRunnerFields(today) },
    };
    if (query.childId) {
      const children = (today.children as { childId: string }[] | undefined) ?? [];
      if (!children.some((c) => c.childId === query.childId)) {
        throw new DomainError('CHILD_NOT_FOUND', 'Enfant introuvable dans cette famille.', 'not_found');
      }
      const month = query.month ?? query.at.slice(0, 7);
      const id = gridDocumentId(p.familyId, query.childId, month);
      const atInstant = await this.replay.replay(planningGridProjection, p.familyId, { until: query.at }, (r) => r.get(id));
      const now = await this.replay.liveDocument(planningGridProjection.name, id);
      answer.planning = { childId: query.childId, month, atInstant: withoutRunnerFields(atInstant), today: withoutRunnerFields(now) };
    }
    return answer;
  }

  @Get('consistency')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary:
      'Contrôle de cohérence : le rejeu du journal de la famille donne exactement les modèles de lecture tenus par les projections (écarts signalés, jamais corrigés)',
  })
  async consistency(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const reports = [];
    for (const definition of this.replay.scoped(ALL_PROJECTIONS)) reports.push(await this.replay.check(definition, p.familyId));
    return {
      familyId: p.familyId,
      checkedAt: this.clock.now().toISOString(),
      consistent: reports.every((r) => r.differences.length === 0),
      projections: reports,
    };
  }
}
