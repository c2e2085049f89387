import type { ChangeCategory, ChangeRequestStatus } from '../../src/modules/families/families.types';
import type { FieldCondition } from '../../src/platform/document-store/document-store.port';
import type { ReadModels } from '../../src/platform/projections/read-models';
import { type ChangeRequestDocument, changeRequestsProjection } from './change-requests.projection';

export interface FamilyRequestsFilter {
  familyId: string;
  /** ISO instant: requests made from then on (the list shows the last month) */
  since: string;
  category?: ChangeCategory;
  status?: ChangeRequestStatus;
}

const PAGE = 500;
/** A family asks a handful of things a month; pages keep a pathological family bounded all the same. */
const MAX_PAGES = 10;

/** « Liste des demandes »: the family's requests since an instant, newest first. */
export async function familyRequestsSince(readModels: ReadModels, filter: FamilyRequestsFilter): Promise<ChangeRequestDocument[]> {
  const where: Record<string, FieldCondition> = { familyId: filter.familyId, requestedAt: { gte: filter.since } };
  if (filter.category) where.category = filter.category;
  if (filter.status) where.status = filter.status;
  const items: ChangeRequestDocument[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await readModels.find<ChangeRequestDocument>(changeRequestsProjection.name, {
      where,
      sort: [{ field: 'requestedAt', direction: 'desc' }],
      limit: PAGE,
      cursor,
    });
    items.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return items;
}
