/**
 * A document the family sent, accepted or refused (with the reason) by staff, is announced to the family
 * through the notification service: one notification per decision, its id derived from the document.
 */
import type { Workflow, WorkflowOutput } from '../../../platform/workflows/workflow';
import { type FamilyNotification, notify } from '../../messaging';
import { DOCUMENT_KIND_LABELS, documentEvents, type DocumentKind } from '../documents.events';

/** What the notice names: the kind of document (loaded from the family's documents). */
export type DocumentFacts = { kind: DocumentKind | null };

export const documentDecisionNotificationWorkflow: Workflow<DocumentFacts> = {
  name: 'document-decision-notification',
  eventTypes: ['FamilyDocumentAccepted', 'FamilyDocumentRefused'],

  decide(event, facts): WorkflowOutput[] {
    const decided = documentEvents.narrow(event);
    const familyId = event.metadata.familyId;
    if (!familyId || (decided?.type !== 'FamilyDocumentAccepted' && decided?.type !== 'FamilyDocumentRefused')) return [];
    const accepted = decided.type === 'FamilyDocumentAccepted';
    const label = facts.kind ? `« ${DOCUMENT_KIND_LABELS[facts.kind]} »` : '';
    const what = label ? `Votre document ${label}` : 'Votre document';
    const notificationId = `document-${accepted ? 'accepted' : 'refused'}-${decided.data.documentId}`;
    const notification: FamilyNotification = {
      notificationId,
      familyId,
      kind: accepted ? 'document-accepted' : 'document-refused',
      title: accepted ? 'Document accepté' : 'Document refusé',
      message: accepted
        ? `${what} a été accepté. Retrouvez-le dans « Infos / Documents ».`
        : `${what} a été refusé. Motif : ${decided.type === 'FamilyDocumentRefused' ? decided.data.reason : ''}. Envoyez-en un nouveau depuis « Infos / Documents ».`,
      sms: accepted ? 'votre document a été accepté.' : 'votre document a été refusé, voir Infos / Documents.',
      createdAt: event.metadata.recordedAt,
    };
    return [notify(notification)];
  },
};
