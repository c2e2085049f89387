import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { ZodValidationException } from 'nestjs-zod';
import type { z } from 'zod';

import { allFacilities } from '../../../projections/catalog/catalog.queries';
import { familyRecordOf } from '../../../projections/family-record/family-record.queries';
import type { MessageThreadDocument } from '../../../projections/message-threads/message-threads.projection';
import { threadOf } from '../../../projections/message-threads/message-threads.queries';
import { FamilyAccessPolicy, familyNotFound, scopeCovers } from '../../platform/auth/family-access';
import type { Principal } from '../../platform/commands/command-context';
import { Commands } from '../../platform/commands/stream-command';
import { DomainError } from '../../platform/domain/domain-error';
import { FILE_STORE, type FileStore, type StoredFile } from '../../platform/files/file-store.port';
import { type AuthenticatedRequest, commandContext } from '../../platform/http/command-http';
import { discard, isMultipart, readUpload, type UploadLimits } from '../../platform/http/multipart-upload';
import { ReadModels } from '../../platform/projections/read-models';
import { type Attachment, COMMUNE_SERVICE, COMMUNE_SERVICE_NAME, type Side } from './messaging.events';
import { MAX_ATTACHMENTS, MAX_BODY_LENGTH } from './threads/thread.decider';

export const ATTACHMENT_LIMITS: UploadLimits = {
  maxFiles: MAX_ATTACHMENTS,
  maxFileBytes: 5 * 1024 * 1024,
  // UTF-8: at most 4 bytes a character
  maxFieldBytes: MAX_BODY_LENGTH * 4,
  maxFields: 6,
  fileField: 'attachments',
};

export interface Recipient {
  commune: string;
  facilityId: string;
  facilityName: string;
}

/** Conversations not found, or out of the caller's reach, answer the same. */
export function threadNotFound(): DomainError {
  return new DomainError('THREAD_NOT_FOUND', 'Conversation introuvable.', 'not_found');
}

/**
 * What the inbox endpoints share: who is writing (the family's side or the staff's), who they may reach,
 * the message bodies (JSON, or multipart with attachments checked and stored), and the commands.
 */
@Injectable()
export class InboxService {
  constructor(
    readonly commands: Commands,
    readonly access: FamilyAccessPolicy,
    readonly readModels: ReadModels,
    @Inject(FILE_STORE) readonly files: FileStore,
  ) {}

  sideOf(principal: Principal): Side {
    return principal.role === 'parent' ? 'family' : 'staff';
  }

  authorName(principal: Principal): string {
    return principal.displayName ?? (principal.role === 'parent' ? 'La famille' : 'Le service');
  }

  /** The family's commune, once the caller may reach the family. */
  async familyCommune(principal: Principal, familyId: string): Promise<string> {
    await this.access.assertCanReach(principal, familyId);
    const record = await familyRecordOf(this.readModels, familyId);
    if (!record) throw familyNotFound();
    return record.commune;
  }

  /** A facility of `commune` (or its family service when no facility is named). */
  async recipient(commune: string, facilityId: string | undefined): Promise<Recipient> {
    if (!facilityId || facilityId === COMMUNE_SERVICE) {
      return { commune, facilityId: COMMUNE_SERVICE, facilityName: COMMUNE_SERVICE_NAME };
    }
    const facility = (await allFacilities(this.readModels)).find((d) => d.facility.facilityId === facilityId)?.facility;
    if (!facility || facility.commune.toUpperCase() !== commune.toUpperCase()) {
      throw new DomainError('FACILITY_NOT_FOUND', `La structure « ${facilityId} » n'existe pas dans votre commune.`, 'not_found');
    }
    return { commune: facility.commune, facilityId: facility.facilityId, facilityName: facility.name };
  }

  /** A facility a staff member manages (its commune in their scope), or 404. */
  async staffFacility(principal: Principal, facilityId: string): Promise<Recipient> {
    const facility = (await allFacilities(this.readModels)).find((d) => d.facility.facilityId === facilityId)?.facility;
    if (!facility || !this.covers(principal, facility.commune)) {
      throw new DomainError('FACILITY_NOT_FOUND', `La structure « ${facilityId} » n'existe pas.`, 'not_found');
    }
    return { commune: facility.commune, facilityId: facility.facilityId, facilityName: facility.name };
  }

  covers(principal: Principal, commune: string): boolean {
    return principal.role === 'admin' || principal.role === 'system' || scopeCovers(principal.scope, commune);
  }

  /** A conversation of the family, reachable by the caller (staff: of a commune in their scope), or 404. */
  async thread(principal: Principal, familyId: string, threadId: string): Promise<MessageThreadDocument> {
    await this.access.assertCanReach(principal, familyId);
    const thread = await threadOf(this.readModels, threadId);
    if (!thread || thread.familyId !== familyId) throw threadNotFound();
    if (this.sideOf(principal) === 'staff' && !this.covers(principal, thread.commune)) throw threadNotFound();
    return thread;
  }

  /**
   * The request's body checked against `schema`: JSON, or multipart with files under `attachments` (checked
   * from their bytes and stored). `then` runs with it; if the body or `then` is refused, the files are deleted.
   */
  async withMessage<S extends z.ZodType, R>(
    request: AuthenticatedRequest,
    schema: S,
    metadata: Record<string, string>,
    then: (body: z.infer<S>, attachments: Attachment[]) => Promise<R>,
  ): Promise<R> {
    let raw: unknown = request.body;
    let stored: StoredFile[] = [];
    if (isMultipart(request.body)) {
      const form = await readUpload(request, this.files, ATTACHMENT_LIMITS, metadata);
      raw = form.fields;
      stored = form.files;
    }
    try {
      const parsed = schema.safeParse(raw ?? {});
      if (!parsed.success) throw new ZodValidationException(parsed.error);
      const attachments = stored.map((f): Attachment => ({
        fileId: f.id,
        filename: f.filename ?? 'piece-jointe',
        contentType: f.contentType,
        size: f.size,
        sha256: f.sha256,
      }));
      return await then(parsed.data, attachments);
    } catch (error) {
      await discard(this.files, stored);
      throw error;
    }
  }

  context(request: AuthenticatedRequest) {
    return commandContext(request);
  }

  newId(): string {
    return randomUUID();
  }
}
