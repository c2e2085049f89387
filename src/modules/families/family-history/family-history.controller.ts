import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy, familyNotFound } from '../../../platform/auth/family-access';
import { fold } from '../../../platform/domain/decider';
import type { EventStore } from '../../../platform/event-store/event-store.port';
import { EventSerializer } from '../../../platform/events/event-serializer';
import type { AuthenticatedRequest } from '../../../platform/http/command-http';
import { EVENT_STORE } from '../../../platform/tokens';
import { SensitiveReadLog } from '../../audit/sensitive-read-log';
import { familiesDecider } from '../families.decider';
import { FamilyEvent, familyStream } from '../families.events';
import { FamilyIdParam } from '../family-commands/family-id.param';

class HistoryQuery extends createZodDto(
  z.strictObject({
    asOf: z.iso.datetime({ offset: true }).optional().describe("Rejouer l'historique jusqu'à cet instant (inclus)"),
  }),
) {}

/** Auditors (and staff) replay a family's whole history and see its record as it was at an instant. */
@ApiTags('Audit')
@ApiBearerAuth()
@Controller('families/:familyId/history')
export class FamilyHistoryController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly serializer: EventSerializer,
    private readonly access: FamilyAccessPolicy,
    private readonly sensitiveReads: SensitiveReadLog,
  ) {}

  @Get()
  @Roles('auditor', 'staff', 'admin')
  @ApiOperation({ summary: "Historique complet d'une famille (événements) et dossier tel qu'il était à une date" })
  async history(@Param() p: FamilyIdParam, @Query() query: HistoryQuery, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const stored = await this.events.readStream(familyStream(p.familyId));
    if (stored.length === 0) throw familyNotFound();
    await this.sensitiveReads.record(
      rq.principal,
      p.familyId,
      ['health', 'bank', 'history'],
      'GET /families/:familyId/history',
      rq.id ?? '',
    );
    const until = query.asOf ? Date.parse(query.asOf) : Number.POSITIVE_INFINITY;
    const replayed = stored.filter((e) => Date.parse(e.recordedAt) <= until);
    const state = fold(
      familiesDecider,
      replayed.map((e) => this.serializer.deserialize<FamilyEvent>(e)),
    );
    return {
      familyId: p.familyId,
      asOf: query.asOf ?? null,
      revision: replayed.length - 1,
      record: state.record,
      requests: state.requests,
      events: replayed.map((e) => ({
        revision: e.revision,
        type: e.type,
        recordedAt: e.recordedAt,
        userId: e.metadata['userId'],
        role: e.metadata['role'],
        correlationId: e.metadata['correlationId'],
        data: this.serializer.deserialize(e).data,
      })),
    };
  }
}
