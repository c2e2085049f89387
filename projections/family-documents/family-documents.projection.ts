import { documentEvents, type FamilyDocumentSubmittedData } from '../../src/modules/documents/documents.events';
import type { ProjectionDefinition } from '../../src/platform/projections/projection';

/** One document per document a family provided: its validity and staff's decision. */
export type FamilyDocumentDocument = Omit<FamilyDocumentSubmittedData, 'submittedBy'> & {
  familyId: string;
  status: 'pending' | 'accepted' | 'refused';
  decidedAt?: string;
  reason?: string;
};

export const familyDocumentsProjection: ProjectionDefinition<FamilyDocumentDocument> = {
  name: 'family-documents',
  version: 1,
  eventTypes: ['FamilyDocumentSubmitted', 'FamilyDocumentAccepted', 'FamilyDocumentRefused'],
  indexedFields: ['familyId', 'status', 'commune', 'submittedAt'],
  documentIds: (event) => (typeof event.data.documentId === 'string' ? [event.data.documentId] : []),
  evolve(document, event) {
    const e = documentEvents.narrow(event);
    if (!e) return document;
    switch (e.type) {
      case 'FamilyDocumentSubmitted': {
        const familyId = event.metadata.familyId;
        if (!familyId) return document;
        const { submittedBy: _by, ...data } = e.data;
        return { ...data, familyId, status: 'pending' };
      }
      case 'FamilyDocumentAccepted':
        return document && { ...document, status: 'accepted', decidedAt: e.data.acceptedAt };
      case 'FamilyDocumentRefused':
        return document && { ...document, status: 'refused', decidedAt: e.data.refusedAt, reason: e.data.reason };
      default:
        return document;
    }
  },
};
