import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';

import type { Document, DocumentStore, FieldCondition, FindResult } from '../../../platform/document-store/document-store.port';
import { DomainError } from '../../../platform/domain/domain-error';
import { ProjectionRunner } from '../../../platform/projections/projection-runner';
import { DOCUMENT_STORE } from '../../../platform/tokens';
import { GetFamilyRecordQuery, ListFamilyRequestsQuery, ListPendingRequestsQuery, ReadModelDocument } from './family-queries';

@QueryHandler(GetFamilyRecordQuery)
export class GetFamilyRecordHandler implements IQueryHandler<GetFamilyRecordQuery> {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    private readonly projections: ProjectionRunner,
  ) {}

  async execute(query: GetFamilyRecordQuery): Promise<Document<ReadModelDocument> | null> {
    return this.documents.get(await this.projections.collectionOf('family-record'), query.familyId);
  }
}

@QueryHandler(ListFamilyRequestsQuery)
export class ListFamilyRequestsHandler implements IQueryHandler<ListFamilyRequestsQuery> {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    private readonly projections: ProjectionRunner,
  ) {}

  async execute(query: ListFamilyRequestsQuery): Promise<Document<ReadModelDocument>[]> {
    const where: Record<string, FieldCondition> = { familyId: query.familyId, requestedAt: { gte: query.since } };
    if (query.category) where.category = query.category;
    if (query.status) where.status = query.status;
    const collection = await this.projections.collectionOf('change-requests');
    const items: Document<ReadModelDocument>[] = [];
    let cursor: string | undefined;
    // A family asks a handful of things a month; pages keep a pathological family bounded all the same.
    for (let page = 0; page < 10; page++) {
      const result = await this.documents.find<ReadModelDocument>(collection, {
        where,
        sort: [{ field: 'requestedAt', direction: 'desc' }],
        limit: 500,
        cursor,
      });
      items.push(...result.items);
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    return items;
  }
}

@QueryHandler(ListPendingRequestsQuery)
export class ListPendingRequestsHandler implements IQueryHandler<ListPendingRequestsQuery> {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    private readonly projections: ProjectionRunner,
  ) {}

  async execute(query: ListPendingRequestsQuery): Promise<FindResult<ReadModelDocument>> {
    const { category, familyId, from, to, communes } = query.filter;
    const where: Record<string, FieldCondition> = {};
    if (communes) where.commune = { in: communes };
    if (category) where.category = category;
    if (familyId) where.familyId = familyId;
    if (from || to) where.requestedAt = { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) };
    try {
      return await this.documents.find<ReadModelDocument>(await this.projections.collectionOf('staff-queue'), {
        where,
        sort: [{ field: 'requestedAt', direction: 'asc' }],
        limit: query.limit,
        cursor: query.cursor,
      });
    } catch (error) {
      if (query.cursor && error instanceof Error && /cursor/i.test(error.message)) {
        throw new DomainError('INVALID_CURSOR', 'Le curseur de pagination est invalide.', 'invalid');
      }
      throw error;
    }
  }
}
