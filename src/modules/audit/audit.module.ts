import { Global, Module } from '@nestjs/common';

import { FAMILY_SCOPED_PROJECTIONS } from '../../../projections';
import type { DocumentStore } from '../../platform/document-store/document-store.port';
import type { EventStore } from '../../platform/event-store/event-store.port';
import { EventSerializer } from '../../platform/events/event-serializer';
import { FamilyReplay } from '../../platform/projections/family-replay';
import { ProjectionRunner } from '../../platform/projections/projection-runner';
import { DOCUMENT_STORE, EVENT_STORE } from '../../platform/tokens';
import { AccessLogController } from './access-log.controller';
import { FamilyAuditController } from './family-audit/family-audit.controller';
import { FamilyErasure } from './gdpr/family-erasure';
import { FamilyExport } from './gdpr/family-export';
import { GdprController } from './gdpr/gdpr.controller';
import { GdprDownloadController } from './gdpr/gdpr-download.controller';
import { RetentionRules } from './gdpr/retention';
import { RetentionController } from './gdpr/retention.controller';
import { SensitiveReadLog } from './sensitive-read-log';
import { StaffActionsController } from './staff-actions.controller';

/** Traceability of sensitive reads (health data, bank details) by staff and auditors; auditors' views of a family. */
@Global()
@Module({
  controllers: [
    AccessLogController,
    FamilyAuditController,
    GdprController,
    GdprDownloadController,
    StaffActionsController,
    RetentionController,
  ],
  providers: [
    SensitiveReadLog,
    FamilyErasure,
    FamilyExport,
    RetentionRules,
    {
      provide: FamilyReplay,
      inject: [EVENT_STORE, EventSerializer, DOCUMENT_STORE, ProjectionRunner],
      useFactory: (events: EventStore, serializer: EventSerializer, documents: DocumentStore, runner: ProjectionRunner) =>
        new FamilyReplay(events, serializer, { documents, runner }, FAMILY_SCOPED_PROJECTIONS),
    },
  ],
  exports: [SensitiveReadLog, FamilyReplay],
})
export class AuditModule {}
