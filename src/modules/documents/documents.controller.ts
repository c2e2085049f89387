import { randomUUID } from 'node:crypto';

import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto, ZodValidationException } from 'nestjs-zod';
import { z } from 'zod';

import { allFacilities } from '../../../projections/catalog/catalog.queries';
import { documentsOfFamily, familyDocument, pendingDocuments } from '../../../projections/family-documents/family-documents.queries';
import { familyRecordOf } from '../../../projections/family-record/family-record.queries';
import { Roles } from '../../platform/auth/auth.decorators';
import { FamilyAccessPolicy, familyNotFound, scopeCovers, scopeFilter } from '../../platform/auth/family-access';
import { Commands } from '../../platform/commands/stream-command';
import type { PayloadOf } from '../../platform/domain/command-target';
import { DomainError } from '../../platform/domain/domain-error';
import { patternText, singleLineText } from '../../platform/domain/text';
import { FILE_STORE, type FileStore } from '../../platform/files/file-store.port';
import {
  AuthenticatedRequest,
  commandContext,
  EmptyBody,
  FamilyIdParam,
  type HttpResponse,
  pathId,
  setRevision,
} from '../../platform/http/command-http';
import { download } from '../../platform/http/content-disposition';
import { AcceptsUploads, discard, isMultipart, readUpload } from '../../platform/http/multipart-upload';
import { ReadModels } from '../../platform/projections/read-models';
import { DOCUMENT_KIND_LABELS, DOCUMENT_KINDS } from './documents.events';
import { familyDocumentCommands } from './family-documents/family-documents.commands';
import { RequiredDocuments } from './required-documents';
import { requirementCommands } from './requirements/requirements.commands';

const isoDate = patternText(/^\d{4}-\d{2}-\d{2}$/, 'Date au format AAAA-MM-JJ.');
const kind = z.enum(DOCUMENT_KINDS, { error: 'Type de document : « medical-certificate », « insurance » ou « vaccination ».' });
const submitSchema = z.strictObject({
  kind,
  childId: patternText(/^[A-Za-z0-9_-]{1,64}$/, 'Enfant invalide.').optional(),
  validFrom: isoDate,
  validUntil: isoDate,
});
class SubmitBody extends createZodDto(submitSchema) {}
class DocumentParams extends createZodDto(z.strictObject({ familyId: pathId, documentId: pathId })) {}
class ActivityParam extends createZodDto(z.strictObject({ activityId: pathId })) {}
class RefuseBody extends createZodDto(z.strictObject({ reason: singleLineText(500, 'Motif') })) {}
class RequirementsBody extends createZodDto(z.strictObject({ kinds: z.array(kind).max(DOCUMENT_KINDS.length) })) {}

const DOCUMENT_LIMITS = { maxFiles: 1, maxFileBytes: 5 * 1024 * 1024, maxFieldBytes: 200, maxFields: 6, fileField: 'document' };

/**
 * Documents a family must provide per activity (certificat médical, attestation d'assurance, carnet de
 * vaccination): staff say which an activity requires; parents upload them with their validity; staff
 * accept them or refuse them with a reason. A reservation of an activity waits for them (RequiredDocuments).
 */
@ApiTags('Documents à fournir')
@ApiBearerAuth()
@Controller()
export class DocumentsController {
  constructor(
    private readonly commands: Commands,
    private readonly access: FamilyAccessPolicy,
    private readonly readModels: ReadModels,
    private readonly required: RequiredDocuments,
    @Inject(FILE_STORE) private readonly files: FileStore,
  ) {}

  @Get('activities/:activityId/required-documents')
  @Roles('parent', 'staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Documents à fournir (et à faire valider) avant de réserver cette activité' })
  async requirements(@Param() p: ActivityParam) {
    const kinds = await this.required.requiredFor(p.activityId);
    return { activityId: p.activityId, items: kinds.map((k) => ({ kind: k, label: DOCUMENT_KIND_LABELS[k] })) };
  }

  @Put('activities/:activityId/required-documents')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Fixer les documents exigés avant toute réservation de cette activité' })
  async setRequirements(
    @Param() p: ActivityParam,
    @Body() body: RequirementsBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    const facility = (await allFacilities(this.readModels)).find((d) => d.activityIds.includes(p.activityId));
    const inScope = rq.principal.role === 'admin' || (facility && scopeCovers(rq.principal.scope, facility.commune));
    if (!facility || !inScope) throw new DomainError('ACTIVITY_NOT_FOUND', `L'activité « ${p.activityId} » n'existe pas.`, 'not_found');
    const result = await this.commands.send(
      requirementCommands,
      p.activityId,
      { type: 'SetDocumentRequirements', kinds: body.kinds },
      commandContext(rq),
    );
    setRevision(rs, result.revision);
    return { activityId: p.activityId, kinds: result.state.kinds, revision: result.revision };
  }

  @Post('families/:familyId/documents')
  @AcceptsUploads()
  @Roles('parent', 'staff', 'admin')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: SubmitBody })
  @ApiOperation({ summary: 'Envoyer un document (PDF, JPEG ou PNG, 5 Mo, champ « document ») avec sa période de validité' })
  async submit(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const record = await familyRecordOf(this.readModels, p.familyId);
    if (!record) throw familyNotFound();
    if (!isMultipart(rq.body)) throw new DomainError('FILE_REQUIRED', 'Joignez le document (champ « document »).', 'invalid');
    const documentId = randomUUID();
    const form = await readUpload(rq, this.files, DOCUMENT_LIMITS, { familyId: p.familyId, kind: 'family-document', documentId });
    try {
      const parsed = submitSchema.safeParse(form.fields);
      if (!parsed.success) throw new ZodValidationException(parsed.error);
      const file = form.files[0];
      if (!file) throw new DomainError('FILE_REQUIRED', 'Joignez le document (champ « document »).', 'invalid');
      const body = parsed.data;
      if (body.childId) {
        this.access.assertCanReachChild(rq.principal, body.childId);
        if (!record.children.some((c) => c.childId === body.childId)) {
          throw new DomainError('CHILD_NOT_FOUND', 'Enfant introuvable dans cette famille.', 'not_found');
        }
      }
      const result = await this.commands.send(
        familyDocumentCommands,
        p.familyId,
        {
          type: 'SubmitDocument',
          documentId,
          commune: record.commune.toUpperCase(),
          ...body,
          fileId: file.id,
          filename: file.filename ?? 'document',
          contentType: file.contentType,
          size: file.size,
        },
        commandContext(rq),
      );
      setRevision(rs, result.revision);
      return { documentId, status: 'pending', revision: result.revision };
    } catch (error) {
      await discard(this.files, form.files);
      throw error;
    }
  }

  @Get('families/:familyId/documents')
  @Roles('parent', 'staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Documents fournis par la famille : en attente, acceptés, refusés (avec le motif)' })
  async list(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const restricted = rq.principal.role === 'parent' ? rq.principal.childIds : undefined;
    const items = (await documentsOfFamily(this.readModels, p.familyId)).filter(
      (d) => !restricted || !d.childId || restricted.includes(d.childId),
    );
    return { items: items.map((d) => ({ ...d, label: DOCUMENT_KIND_LABELS[d.kind] })) };
  }

  @Get('families/:familyId/documents/:documentId/file')
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: 'Télécharger un document fourni' })
  async file(@Param() p: DocumentParams, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    const document = await this.reachable(rq, p);
    const opened = await this.files.open(document.fileId);
    if (!opened) throw documentNotFound();
    return download(rs, opened, document.filename, document.contentType);
  }

  @Post('families/:familyId/documents/:documentId/accept')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Accepter un document fourni' })
  async accept(
    @Param() p: DocumentParams,
    @Body() _b: EmptyBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    return this.decide(rq, rs, p, { type: 'AcceptDocument', documentId: p.documentId }, 'accepted');
  }

  @Post('families/:familyId/documents/:documentId/refuse')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Refuser un document fourni, avec le motif' })
  async refuse(
    @Param() p: DocumentParams,
    @Body() body: RefuseBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    return this.decide(rq, rs, p, { type: 'RefuseDocument', documentId: p.documentId, reason: body.reason }, 'refused');
  }

  /** Staff's decision on a document the caller can reach, answered with the stream's new revision. */
  private async decide(
    rq: AuthenticatedRequest,
    rs: HttpResponse,
    p: DocumentParams,
    command: PayloadOf<typeof familyDocumentCommands>,
    status: 'accepted' | 'refused',
  ) {
    await this.reachable(rq, p);
    const result = await this.commands.send(familyDocumentCommands, p.familyId, command, commandContext(rq));
    setRevision(rs, result.revision);
    return { documentId: p.documentId, status, revision: result.revision };
  }

  @Get('staff/documents')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Documents en attente de validation dans votre périmètre, le plus ancien d’abord' })
  async pending(@Req() rq: AuthenticatedRequest) {
    return { items: await pendingDocuments(this.readModels, scopeFilter(rq.principal)) };
  }

  private async reachable(rq: AuthenticatedRequest, p: DocumentParams) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const document = await familyDocument(this.readModels, p.documentId);
    if (!document || document.familyId !== p.familyId) throw documentNotFound();
    if (rq.principal.role === 'parent' && document.childId) this.access.assertCanReachChild(rq.principal, document.childId);
    return document;
  }
}

function documentNotFound(): DomainError {
  return new DomainError('DOCUMENT_NOT_FOUND', 'Document introuvable.', 'not_found');
}
