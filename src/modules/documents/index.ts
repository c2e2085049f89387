/** The documents context's public face: what other contexts may use. */
export { documentEvents } from './documents.events';
export { DocumentsModule } from './documents.module';
export { type Booking, RequiredDocuments } from './required-documents';
