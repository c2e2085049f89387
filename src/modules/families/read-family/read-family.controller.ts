import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { subMonths } from 'date-fns';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { familyRequestsSince } from '../../../../projections/change-requests/change-requests.queries';
import { familyRecordOf } from '../../../../projections/family-record/family-record.queries';
import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy, familyNotFound } from '../../../platform/auth/family-access';
import type { Clock } from '../../../platform/clock/clock';
import { AuthenticatedRequest, FamilyIdParam, type HttpResponse, setRevision } from '../../../platform/http/command-http';
import { ReadModels } from '../../../platform/projections/read-models';
import { CLOCK } from '../../../platform/tokens';
import { SensitiveReadLog } from '../../audit';
import { changeCategorySchema, changeRequestStatusSchema } from '../families.schemas';
import { CHANGE_CATEGORY_LABELS, CHANGE_REQUEST_STATUS_LABELS } from '../families.types';

class RequestListQuery extends createZodDto(
  z.strictObject({
    category: changeCategorySchema.optional(),
    status: changeRequestStatusSchema.optional(),
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
    const documents = await familyRequestsSince(this.readModels, { familyId: p.familyId, since, ...query });
    const restricted = rq.principal.role === 'parent' ? rq.principal.childIds : undefined;
    const items = documents.filter((i) => !restricted || typeof i.childId !== 'string' || restricted.includes(i.childId));
    const byStatus = (status: string) => items.filter((i) => i.status === status);
    return {
      since,
      categories: CHANGE_CATEGORY_LABELS,
      statuses: CHANGE_REQUEST_STATUS_LABELS,
      pending: byStatus('pending'),
      accepted: byStatus('accepted'),
      refused: byStatus('refused'),
    };
  }
}
