import type { FieldCondition } from '../../src/platform/document-store/document-store.port';
import type { ReadModels } from '../../src/platform/projections/read-models';
import { type MessageThreadDocument, messageThreadsProjection } from './message-threads.projection';

export type FamilyFolder = 'received' | 'sent' | 'deleted';

const PAGE = 1000;
const MAX_PAGES = 10;

export function threadOf(readModels: ReadModels, threadId: string): Promise<MessageThreadDocument | null> {
  return readModels.get<MessageThreadDocument>(messageThreadsProjection.name, threadId);
}

/**
 * A family's folder, the most recent conversation first. `deletedSince`: the deleted folder shows what was
 * deleted from then on (30 days back).
 */
export async function familyFolder(
  readModels: ReadModels,
  familyId: string,
  folder: FamilyFolder,
  options: { deletedSince: string; limit: number; cursor?: string },
): Promise<{ items: MessageThreadDocument[]; nextCursor?: string }> {
  const where: Record<string, FieldCondition> =
    folder === 'deleted'
      ? { familyId, familyDeleted: true, familyDeletedAt: { gte: options.deletedSince } }
      : { familyId, familyDeleted: false, [folder === 'received' ? 'hasStaffMessage' : 'hasFamilyMessage']: true };
  return readModels.find<MessageThreadDocument>(messageThreadsProjection.name, {
    where,
    sort: [{ field: folder === 'deleted' ? 'familyDeletedAt' : 'lastMessageAt', direction: 'desc' }],
    limit: options.limit,
    cursor: options.cursor,
  });
}

/** « Vous avez N nouveau(x) message(s) »: the family's unread messages, and the threads marked unread. */
export async function familyUnread(readModels: ReadModels, familyId: string): Promise<{ messages: number; threads: number }> {
  let messages = 0;
  let threads = 0;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await readModels.find<MessageThreadDocument>(messageThreadsProjection.name, {
      where: { familyId, familyDeleted: false, unreadFamily: { gt: 0 } },
      limit: PAGE,
      cursor,
    });
    for (const thread of result.items) {
      messages += thread.unreadFamily;
      threads += 1;
    }
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return { messages, threads };
}

/** A facility's queue: the conversations waiting for an answer from staff, oldest first. */
export function staffQueue(
  readModels: ReadModels,
  queueKey: string,
  options: { limit: number; cursor?: string },
): Promise<{ items: MessageThreadDocument[]; nextCursor?: string }> {
  return readModels.find<MessageThreadDocument>(messageThreadsProjection.name, {
    where: { queueKey, awaitingStaff: true, staffDeleted: false },
    sort: [{ field: 'awaitingSince', direction: 'asc' }],
    limit: options.limit,
    cursor: options.cursor,
  });
}

export function staffQueueCount(readModels: ReadModels, queueKey: string): Promise<number> {
  return readModels.count(messageThreadsProjection.name, { queueKey, awaitingStaff: true, staffDeleted: false });
}

/** The conversations of one facility, the most recent first (staff's own folder). */
export function facilityThreads(
  readModels: ReadModels,
  queueKey: string,
  options: { deleted: boolean; limit: number; cursor?: string },
): Promise<{ items: MessageThreadDocument[]; nextCursor?: string }> {
  return readModels.find<MessageThreadDocument>(messageThreadsProjection.name, {
    where: { queueKey, staffDeleted: options.deleted },
    sort: [{ field: 'lastMessageAt', direction: 'desc' }],
    limit: options.limit,
    cursor: options.cursor,
  });
}
