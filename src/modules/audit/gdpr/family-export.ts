import { randomBytes, randomUUID } from 'node:crypto';

import { Inject, Injectable, OnModuleInit } from '@nestjs/common';

import { familyRecordProjection } from '../../../../projections/family-record/family-record.projection';
import { familyRequestList } from '../../../../projections/family-requests/family-requests.queries';
import type { Clock } from '../../../platform/clock/clock';
import type { Principal } from '../../../platform/commands/command-context';
import type { DocumentStore } from '../../../platform/document-store/document-store.port';
import { EventSerializer } from '../../../platform/events/event-serializer';
import { FILE_STORE, type FileStore } from '../../../platform/files/file-store.port';
import type { JobScheduler } from '../../../platform/jobs/job-scheduler.port';
import { FamilyReplay } from '../../../platform/projections/family-replay';
import { ReadModels } from '../../../platform/projections/read-models';
import { CLOCK, DOCUMENT_STORE, JOB_SCHEDULER } from '../../../platform/tokens';
import { historyRow } from '../family-audit/family-events';
import { exportSummaryHtml } from './export-summary';

export const GDPR_EXPORT_JOB = 'gdpr.family-export';
export const GDPR_EXPORTS = 'gdpr_exports';
/** how long a download link works once the export is ready */
export const EXPORT_LINK_TTL_MS = 7 * 24 * 3600 * 1000;

export interface FamilyExportDocument {
  exportId: string;
  familyId: string;
  status: 'pending' | 'ready' | 'failed';
  requestedAt: string;
  requestedBy: string;
  readyAt?: string;
  expiresAt?: string;
  /** the secret of the download links (128 random bits, hex) */
  token?: string;
  files?: { json: string; html: string };
  events?: number;
  [key: string]: unknown;
}

/**
 * Right of access and portability: a family's data as one JSON document (its record, its requests of every
 * kind, and every event of every stream that concerns it, decrypted) and a readable French summary (HTML; the
 * PDF comes through the PDF renderer once billing lands it). Produced by a job (a big family takes a while),
 * stored in the FileStore, downloadable through a link that expires.
 */
@Injectable()
export class FamilyExport implements OnModuleInit {
  constructor(
    @Inject(JOB_SCHEDULER) private readonly jobs: JobScheduler,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(FILE_STORE) private readonly files: FileStore,
    private readonly readModels: ReadModels,
    private readonly replay: FamilyReplay,
    private readonly serializer: EventSerializer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.documents.ensureCollection(GDPR_EXPORTS, ['token', 'familyId']);
    this.jobs.register<{ exportId: string }>({
      name: GDPR_EXPORT_JOB,
      attempts: 5,
      backoffMs: 2000,
      handler: async (job) => this.produce(job.payload.exportId),
    });
  }

  async request(familyId: string, by: Principal): Promise<FamilyExportDocument> {
    const document: FamilyExportDocument = {
      exportId: randomUUID(),
      familyId,
      status: 'pending',
      requestedAt: this.clock.now().toISOString(),
      requestedBy: by.userId,
    };
    await this.documents.put(GDPR_EXPORTS, document.exportId, document, 'absent');
    await this.jobs.schedule(GDPR_EXPORT_JOB, document.exportId, { exportId: document.exportId });
    return document;
  }

  async get(exportId: string): Promise<FamilyExportDocument | null> {
    return (await this.documents.get<FamilyExportDocument>(GDPR_EXPORTS, exportId))?.data ?? null;
  }

  /** The export a download token opens, while its link has not expired. */
  async byToken(token: string): Promise<FamilyExportDocument | null> {
    const found = await this.documents.find<FamilyExportDocument>(GDPR_EXPORTS, { where: { token }, limit: 1 });
    const document = found.items[0]?.data;
    if (!document?.expiresAt || Date.parse(document.expiresAt) <= this.clock.now().getTime()) return null;
    return document;
  }

  /** The job: idempotent (a retry after a crash produces the export again under the same id). */
  private async produce(exportId: string): Promise<void> {
    const stored = await this.documents.get<FamilyExportDocument>(GDPR_EXPORTS, exportId);
    if (!stored || stored.data.status === 'ready') return;
    const { familyId } = stored.data;
    // the record as the log says it is (replayed), not as a read model holds it
    const record = await this.replay.replay(familyRecordProjection, familyId, {}, (replayed) => replayed.get(familyId));
    const requests = await familyRequestList(this.readModels, { familyId, since: '0000-01-01T00:00:00Z' });
    const history = [];
    for await (const page of this.replay.familyEvents(familyId)) {
      for (const event of page) history.push(historyRow(event, this.serializer.deserialize(event).data as Record<string, unknown>));
    }
    const now = this.clock.now();
    const strip = (document: Record<string, unknown> | null) =>
      document && Object.fromEntries(Object.entries(document).filter(([key]) => !key.startsWith('_')));
    const data = {
      format: 'portail-famille-export-rgpd',
      version: 1,
      familyId,
      producedAt: now.toISOString(),
      record: strip(record),
      requests: requests.map((r) => strip(r)),
      events: history,
    };
    const json = await this.files.put({
      contentType: 'application/json',
      filename: `donnees-famille-${familyId}.json`,
      data: Buffer.from(JSON.stringify(data, null, 2), 'utf8'),
      metadata: { familyId, kind: 'gdpr-export' },
    });
    const html = await this.files.put({
      contentType: 'text/html; charset=utf-8',
      filename: `donnees-famille-${familyId}.html`,
      data: Buffer.from(
        exportSummaryHtml({ familyId, producedAt: now.toISOString(), record: data.record, requests, events: history }),
        'utf8',
      ),
      metadata: { familyId, kind: 'gdpr-export' },
    });
    await this.documents.put(
      GDPR_EXPORTS,
      exportId,
      {
        ...stored.data,
        status: 'ready',
        readyAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + EXPORT_LINK_TTL_MS).toISOString(),
        token: randomBytes(16).toString('hex'),
        files: { json: json.id, html: html.id },
        events: history.length,
      },
      stored.version,
    );
  }
}
