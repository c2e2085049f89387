import type { FieldCondition } from '../../src/platform/document-store/document-store.port';
import { findAll, type ReadModels } from '../../src/platform/projections/read-models';
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

/** « Liste des demandes »: the family's requests of every kind since an instant, newest first. */
export async function familyRequestList(readModels: ReadModels, filter: FamilyRequestListFilter): Promise<FamilyRequestDocument[]> {
  const where: Record<string, FieldCondition> = { familyId: filter.familyId, requestedAt: { gte: filter.since } };
  if (filter.section) where.section = filter.section;
  if (filter.type) where.type = filter.type;
  if (filter.status) where.status = filter.status;
  return findAll<FamilyRequestDocument>(readModels, familyRequestsProjection.name, {
    where,
    sort: [{ field: 'requestedAt', direction: 'desc' }],
  });
}
