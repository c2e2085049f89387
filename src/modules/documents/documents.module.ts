import { Global, Injectable, Module, OnModuleInit } from '@nestjs/common';

import { familyDocument } from '../../../projections/family-documents/family-documents.queries';
import { ReadModels } from '../../platform/projections/read-models';
import { WorkflowHost } from '../../platform/workflows/workflow-host';
import { DocumentsController } from './documents.controller';
import { documentDecisionNotificationWorkflow } from './notifications/document-decision-notification.workflow';
import { PublicationsController } from './publications/publications.controller';
import { RequiredDocuments } from './required-documents';

/** The family told of staff's decision on a document it sent (through messaging's notification service). */
@Injectable()
export class DocumentsWorkflows implements OnModuleInit {
  constructor(
    private readonly host: WorkflowHost,
    private readonly readModels: ReadModels,
  ) {}

  onModuleInit(): void {
    this.host.register(documentDecisionNotificationWorkflow, async (event) => {
      const document = await familyDocument(this.readModels, String(event.data.documentId));
      // the kind only names the document in the notice: without it the notice still goes
      return { kind: document?.kind ?? null };
    });
  }
}

/**
 * Bounded context "documents": what families must provide per activity, and staff's decisions. Global: the
 * planning context asks `RequiredDocuments` before accepting a reservation.
 */
@Global()
@Module({
  controllers: [DocumentsController, PublicationsController],
  providers: [RequiredDocuments, DocumentsWorkflows],
  exports: [RequiredDocuments],
})
export class DocumentsModule {}
