import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy, familyNotFound } from '../../../platform/auth/family-access';
import { StreamReader } from '../../../platform/commands/stream-reader';
import type { AuthenticatedRequest } from '../../../platform/http/command-http';
import { FamilyIdParam } from '../../../platform/http/command-http';
import { SensitiveReadLog } from '../../audit';
import { familyCommands } from '../families.commands';

class HistoryQuery extends createZodDto(
  z.strictObject({
    asOf: z.iso.datetime({ offset: true }).max(35).optional().describe("Rejouer l'historique jusqu'à cet instant (inclus)"),
  }),
) {}

/** Auditors (and staff) replay a family's whole history and see its record as it was at an instant. */
@ApiTags('Audit')
@ApiBearerAuth()
@Controller('families/:familyId/history')
export class FamilyHistoryController {
  constructor(
    private readonly reader: StreamReader,
    private readonly access: FamilyAccessPolicy,
    private readonly sensitiveReads: SensitiveReadLog,
  ) {}

  @Get()
  @Roles('auditor', 'staff', 'admin')
  @ApiOperation({ summary: "Historique complet d'une famille (événements) et dossier tel qu'il était à une date" })
  async history(@Param() p: FamilyIdParam, @Query() query: HistoryQuery, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const replayed = await this.reader.replay(familyCommands, p.familyId, query.asOf);
    if (replayed.stored.length === 0 && (await this.reader.state(familyCommands, p.familyId)).revision < 0) throw familyNotFound();
    await this.sensitiveReads.record(
      rq.principal,
      p.familyId,
      ['health', 'bank', 'history'],
      'GET /families/:familyId/history',
      rq.id ?? '',
    );
    return {
      familyId: p.familyId,
      asOf: query.asOf ?? null,
      revision: replayed.revision,
      record: replayed.state.record,
      requests: replayed.state.requests,
      events: replayed.stored.map((e, i) => ({
        revision: e.revision,
        type: e.type,
        recordedAt: e.recordedAt,
        userId: e.metadata['userId'],
        role: e.metadata['role'],
        correlationId: e.metadata['correlationId'],
        data: replayed.events[i].data,
      })),
    };
  }
}
