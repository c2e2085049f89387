import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { scopeFilter } from '../../../platform/auth/family-access';
import { AuthenticatedRequest, strip } from '../../../platform/http/command-http';
import { acceptChangeRequestBodySchema, changeCategorySchema, refuseChangeRequestBodySchema } from '../families.schemas';
import { FamilyEndpoint } from '../family-commands/family-endpoint';
import { FamilyRequestParams } from '../family-commands/family-id.param';
import { ListPendingRequestsQuery } from '../read-family/family-queries';

class AcceptBody extends createZodDto(acceptChangeRequestBodySchema) {}
class RefuseChangeRequestBody extends createZodDto(refuseChangeRequestBodySchema) {}

const instant = z.iso.datetime({ offset: true });
class StaffQueueQuery extends createZodDto(
  z.strictObject({
    category: changeCategorySchema.optional(),
    familyId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
    from: z.union([z.iso.date(), instant]).optional().describe('Demandes reçues à partir de (date ou instant)'),
    to: z.union([z.iso.date(), instant]).optional().describe('Demandes reçues avant (date ou instant, exclu)'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(2000).optional(),
  }),
) {}

/** Staff: the queue of pending requests, and the decision on each one. */
@ApiTags('Demandes de modification (agents)')
@ApiBearerAuth()
@Controller()
export class DecideChangeRequestController {
  constructor(
    private readonly endpoint: FamilyEndpoint,
    private readonly queries: QueryBus,
  ) {}

  @Get('staff/requests')
  @Roles('staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Demandes en attente, les plus anciennes d’abord (filtres : catégorie, famille, dates)' })
  async queue(@Query() query: StaffQueueQuery, @Req() rq: AuthenticatedRequest) {
    const { category, familyId, from, to } = query;
    const communes = scopeFilter(rq.principal);
    const page = await this.queries.execute(
      new ListPendingRequestsQuery({ category, familyId, from, to, communes }, query.limit, query.cursor),
    );
    return { items: page.items.map((d) => strip(d.data)), nextCursor: page.nextCursor };
  }

  @Post('families/:familyId/requests/:requestId/accept')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Accepter une demande : la modification est appliquée au dossier famille' })
  accept(
    @Param() p: FamilyRequestParams,
    @Body() _body: AcceptBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: Response,
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
    @Res({ passthrough: true }) rs: Response,
  ) {
    return this.endpoint.send(rq, rs, p.familyId, { type: 'RefuseChangeRequest', requestId: p.requestId, reason: body.reason });
  }
}
