import { Query } from '@nestjs/cqrs';

import type { Document, FindResult } from '../../../platform/document-store/document-store.port';
import type { ChangeCategory, ChangeRequestStatus } from '../families.types';

export type ReadModelDocument = Record<string, unknown>;

export class GetFamilyRecordQuery extends Query<Document<ReadModelDocument> | null> {
  constructor(readonly familyId: string) {
    super();
  }
}

/** The parent's "Liste des demandes": requests of the last month (older ones stay in the history). */
export class ListFamilyRequestsQuery extends Query<Document<ReadModelDocument>[]> {
  constructor(
    readonly familyId: string,
    readonly since: string,
    readonly category?: ChangeCategory,
    readonly status?: ChangeRequestStatus,
  ) {
    super();
  }
}

/** The staff queue of pending requests, oldest first. */
export class ListPendingRequestsQuery extends Query<FindResult<ReadModelDocument>> {
  constructor(
    /** communes: the agent's scope (undefined: every commune) */
    readonly filter: { category?: ChangeCategory; familyId?: string; from?: string; to?: string; communes?: string[] },
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}
