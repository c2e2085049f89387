import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { familyRecordProjection } from '../../../../projections/family-record/family-record.projection';
import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy, familyNotFound } from '../../../platform/auth/family-access';
import type { Clock } from '../../../platform/clock/clock';
import { DomainError } from '../../../platform/domain/domain-error';
import { type AuthenticatedRequest, FamilyIdParam, pathId } from '../../../platform/http/command-http';
import { FamilyReplay } from '../../../platform/projections/family-replay';
import { CLOCK } from '../../../platform/tokens';
import { FamilyErasure } from './family-erasure';
import { FamilyExport } from './family-export';

class ErasureBody extends createZodDto(
  z.strictObject({
    /** the family number, typed again: erasure cannot be undone */
    confirmFamilyId: pathId.describe('Le numéro de la famille, saisi à nouveau pour confirmer (irréversible)'),
  }),
) {}

class ExportParams extends createZodDto(z.strictObject({ familyId: pathId, exportId: pathId })) {}

/** GDPR: the right of access and portability (an export produced by a job), the right to erasure (crypto-shredding). */
@ApiTags('RGPD')
@ApiBearerAuth()
@Controller('families/:familyId/gdpr')
export class GdprController {
  constructor(
    private readonly erasure: FamilyErasure,
    private readonly exports: FamilyExport,
    private readonly replay: FamilyReplay,
    private readonly access: FamilyAccessPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('exports')
  @HttpCode(202)
  @Roles('parent', 'admin')
  @ApiOperation({
    summary:
      "Export des données d'une famille (droit d'accès et à la portabilité) : un fichier JSON complet et un résumé lisible, produits en tâche de fond",
  })
  async requestExport(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    if (!(await this.replay.liveDocument(familyRecordProjection.name, p.familyId))) throw familyNotFound();
    const requested = await this.exports.request(p.familyId, rq.principal);
    return { exportId: requested.exportId, status: requested.status, requestedAt: requested.requestedAt };
  }

  @Get('exports/:exportId')
  @Roles('parent', 'admin')
  @ApiOperation({ summary: "État d'un export ; une fois prêt, ses liens de téléchargement et leur date d'expiration" })
  async exportStatus(@Param() p: ExportParams, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const found = await this.exports.get(p.exportId);
    if (!found || found.familyId !== p.familyId) throw new DomainError('EXPORT_NOT_FOUND', 'Export introuvable.', 'not_found');
    const live = found.status === 'ready' && found.expiresAt !== undefined && Date.parse(found.expiresAt) > this.clock.now().getTime();
    return {
      exportId: found.exportId,
      status: found.status === 'ready' && !live ? 'expired' : found.status,
      requestedAt: found.requestedAt,
      ...(found.readyAt ? { readyAt: found.readyAt, expiresAt: found.expiresAt, events: found.events } : {}),
      ...(live ? { downloads: { json: `/gdpr/downloads/${found.token}/json`, html: `/gdpr/downloads/${found.token}/html` } } : {}),
    };
  }

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
