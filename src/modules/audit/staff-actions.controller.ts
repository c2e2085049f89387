import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { staffActions } from '../../../projections/staff-actions/staff-actions.queries';
import { Roles } from '../../platform/auth/auth.decorators';
import { FamilyAccessPolicy } from '../../platform/auth/family-access';
import { DomainError } from '../../platform/domain/domain-error';
import { opaqueText, patternText } from '../../platform/domain/text';
import { type AuthenticatedRequest, pathId } from '../../platform/http/command-http';
import { ReadModels } from '../../platform/projections/read-models';

class StaffActionsQuery extends createZodDto(
  z.strictObject({
    userId: patternText(/^[A-Za-z0-9._@-]{1,100}$/, "Identifiant d'agent invalide.")
      .optional()
      .describe("Identifiant de l'agent"),
    familyId: pathId.optional().describe('Numéro de la famille'),
    from: z.iso.datetime({ offset: true }).max(40).optional().describe('Depuis cet instant (inclus)'),
    to: z.iso.datetime({ offset: true }).max(40).optional().describe("Jusqu'à cet instant (inclus)"),
    cursor: opaqueText(500, 'Curseur').optional().describe('Curseur de la page suivante (nextCursor)'),
    limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Actions par page (1 à 1000)'),
  }),
) {}

/** The staff action trail, for the commune's DPO: decisions by staff, reads of health data and bank details. */
@ApiTags('Audit')
@ApiBearerAuth()
@Controller('audit/staff-actions')
export class StaffActionsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly access: FamilyAccessPolicy,
  ) {}

  @Get()
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary:
      "Traces des agents pour le DPO : chaque décision d'un agent et chaque consultation de données sanitaires ou bancaires, par agent et par famille",
  })
  async list(@Query() query: StaffActionsQuery, @Req() rq: AuthenticatedRequest) {
    if (!query.userId && !query.familyId) {
      throw new DomainError('STAFF_ACTIONS_FILTER_REQUIRED', 'Précisez un agent (userId) ou une famille (familyId).', 'invalid');
    }
    if (query.familyId) await this.access.assertCanReach(rq.principal, query.familyId);
    return staffActions(this.readModels, query);
  }
}
