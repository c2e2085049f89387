import type { FieldCondition } from '../../src/platform/document-store/document-store.port';
import type { ReadModels } from '../../src/platform/projections/read-models';
import {
  type FamilyRequestDocument,
  familyRequestsProjection,
  type RequestSection,
  type RequestState,
  type RequestType,
} from './family-requests.projection';

export interface FamilyRequestListFilter {
  familyId: string;
  /** ISO instant: requests made from then on (the list shows the last month) */
  since: string;
  section?: RequestSection;
  type?: RequestType;
  status?: RequestState;
}

const PAGE = 500;
/** A family asks a few dozen things a month; pages keep a pathological family bounded all the same. */
const MAX_PAGES = 10;

/** « Liste des demandes »: the family's requests of every kind since an instant, newest first. */
export async function familyRequestList(readModels: ReadModels, filter: FamilyRequestListFilter): Promise<FamilyRequestDocument[]> {
  const where: Record<string, FieldCondition> = { familyId: filter.familyId, requestedAt: { gte: filter.since } };
  if (filter.section) where.section = filter.section;
  if (filter.type) where.type = filter.type;
  if (filter.status) where.status = filter.status;
  const items: FamilyRequestDocument[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await readModels.find<FamilyRequestDocument>(familyRequestsProjection.name, {
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
