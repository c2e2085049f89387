import { type EventOf, eventTable } from '../../platform/domain/event-table';

/** One stream per conversation between a family and a facility (or the commune's family service). */
export function threadStream(threadId: string): string {
  return `message-thread-${threadId}`;
}

/** One stream per broadcast: the message and the families it goes to (each gets a thread of its own). */
export function broadcastStream(broadcastId: string): string {
  return `message-broadcast-${broadcastId}`;
}

/** Who wrote or reads: the family's parents, or the facility's staff. */
export type Side = 'family' | 'staff';

/** The subjects a conversation is filed under (« Objet »). */
export const TOPICS = ['reservation', 'billing', 'health', 'other'] as const;
export type Topic = (typeof TOPICS)[number];
export const TOPIC_LABELS: Record<Topic, string> = {
  reservation: 'Réservation',
  billing: 'Facturation',
  health: 'Santé',
  other: 'Autre',
};

/** The recipient of a thread when no facility is named: the commune's family service. */
export const COMMUNE_SERVICE = 'service-famille';
export const COMMUNE_SERVICE_NAME = 'Service enfance-famille de la commune';

/** An attachment as messages carry it: the FileStore id and what was checked of the file. */
export type Attachment = {
  fileId: string;
  filename: string;
  /** decided from the file's bytes: application/pdf, image/jpeg or image/png */
  contentType: string;
  size: number;
  sha256: string;
};

export type ThreadStartedData = {
  threadId: string;
  familyId: string;
  commune: string;
  /** a facility id, or COMMUNE_SERVICE */
  facilityId: string;
  facilityName: string;
  topic: Topic;
  subject: string;
  startedBy: Side;
  /** set when the thread is one family's copy of a broadcast */
  broadcastId?: string;
  startedAt: string;
};

export type MessagePostedData = {
  threadId: string;
  messageId: string;
  side: Side;
  /** plain text as written (escaped on every output), at most 10,000 characters */
  body: string;
  /** the author's display name as the other side sees it */
  authorName: string;
  attachments: Attachment[];
  postedAt: string;
  postedBy: string;
  /** set when the message is a notice of the notification service (not written by a person) */
  notificationId?: string;
};

export type ThreadReadData = { threadId: string; side: Side; readAt: string; readBy: string };
export type ThreadMarkedUnreadData = { threadId: string; side: Side; markedAt: string; markedBy: string };
export type ThreadDeletedData = { threadId: string; side: Side; deletedAt: string; deletedBy: string };
export type ThreadRestoredData = { threadId: string; side: Side; restoredAt: string; restoredBy: string };

export type BroadcastSentData = {
  broadcastId: string;
  commune: string;
  facilityId: string;
  facilityName: string;
  /** the activity whose families receive it (absent: every family of the facility's activities) */
  activityId?: string;
  topic: Topic;
  subject: string;
  body: string;
  authorName: string;
  attachments: Attachment[];
  /** family ids, each gets its own thread */
  recipients: string[];
  sentAt: string;
  sentBy: string;
};

type MessagingEventData = {
  ThreadStarted: ThreadStartedData;
  MessagePosted: MessagePostedData;
  ThreadRead: ThreadReadData;
  ThreadMarkedUnread: ThreadMarkedUnreadData;
  ThreadDeleted: ThreadDeletedData;
  ThreadRestored: ThreadRestoredData;
  BroadcastSent: BroadcastSentData;
};

/**
 * A family's messages are personal data: the subject and body a parent writes, the author's name and the
 * names of attached files are encrypted per family (crypto-shredding). A broadcast is written by staff to
 * many families and names none of them: it holds no family's personal data.
 */
export const messagingEvents = eventTable<MessagingEventData>({
  ThreadStarted: { version: 1, personalData: ['subject'] },
  MessagePosted: { version: 1, personalData: ['body', 'authorName', 'attachments'] },
  ThreadRead: { version: 1, personalData: [] },
  ThreadMarkedUnread: { version: 1, personalData: [] },
  ThreadDeleted: { version: 1, personalData: [] },
  ThreadRestored: { version: 1, personalData: [] },
  BroadcastSent: { version: 1, personalData: [] },
});

export type MessagingEvent = EventOf<MessagingEventData>;
export type ThreadEvent = EventOf<
  MessagingEventData,
  'ThreadStarted' | 'MessagePosted' | 'ThreadRead' | 'ThreadMarkedUnread' | 'ThreadDeleted' | 'ThreadRestored'
>;
export type BroadcastEvent = EventOf<MessagingEventData, 'BroadcastSent'>;
