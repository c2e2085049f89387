import { randomUUID } from 'node:crypto';

import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto, ZodValidationException } from 'nestjs-zod';
import { z } from 'zod';

import { activitiesOfFamily } from '../../../../projections/activity-members/activity-members.queries';
import { allFacilities } from '../../../../projections/catalog/catalog.queries';
import { familyRecordOf } from '../../../../projections/family-record/family-record.queries';
import type { PublicationDocument } from '../../../../projections/publications/publications.projection';
import { publication, publicationsOf } from '../../../../projections/publications/publications.queries';
import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy, familyNotFound, scopeCovers, scopeFilter } from '../../../platform/auth/family-access';
import type { Clock } from '../../../platform/clock/clock';
import { Commands } from '../../../platform/commands/stream-command';
import { DomainError } from '../../../platform/domain/domain-error';
import { patternText, singleLineText } from '../../../platform/domain/text';
import { FILE_STORE, type FileStore } from '../../../platform/files/file-store.port';
import {
  AuthenticatedRequest,
  commandContext,
  FamilyIdParam,
  type HttpResponse,
  pathId,
  setRevision,
} from '../../../platform/http/command-http';
import { download } from '../../../platform/http/content-disposition';
import { AcceptsUploads, discard, isMultipart, readUpload } from '../../../platform/http/multipart-upload';
import { ReadModels } from '../../../platform/projections/read-models';
import { CLOCK } from '../../../platform/tokens';
import { PUBLICATION_CATEGORIES, PUBLICATION_CATEGORY_LABELS } from '../documents.events';
import { publicationCommands } from './publication.commands';

const isoDate = patternText(/^\d{4}-\d{2}-\d{2}$/, 'Date au format AAAA-MM-JJ.');
const publishSchema = z.strictObject({
  commune: patternText(/^[A-Za-z' -]{1,60}$/, 'Commune invalide.').optional(),
  facilityId: pathId.optional(),
  title: singleLineText(150, 'Titre'),
  category: z.enum(PUBLICATION_CATEGORIES, { error: 'Catégorie : « reglement », « menu », « form » ou « info ».' }),
  validFrom: isoDate,
  validUntil: isoDate.optional(),
  replaces: pathId.optional(),
});
class PublishBody extends createZodDto(publishSchema) {}
class FamilyPublicationParams extends createZodDto(z.strictObject({ familyId: pathId, publicationId: pathId })) {}

const LIMITS = { maxFiles: 1, maxFileBytes: 5 * 1024 * 1024, maxFieldBytes: 600, maxFields: 8, fileField: 'document' };

function publicationNotFound(): DomainError {
  return new DomainError('PUBLICATION_NOT_FOUND', 'Document introuvable.', 'not_found');
}

/**
 * « Infos / Documents »: staff publish documents (règlement de fonctionnement, menus, forms) for a commune
 * or one facility, with a title, a category and validity dates; parents see the current ones of their
 * commune and of the facilities their children attend, newest first; every version is kept.
 */
@ApiTags('Infos / Documents')
@ApiBearerAuth()
@Controller()
export class PublicationsController {
  constructor(
    private readonly commands: Commands,
    private readonly access: FamilyAccessPolicy,
    private readonly readModels: ReadModels,
    @Inject(FILE_STORE) private readonly files: FileStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('publications')
  @AcceptsUploads()
  @Roles('staff', 'admin')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: PublishBody })
  @ApiOperation({ summary: 'Publier un document (PDF, JPEG ou PNG, champ « document ») pour une commune ou une structure' })
  async publish(@Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    if (!isMultipart(rq.body)) throw new DomainError('FILE_REQUIRED', 'Joignez le document (champ « document »).', 'invalid');
    const publicationId = randomUUID();
    const form = await readUpload(rq, this.files, LIMITS, { kind: 'publication', publicationId });
    try {
      const parsed = publishSchema.safeParse(form.fields);
      if (!parsed.success) throw new ZodValidationException(parsed.error);
      const { commune: givenCommune, ...body } = parsed.data;
      const facility = body.facilityId
        ? (await allFacilities(this.readModels)).find((d) => d.facility.facilityId === body.facilityId)
        : undefined;
      const commune = (facility?.commune ?? givenCommune ?? '').toUpperCase();
      const allowed = rq.principal.role === 'admin' || (commune !== '' && scopeCovers(rq.principal.scope, commune));
      if ((body.facilityId && !facility) || !allowed) {
        throw new DomainError(
          'OUT_OF_SCOPE',
          'Indiquez une commune ou une structure de votre périmètre.',
          body.facilityId ? 'not_found' : 'forbidden',
        );
      }
      if (body.replaces) {
        const old = await publication(this.readModels, body.replaces);
        if (!old || old.commune !== commune) throw publicationNotFound();
      }
      const file = form.files[0];
      if (!file) throw new DomainError('FILE_REQUIRED', 'Joignez le document (champ « document »).', 'invalid');
      const result = await this.commands.send(
        publicationCommands,
        publicationId,
        {
          type: 'PublishDocument',
          ...body,
          commune,
          fileId: file.id,
          filename: file.filename ?? 'document',
          contentType: file.contentType,
          size: file.size,
        },
        commandContext(rq),
      );
      setRevision(rs, result.revision);
      return { publicationId, revision: result.revision };
    } catch (error) {
      await discard(this.files, form.files);
      throw error;
    }
  }

  @Get('families/:familyId/publications')
  @Roles('parent', 'staff', 'admin', 'auditor')
  @ApiOperation({
    summary: 'Infos / Documents de la famille : ceux en vigueur de sa commune et des structures que ses enfants fréquentent',
  })
  async forFamily(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const record = await familyRecordOf(this.readModels, p.familyId);
    if (!record) throw familyNotFound();
    const items = await this.visibleTo(p.familyId, record.commune);
    return { items: items.map((d) => ({ ...d, categoryLabel: PUBLICATION_CATEGORY_LABELS[d.category] })) };
  }

  @Get('families/:familyId/publications/:publicationId/file')
  @Roles('parent', 'staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Télécharger un document d’Infos / Documents' })
  async file(@Param() p: FamilyPublicationParams, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const record = await familyRecordOf(this.readModels, p.familyId);
    if (!record) throw familyNotFound();
    const found = (await this.visibleTo(p.familyId, record.commune)).find((d) => d.publicationId === p.publicationId);
    if (!found) throw publicationNotFound();
    const opened = await this.files.open(found.fileId);
    if (!opened) throw publicationNotFound();
    return download(rs, opened, found.filename, found.contentType);
  }

  @Get('staff/publications')
  @Roles('staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Toutes les publications de votre périmètre, anciennes versions comprises' })
  async all(@Req() rq: AuthenticatedRequest) {
    const communes = scopeFilter(rq.principal) ?? [...new Set((await allFacilities(this.readModels)).map((d) => d.commune.toUpperCase()))];
    const items = (await Promise.all(communes.map((c) => publicationsOf(this.readModels, c, { currentOnly: false })))).flat();
    return { items: items.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt)) };
  }

  /** The current publications of the commune, for the whole commune or a facility the family's children attend. */
  private async visibleTo(familyId: string, commune: string): Promise<PublicationDocument[]> {
    const today = this.clock.now().toISOString().slice(0, 10);
    const activities = new Set(await activitiesOfFamily(this.readModels, familyId));
    const facilities = new Set(
      (await allFacilities(this.readModels)).filter((d) => d.activityIds.some((a) => activities.has(a))).map((d) => d.facility.facilityId),
    );
    return (await publicationsOf(this.readModels, commune, { currentOnly: true })).filter(
      (d) => (!d.facilityId || facilities.has(d.facilityId)) && d.validFrom <= today && (!d.validUntil || today <= d.validUntil),
    );
  }
}
