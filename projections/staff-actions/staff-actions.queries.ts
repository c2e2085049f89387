import type { FieldCondition } from '../../src/platform/document-store/document-store.port';
import type { ReadModels } from '../../src/platform/projections/read-models';
import { type StaffActionDocument, staffActionsProjection } from './staff-actions.projection';

export interface StaffActionFilter {
  userId?: string;
  familyId?: string;
  /** ISO instants, inclusive */
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** The DPO's trail: a staff member's actions, or the staff actions on a family, newest first, paged. */
export async function staffActions(
  readModels: ReadModels,
  filter: StaffActionFilter,
): Promise<{ items: StaffActionDocument[]; nextCursor: string | null }> {
  const where: Record<string, FieldCondition> = {};
  if (filter.userId) where.userId = filter.userId;
  if (filter.familyId) where.familyId = filter.familyId;
  if (filter.from || filter.to) where.at = { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) };
  const page = await readModels.find<StaffActionDocument>(staffActionsProjection.name, {
    where,
    sort: [{ field: 'at', direction: 'desc' }],
    limit: filter.limit,
    cursor: filter.cursor,
  });
  return { items: page.items, nextCursor: page.nextCursor ?? null };
}
