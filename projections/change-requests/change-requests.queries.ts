import type { ChangeCategory, ChangeRequestStatus } from '../../src/modules/families/families.types';
import type { FieldCondition } from '../../src/platform/document-store/document-store.port';
import { findAll, type ReadModels } from '../../src/platform/projections/read-models';
import { type ChangeRequestDocument, changeRequestsProjection } from './change-requests.projection';

export interface FamilyRequestsFilter {
  familyId: string;
  /** ISO instant: requests made from then on (the list shows the last month) */
  since: string;
  category?: ChangeCategory;
  status?: ChangeRequestStatus;
}

/** « Liste des demandes »: the family's requests since an instant, newest first. */
export async function familyRequestsSince(readModels: ReadModels, filter: FamilyRequestsFilter): Promise<ChangeRequestDocument[]> {
  const where: Record<string, FieldCondition> = { familyId: filter.familyId, requestedAt: { gte: filter.since } };
  if (filter.category) where.category = filter.category;
  if (filter.status) where.status = filter.status;
  return findAll<ChangeRequestDocument>(readModels, changeRequestsProjection.name, {
    where,
    sort: [{ field: 'requestedAt', direction: 'desc' }],
  });
}
