import type { ReadModels } from '../../src/platform/projections/read-models';
import { type ThreadMessageDocument, threadMessagesProjection } from './thread-messages.projection';

const PAGE = 1000;
/** A conversation of 10,000 messages is far beyond any real one; the read stays bounded all the same. */
const MAX_PAGES = 10;

/** The messages of a conversation, oldest first. */
export async function messagesOfThread(readModels: ReadModels, threadId: string): Promise<ThreadMessageDocument[]> {
  const items: ThreadMessageDocument[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await readModels.find<ThreadMessageDocument>(threadMessagesProjection.name, {
      where: { threadId },
      sort: [{ field: 'seq', direction: 'asc' }],
      limit: PAGE,
      cursor,
    });
    items.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return items;
}

export interface MessageSearch {
  familyId: string;
  /** every word must appear in the body (case and accents ignored) */
  words: string[];
  /** ISO instants, inclusive */
  from?: string;
  to?: string;
}

/** A family's messages that match a search, newest first (at most `limit`). */
export async function searchFamilyMessages(readModels: ReadModels, search: MessageSearch, limit = 200): Promise<ThreadMessageDocument[]> {
  const range: { gte?: string; lte?: string } = {};
  if (search.from) range.gte = search.from;
  if (search.to) range.lte = search.to;
  const words = search.words.map(fold).filter(Boolean);
  const found: ThreadMessageDocument[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES && found.length < limit; page++) {
    const result = await readModels.find<ThreadMessageDocument>(threadMessagesProjection.name, {
      where: { familyId: search.familyId, ...(search.from || search.to ? { postedAt: range } : {}) },
      sort: [{ field: 'postedAt', direction: 'desc' }],
      limit: PAGE,
      cursor,
    });
    for (const message of result.items) {
      const text = fold(message.body);
      if (words.every((w) => text.includes(w))) found.push(message);
      if (found.length >= limit) break;
    }
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return found;
}

/** Lower case without accents: « Réservation » matches « reservation ». */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}
