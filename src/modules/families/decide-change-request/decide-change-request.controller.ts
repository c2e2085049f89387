import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { pendingRequests } from '../../../../projections/staff-queue/staff-queue.queries';
import { Roles } from '../../../platform/auth/auth.decorators';
import { scopeFilter } from '../../../platform/auth/family-access';
import { isoDate, opaqueText } from '../../../platform/domain/text';
import { AuthenticatedRequest, FamilyRequestParams, type HttpResponse, pathId } from '../../../platform/http/command-http';
import { ReadModels } from '../../../platform/projections/read-models';
import { acceptChangeRequestBodySchema, changeCategorySchema, refuseChangeRequestBodySchema } from '../families.schemas';
import { FamilyEndpoint } from '../family-endpoint';

class AcceptBody extends createZodDto(acceptChangeRequestBodySchema) {}
class RefuseChangeRequestBody extends createZodDto(refuseChangeRequestBodySchema) {}

const instant = z.iso.datetime({ offset: true }).max(35);
class StaffQueueQuery extends createZodDto(
  z.strictObject({
    category: changeCategorySchema.optional(),
    familyId: pathId.optional(),
    from: z.union([isoDate(), instant]).optional().describe('Demandes reçues à partir de (date ou instant)'),
    to: z.union([isoDate(), instant]).optional().describe('Demandes reçues avant (date ou instant, exclu)'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: opaqueText(2000, 'Curseur').optional(),
  }),
) {}

/** Staff: the queue of pending requests, and the decision on each one. */
@ApiTags('Demandes de modification (agents)')
@ApiBearerAuth()
@Controller()
export class DecideChangeRequestController {
  constructor(
    private readonly endpoint: FamilyEndpoint,
    private readonly readModels: ReadModels,
  ) {}

  @Get('staff/requests')
  @Roles('staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Demandes en attente, les plus anciennes d’abord (filtres : catégorie, famille, dates)' })
  async queue(@Query() query: StaffQueueQuery, @Req() rq: AuthenticatedRequest) {
    const { category, familyId, from, to, limit, cursor } = query;
    const communes = scopeFilter(rq.principal);
    return pendingRequests(this.readModels, { category, familyId, from, to, communes }, { limit, cursor });
  }

  @Post('families/:familyId/requests/:requestId/accept')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Accepter une demande : la modification est appliquée au dossier famille' })
  accept(
    @Param() p: FamilyRequestParams,
    @Body() _body: AcceptBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    return this.endpoint.send(rq, rs, p.familyId, { type: 'AcceptChangeRequest', requestId: p.requestId });
  }

  @Post('families/:familyId/requests/:requestId/refuse')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Refuser une demande, avec un motif communiqué à la famille' })
  refuse(
    @Param() p: FamilyRequestParams,
    @Body() body: RefuseChangeRequestBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    return this.endpoint.send(rq, rs, p.familyId, { type: 'RefuseChangeRequest', requestId: p.requestId, reason: body.reason });
  }
}
