/**
 * A family's change request accepted or refused (with the reason) is announced to the family: one
 * notification per decision, its id derived from the request.
 */
import type { Workflow, WorkflowOutput } from '../../../platform/workflows/workflow';
import { familyEvents } from '../../families';
import { type FamilyNotification, notify } from './family-notification';

export const requestDecisionNotificationWorkflow: Workflow<undefined> = {
  name: 'request-decision-notification',
  eventTypes: ['ChangeRequestAccepted', 'ChangeRequestRefused'],

  decide(event): WorkflowOutput[] {
    const decided = familyEvents.narrow(event);
    const familyId = event.metadata.familyId;
    if (!familyId || (decided?.type !== 'ChangeRequestAccepted' && decided?.type !== 'ChangeRequestRefused')) return [];
    const accepted = decided.type === 'ChangeRequestAccepted';
    const notificationId = `request-${accepted ? 'accepted' : 'refused'}-${decided.data.requestId}`;
    const notification: FamilyNotification = {
      notificationId,
      familyId,
      kind: accepted ? 'request-accepted' : 'request-refused',
      title: accepted ? 'Demande acceptée' : 'Demande refusée',
      message: accepted
        ? 'Votre demande de modification a été acceptée : votre dossier est à jour. Retrouvez-la dans la « Liste des demandes ».'
        : `Votre demande de modification a été refusée. Motif : ${decided.type === 'ChangeRequestRefused' ? decided.data.reason : ''}. Retrouvez-la dans la « Liste des demandes ».`,
      sms: accepted ? 'votre demande a été acceptée.' : 'votre demande a été refusée, voir la Liste des demandes.',
      createdAt: event.metadata.recordedAt,
    };
    return [notify(notification)];
  },
};
