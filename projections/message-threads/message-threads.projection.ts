import { type Attachment, messagingEvents, type Side, type Topic, TOPIC_LABELS } from '../../src/modules/messaging/messaging.events';
import type { ProjectionDefinition } from '../../src/platform/projections/projection';

/**
 * « Boîte de réception »: one document per conversation, with what both sides' folders, unread counts and
 * the staff queue need. Folders are indexed flags: a family's received folder holds the threads with a
 * message from staff, its sent folder those with a message of its own (and their replies), its deleted
 * folder those it deleted (restorable for 30 days). The staff queue of a facility (`queueKey`) holds the
 * threads whose last message came from the family, oldest first (`awaitingSince`).
 */
export type MessageThreadDocument = {
  threadId: string;
  familyId: string;
  commune: string;
  facilityId: string;
  facilityName: string;
  /** `<COMMUNE>|<facilityId>`: the staff queue a thread waits in */
  queueKey: string;
  topic: Topic;
  topicLabel: string;
  subject: string;
  startedBy: Side;
  broadcastId?: string;
  startedAt: string;
  lastMessageAt: string;
  lastMessageSide: Side;
  messageCount: number;
  unreadFamily: number;
  unreadStaff: number;
  /** a side marked the thread unread by hand */
  markedUnreadFamily: boolean;
  markedUnreadStaff: boolean;
  hasStaffMessage: boolean;
  hasFamilyMessage: boolean;
  familyDeletedAt: string | null;
  staffDeletedAt: string | null;
  familyDeleted: boolean;
  staffDeleted: boolean;
  /** the family wrote last and staff have not answered yet */
  awaitingStaff: boolean;
  /** when the oldest unanswered family message was posted (null when none waits) */
  awaitingSince: string | null;
  attachments: (Attachment & { messageId: string })[];
};

export function queueKeyOf(commune: string, facilityId: string): string {
  return `${commune.toUpperCase()}|${facilityId}`;
}

export const messageThreadsProjection: ProjectionDefinition<MessageThreadDocument> = {
  name: 'message-threads',
  version: 1,
  eventTypes: ['ThreadStarted', 'MessagePosted', 'ThreadRead', 'ThreadMarkedUnread', 'ThreadDeleted', 'ThreadRestored'],
  indexedFields: [
    'familyId',
    'queueKey',
    'commune',
    'lastMessageAt',
    'awaitingStaff',
    'awaitingSince',
    'hasStaffMessage',
    'hasFamilyMessage',
    'familyDeleted',
    'staffDeleted',
    'familyDeletedAt',
    'unreadFamily',
  ],

  documentIds(event) {
    const threadId = event.data.threadId;
    return typeof threadId === 'string' && threadId ? [threadId] : [];
  },

  evolve(document, event) {
    const e = messagingEvents.narrow(event);
    if (!e) return document;
    if (e.type === 'ThreadStarted') {
      const d = e.data;
      return {
        threadId: d.threadId,
        familyId: d.familyId,
        commune: d.commune,
        facilityId: d.facilityId,
        facilityName: d.facilityName,
        queueKey: queueKeyOf(d.commune, d.facilityId),
        topic: d.topic,
        topicLabel: TOPIC_LABELS[d.topic],
        subject: d.subject,
        startedBy: d.startedBy,
        ...(d.broadcastId ? { broadcastId: d.broadcastId } : {}),
        startedAt: d.startedAt,
        lastMessageAt: d.startedAt,
        lastMessageSide: d.startedBy,
        messageCount: 0,
        unreadFamily: 0,
        unreadStaff: 0,
        markedUnreadFamily: false,
        markedUnreadStaff: false,
        hasStaffMessage: false,
        hasFamilyMessage: false,
        familyDeletedAt: null,
        staffDeletedAt: null,
        familyDeleted: false,
        staffDeleted: false,
        awaitingStaff: false,
        awaitingSince: null,
        attachments: [],
      };
    }
    if (!document) return null;
    switch (e.type) {
      case 'MessagePosted': {
        const d = e.data;
        const fromFamily = d.side === 'family';
        return {
          ...document,
          lastMessageAt: d.postedAt,
          lastMessageSide: d.side,
          messageCount: document.messageCount + 1,
          ...(fromFamily
            ? {
                hasFamilyMessage: true,
                unreadStaff: document.unreadStaff + 1,
                staffDeletedAt: null,
                staffDeleted: false,
                awaitingStaff: true,
                awaitingSince: document.awaitingSince ?? d.postedAt,
              }
            : {
                hasStaffMessage: true,
                unreadFamily: document.unreadFamily + 1,
                familyDeletedAt: null,
                familyDeleted: false,
                awaitingStaff: false,
                awaitingSince: null,
              }),
          attachments: [...document.attachments, ...d.attachments.map((a) => ({ ...a, messageId: d.messageId }))],
        };
      }
      case 'ThreadRead':
        return e.data.side === 'family'
          ? { ...document, unreadFamily: 0, markedUnreadFamily: false }
          : { ...document, unreadStaff: 0, markedUnreadStaff: false };
      case 'ThreadMarkedUnread':
        return e.data.side === 'family' ? { ...document, markedUnreadFamily: true } : { ...document, markedUnreadStaff: true };
      case 'ThreadDeleted':
        return e.data.side === 'family'
          ? { ...document, familyDeletedAt: e.data.deletedAt, familyDeleted: true }
          : { ...document, staffDeletedAt: e.data.deletedAt, staffDeleted: true };
      case 'ThreadRestored':
        return e.data.side === 'family'
          ? { ...document, familyDeletedAt: null, familyDeleted: false }
          : { ...document, staffDeletedAt: null, staffDeleted: false };
      default:
        return document;
    }
  },
};
