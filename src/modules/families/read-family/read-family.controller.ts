import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { subMonths } from 'date-fns';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { familyRecordOf } from '../../../../projections/family-record/family-record.queries';
import {
  REQUEST_SECTION_LABELS,
  REQUEST_STATE_LABELS,
  REQUEST_TYPE_LABELS,
} from '../../../../projections/family-requests/family-requests.projection';
import { familyRequestList } from '../../../../projections/family-requests/family-requests.queries';
import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy, familyNotFound } from '../../../platform/auth/family-access';
import type { Clock } from '../../../platform/clock/clock';
import { AuthenticatedRequest, FamilyIdParam, type HttpResponse, setRevision } from '../../../platform/http/command-http';
import { ReadModels } from '../../../platform/projections/read-models';
import { CLOCK } from '../../../platform/tokens';
import { SensitiveReadLog } from '../../audit';
import { changeCategorySchema } from '../families.schemas';
import { CHANGE_CATEGORIES, CHANGE_CATEGORY_LABELS, CHANGE_REQUEST_STATUS_LABELS } from '../families.types';

class RequestListQuery extends createZodDto(
  z.strictObject({
    section: z.enum(['account', 'children']).optional().describe('« Mon compte » (account) ou « Mes enfants » (children)'),
    type: z
      .enum([...CHANGE_CATEGORIES, 'reservation', 'absence', 'document'])
      .optional()
      .describe('Type de demande : une rubrique de « Mon compte », Réservations, Absences ou Documents'),
    category: changeCategorySchema.optional().describe('Rubrique de « Mon compte » (comme type)'),
    status: z.enum(['pending', 'accepted', 'refused', 'waiting-list', 'offered', 'cancelled']).optional().describe('État de la demande'),
  }),
) {}

/** "Mon compte" (the family record) and "Liste des demandes" (requests of the last month). */
@ApiTags('Dossier famille')
@ApiBearerAuth()
@Controller('families/:familyId')
export class ReadFamilyController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly access: FamilyAccessPolicy,
    private readonly sensitiveReads: SensitiveReadLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('parent', 'staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Dossier famille : responsable, conjoint, informations fiscales, CAF, bancaires, enfants' })
  async record(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const record = await familyRecordOf(this.readModels, p.familyId);
    if (!record) throw familyNotFound();
    await this.sensitiveReads.record(rq.principal, p.familyId, ['health', 'bank'], 'GET /families/:familyId', rq.id ?? '');
    setRevision(rs, record.revision);
    return { ...record, children: this.access.visibleChildren(rq.principal, record.children) };
  }

  @Get('requests')
  @Roles('parent', 'staff', 'admin', 'auditor')
  @ApiOperation({
    summary: 'Liste des demandes de moins d’un mois : en attente, acceptées (avec date), refusées (avec date et motif)',
  })
  async requests(@Param() p: FamilyIdParam, @Query() query: RequestListQuery, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    // Requests carry the changes asked for, health data and bank details included.
    await this.sensitiveReads.record(rq.principal, p.familyId, ['health', 'bank'], 'GET /families/:familyId/requests', rq.id ?? '');
    const since = subMonths(this.clock.now(), 1).toISOString();
    const { category, ...filter } = query;
    if (category && filter.type && category !== filter.type) return this.list(since, []);
    const documents = await familyRequestList(this.readModels, { familyId: p.familyId, since, ...filter, type: filter.type ?? category });
    const restricted = rq.principal.role === 'parent' ? rq.principal.childIds : undefined;
    return this.list(
      since,
      documents.filter((i) => !restricted || typeof i.childId !== 'string' || restricted.includes(i.childId)),
    );
  }

  private list<T extends { status: string }>(since: string, items: T[]) {
    const byStatus = (status: string) => items.filter((i) => i.status === status);
    return {
      since,
      sections: REQUEST_SECTION_LABELS,
      types: REQUEST_TYPE_LABELS,
      categories: CHANGE_CATEGORY_LABELS,
      statuses: { ...CHANGE_REQUEST_STATUS_LABELS, ...REQUEST_STATE_LABELS },
      items,
      pending: byStatus('pending'),
      accepted: byStatus('accepted'),
      refused: byStatus('refused'),
      waitingList: byStatus('waiting-list'),
      offered: byStatus('offered'),
      cancelled: byStatus('cancelled'),
    };
  }
}
