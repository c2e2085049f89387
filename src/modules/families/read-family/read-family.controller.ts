import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { subMonths } from 'date-fns';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy, familyNotFound } from '../../../platform/auth/family-access';
import type { Clock } from '../../../platform/clock/clock';
import { AuthenticatedRequest, setRevision } from '../../../platform/http/command-http';
import { strip } from '../../../platform/http/command-http';
import { CLOCK } from '../../../platform/tokens';
import { SensitiveReadLog } from '../../audit/sensitive-read-log';
import { changeCategorySchema, changeRequestStatusSchema } from '../families.schemas';
import { CHANGE_CATEGORY_LABELS, CHANGE_REQUEST_STATUS_LABELS } from '../families.types';
import { FamilyIdParam } from '../family-commands/family-id.param';
import { GetFamilyRecordQuery, ListFamilyRequestsQuery } from './family-queries';

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
    private readonly queries: QueryBus,
    private readonly access: FamilyAccessPolicy,
    private readonly sensitiveReads: SensitiveReadLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('parent', 'staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Dossier famille : responsable, conjoint, informations fiscales, CAF, bancaires, enfants' })
  async record(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: Response) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const document = await this.queries.execute(new GetFamilyRecordQuery(p.familyId));
    if (!document) throw familyNotFound();
    await this.sensitiveReads.record(rq.principal, p.familyId, ['health', 'bank'], 'GET /families/:familyId', rq.id ?? '');
    const revision = document.data['revision'];
    if (typeof revision === 'number') setRevision(rs, revision);
    const record = strip(document.data);
    const children = (record['children'] as { childId: string }[] | undefined) ?? [];
    return { ...record, children: this.access.visibleChildren(rq.principal, children) };
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
    const documents = await this.queries.execute(new ListFamilyRequestsQuery(p.familyId, since, query.category, query.status));
    const restricted = rq.principal.role === 'parent' ? rq.principal.childIds : undefined;
    const items = documents
      .map((d) => strip(d.data))
      .filter((i) => !restricted || typeof i['childId'] !== 'string' || restricted.includes(i['childId']));
    const byStatus = (status: string) => items.filter((i) => i['status'] === status);
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
