import { Global, Module } from '@nestjs/common';

import { DocumentsController } from './documents.controller';
import { PublicationsController } from './publications/publications.controller';
import { RequiredDocuments } from './required-documents';

/**
 * Bounded context "documents": what families must provide per activity, and staff's decisions. Global: the
 * planning context asks `RequiredDocuments` before accepting a reservation.
 */
@Global()
@Module({
  controllers: [DocumentsController, PublicationsController],
  providers: [RequiredDocuments],
  exports: [RequiredDocuments],
})
export class DocumentsModule {}
