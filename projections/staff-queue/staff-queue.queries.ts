import type { ChangeCategory } from '../../src/modules/families/families.types';
import type { FieldCondition } from '../../src/platform/document-store/document-store.port';
import type { ReadModelPage, ReadModels } from '../../src/platform/projections/read-models';
import { type StaffQueueDocument, staffQueueProjection } from './staff-queue.projection';

export interface PendingRequestsFilter {
  category?: ChangeCategory;
  familyId?: string;
  /** requests received from (date or instant, inclusive) */
  from?: string;
  /** requests received before (date or instant, exclusive) */
  to?: string;
  /** the agent's communes (upper case); undefined: every commune */
  communes?: string[];
}

/** The staff queue: requests waiting for a decision, oldest first, a page at a time. */
export function pendingRequests(
  readModels: ReadModels,
  filter: PendingRequestsFilter,
  page: { limit: number; cursor?: string },
): Promise<ReadModelPage<StaffQueueDocument>> {
  const { category, familyId, from, to, communes } = filter;
  const where: Record<string, FieldCondition> = {};
  if (communes) where.commune = { in: communes };
  if (category) where.category = category;
  if (familyId) where.familyId = familyId;
  if (from || to) where.requestedAt = { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) };
  return readModels.find<StaffQueueDocument>(staffQueueProjection.name, {
    where,
    sort: [{ field: 'requestedAt', direction: 'asc' }],
    limit: page.limit,
    cursor: page.cursor,
  });
}
