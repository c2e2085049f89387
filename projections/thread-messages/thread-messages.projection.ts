import { type Attachment, messagingEvents, type Side } from '../../src/modules/messaging/messaging.events';
import type { ProjectionDefinition } from '../../src/platform/projections/projection';

/** One document per message: a conversation's messages in order, and a family's messages for the search. */
export type ThreadMessageDocument = {
  messageId: string;
  threadId: string;
  familyId: string;
  side: Side;
  authorName: string;
  /** plain text as written: every output escapes it */
  body: string;
  attachments: Attachment[];
  postedAt: string;
  /** the message's place in its conversation (its event's stream revision): order among equal instants */
  seq: number;
};

export const threadMessagesProjection: ProjectionDefinition<ThreadMessageDocument> = {
  name: 'thread-messages',
  version: 1,
  eventTypes: ['MessagePosted'],
  indexedFields: ['threadId', 'familyId', 'postedAt', 'seq'],

  documentIds(event) {
    const messageId = event.data.messageId;
    return typeof messageId === 'string' && messageId ? [`${String(event.data.threadId)}|${messageId}`] : [];
  },

  evolve(document, event) {
    const e = messagingEvents.narrow(event);
    if (e?.type !== 'MessagePosted') return document;
    const familyId = event.metadata.familyId;
    if (!familyId) return document;
    const { threadId, messageId, side, authorName, body, attachments, postedAt } = e.data;
    return { messageId, threadId, familyId, side, authorName, body, attachments, postedAt, seq: event.revision };
  },
};
