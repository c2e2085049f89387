import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { familyRecordProjection } from '../../../../projections/family-record/family-record.projection';
import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy, familyNotFound } from '../../../platform/auth/family-access';
import { DomainError } from '../../../platform/domain/domain-error';
import { type AuthenticatedRequest, FamilyIdParam, pathId } from '../../../platform/http/command-http';
import { FamilyReplay } from '../../../platform/projections/family-replay';
import { FamilyErasure } from './family-erasure';

class ErasureBody extends createZodDto(
  z.strictObject({
    /** the family number, typed again: erasure cannot be undone */
    confirmFamilyId: pathId.describe('Le numéro de la famille, saisi à nouveau pour confirmer (irréversible)'),
  }),
) {}

/** GDPR: the right to erasure (crypto-shredding). */
@ApiTags('RGPD')
@ApiBearerAuth()
@Controller('families/:familyId/gdpr')
export class GdprController {
  constructor(
    private readonly erasure: FamilyErasure,
    private readonly replay: FamilyReplay,
    private readonly access: FamilyAccessPolicy,
  ) {}

  @Post('erasure')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({
    summary:
      "Effacement des données personnelles d'une famille (droit à l'effacement, après la durée légale de conservation) : irréversible ; les montants, numéros et dates comptables sont conservés",
  })
  async erase(@Param() p: FamilyIdParam, @Body() body: ErasureBody, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    if (body.confirmFamilyId !== p.familyId) {
      throw new DomainError('ERASURE_NOT_CONFIRMED', "Le numéro saisi ne correspond pas à la famille : rien n'a été effacé.", 'invalid');
    }
    if (!(await this.replay.liveDocument(familyRecordProjection.name, p.familyId))) throw familyNotFound();
    return this.erasure.erase(p.familyId, rq.principal, 'request', rq.id ?? '');
  }
}
