import type { DocumentStore, FieldCondition, FindQuery } from '../document-store/document-store.port';
import { DomainError } from '../domain/domain-error';
import { CHANGES_COLLECTION, type ProjectionRunner } from './projection-runner';

/** A page of read-model documents. */
export interface ReadModelPage<T> {
  items: T[];
  /** present when more documents follow */
  nextCursor?: string;
}

/**
 * What a projection's typed queries read through (`projections/<read-model>/<read-model>.queries.ts`):
 * the documents of a read model by the projection's name, in whichever collection is active (a rebuild
 * switches it), without the runner's bookkeeping. Modules never name a collection: they call the queries.
 */
export abstract class ReadModels {
  abstract get<T>(projection: string, id: string): Promise<T | null>;
  abstract find<T>(projection: string, query?: FindQuery): Promise<ReadModelPage<T>>;
  abstract count(projection: string, where?: Record<string, FieldCondition>): Promise<number>;
  /** the position of the last event the read model reflects (0 before any) */
  abstract checkpoint(projection: string): Promise<number>;
  /**
   * What changes when the read model's content may have changed, and only then (unlike the checkpoint, which moves
   * with every event of the log): the active collection and the position of the last event of the projection's
   * types it handled. Readers that keep a whole read model in memory compare it with `sameVersion`.
   */
  abstract version(projection: string): Promise<ReadModelVersion>;
}

/** See ReadModels.version. */
export interface ReadModelVersion {
  collection: string;
  lastChange: number;
}

export const sameVersion = (a: ReadModelVersion, b: ReadModelVersion): boolean =>
  a.collection === b.collection && a.lastChange === b.lastChange;

/** The runner's bookkeeping field on every read-model document. */
const DOC_POSITION = '_position';

function withoutBookkeeping<T>(data: Record<string, unknown>): T {
  const { [DOC_POSITION]: _position, ...rest } = data;
  return rest as T;
}

/** ReadModels over the DocumentStore and the projection runner's active collections. */
export class DocumentReadModels extends ReadModels {
  constructor(
    private readonly documents: DocumentStore,
    private readonly projections: Pick<ProjectionRunner, 'collectionOf'>,
  ) {
    super();
  }

  async get<T>(projection: string, id: string): Promise<T | null> {
    const document = await this.documents.get(await this.projections.collectionOf(projection), id);
    return document ? withoutBookkeeping<T>(document.data) : null;
  }

  async find<T>(projection: string, query: FindQuery = {}): Promise<ReadModelPage<T>> {
    const collection = await this.projections.collectionOf(projection);
    try {
      const page = await this.documents.find(collection, query);
      return { items: page.items.map((d) => withoutBookkeeping<T>(d.data)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    } catch (error) {
      // A cursor the client altered, or replayed with other filters: the client's mistake, not ours.
      if (query.cursor && error instanceof Error && /cursor/i.test(error.message)) {
        throw new DomainError('INVALID_CURSOR', 'Le curseur de pagination est invalide.', 'invalid');
      }
      throw error;
    }
  }

  async count(projection: string, where?: Record<string, FieldCondition>): Promise<number> {
    return this.documents.count(await this.projections.collectionOf(projection), where);
  }

  async checkpoint(projection: string): Promise<number> {
    return (await this.documents.getCheckpoint(await this.projections.collectionOf(projection))) ?? 0;
  }

  async version(projection: string): Promise<ReadModelVersion> {
    const collection = await this.projections.collectionOf(projection);
    const mark = await this.documents.get<{ position: number }>(CHANGES_COLLECTION, collection);
    return { collection, lastChange: mark?.data.position ?? 0 };
  }
}
