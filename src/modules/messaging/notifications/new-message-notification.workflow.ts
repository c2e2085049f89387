/**
 * A message from staff is announced to the family (e-mail and SMS as the family consents): one notification
 * per message, its id derived from the message, so a redelivered event schedules it once.
 */
import type { Workflow, WorkflowOutput } from '../../../platform/workflows/workflow';
import { messagingEvents, type TOPIC_LABELS } from '../messaging.events';
import { type FamilyNotification, notify } from './family-notification';

/** What the notice names: the conversation's subject and who wrote. */
export type NewMessageFacts = {
  subject: string;
  facilityName: string;
  topicLabel: (typeof TOPIC_LABELS)[keyof typeof TOPIC_LABELS] | string;
};

export const newMessageNotificationWorkflow: Workflow<NewMessageFacts> = {
  name: 'new-message-notification',
  eventTypes: ['MessagePosted'],

  decide(event, facts): WorkflowOutput[] {
    const posted = messagingEvents.narrow(event);
    const familyId = event.metadata.familyId;
    // a notice of the notification service was itself notified (on the channels the family consents to)
    if (posted?.type !== 'MessagePosted' || posted.data.side !== 'staff' || posted.data.notificationId || !familyId) return [];
    const notificationId = `new-message-${posted.data.messageId}`;
    const notification: FamilyNotification = {
      notificationId,
      familyId,
      kind: 'new-message',
      title: 'Nouveau message',
      message: `${facts.facilityName} vous a écrit : « ${facts.subject} » (${facts.topicLabel}).`,
      sms: `nouveau message de ${facts.facilityName}. Consultez votre boite de reception.`,
      createdAt: event.metadata.recordedAt,
    };
    return [notify(notification)];
  },
};
