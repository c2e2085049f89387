/**
 * DocumentStore port: read models, projection checkpoints and small platform records (idempotency keys).
 * Adapters: SQLite (JSON documents in tables) and MongoDB (official `mongodb` driver).
 * Every adapter passes the same contract suite (test/contract/document-store.contract.ts).
 *
 * Narrow on purpose: read models are computed in TypeScript by projections, the store only keeps them.
 *
 * Names (checked by adapters, which throw an Error otherwise):
 * - collections match /^[a-z][a-z0-9_-]*$/i; use lower case: SQLite table names ignore case, MongoDB's do not;
 * - fields are paths of identifiers separated by dots ("status", "child.id"), /^[A-Za-z_][A-Za-z0-9_.]*$/.
 * Conditions follow MongoDB's typing: `true` does not match 1, and a range only matches values of its bound's type.
 */

export interface Document<T = Record<string, unknown>> {
  id: string;
  /** incremented by every put; 1 for a new document */
  version: number;
  data: T;
}

/** Version guard for writes: 'absent' = must not exist yet; a number = must be at exactly that version. */
export type ExpectedVersion = 'absent' | number;

export type Scalar = string | number | boolean | null;

/** Equality on a scalar, membership, or range on an indexed field (dotted paths allowed, e.g. "child.id"). */
export type FieldCondition = Scalar | { in: Scalar[] } | { gt?: Scalar; gte?: Scalar; lt?: Scalar; lte?: Scalar };

export interface FindQuery {
  where?: Record<string, FieldCondition>;
  /** sort keys applied in order; the document id is always appended as a final tie-breaker (same direction as the last key) */
  sort?: { field: string; direction: 'asc' | 'desc' }[];
  /** default 100, max 1000 */
  limit?: number;
  /** opaque cursor from a previous page (same where and sort) */
  cursor?: string;
}

export interface FindResult<T> {
  items: Document<T>[];
  /** present when more documents follow */
  nextCursor?: string;
}

export type WriteOp =
  | { op: 'put'; collection: string; id: string; data: Record<string, unknown>; expectedVersion?: ExpectedVersion }
  | { op: 'delete'; collection: string; id: string; expectedVersion?: number };

export interface Checkpoint {
  name: string;
  position: number;
}

/**
 * A collection whose documents expire (sessions, idempotency answers): each document expires at the earliest
 * instant found in `fields` (ISO strings in its data; a missing or unreadable one is ignored), plus `afterMs`.
 * A document with none of them never expires. Expired documents are purged in the background (MongoDB: a TTL
 * index, its monitor runs every minute; SQLite: a purge every minute) and by purgeExpired(). Until then they can
 * still be read: whoever reads them checks their expiry as before.
 */
export interface CollectionExpiry {
  fields: string[];
  afterMs?: number;
}

export interface CollectionOptions {
  expiry?: CollectionExpiry;
}

export interface DocumentStore {
  /**
   * Declare the fields a collection is queried on (idempotent; adapters create indexes), and how its documents
   * expire. Every process that writes an expiring collection declares it at start (MongoDB computes a document's
   * expiry when it is written).
   */
  ensureCollection(collection: string, indexedFields: string[], options?: CollectionOptions): Promise<void>;
  get<T = Record<string, unknown>>(collection: string, id: string): Promise<Document<T> | null>;
  /**
   * The documents of `ids` that exist, by id, in one round trip (SQLite: one statement; MongoDB: one
   * `find({ _id: { $in } })`). Ids that are absent are absent from the map; duplicates are read once. For
   * batches (a projection loads every document a page of events touches at once), not for whole collections:
   * callers keep a batch to a few thousand ids.
   */
  getMany<T = Record<string, unknown>>(collection: string, ids: readonly string[]): Promise<Map<string, Document<T>>>;
  /** Insert or replace; returns the new version. Throws VersionConflictError when the guard fails. */
  put(collection: string, id: string, data: Record<string, unknown>, expectedVersion?: ExpectedVersion): Promise<number>;
  /** Returns true when a document was deleted. Throws VersionConflictError when the guard fails. */
  delete(collection: string, id: string, expectedVersion?: number): Promise<boolean>;
  find<T = Record<string, unknown>>(collection: string, query?: FindQuery): Promise<FindResult<T>>;
  count(collection: string, where?: Record<string, FieldCondition>): Promise<number>;
  /**
   * Apply writes together with an optional projection checkpoint, all or nothing (SQLite: one transaction;
   * MongoDB: per-document position guards and a compare-and-set on the checkpoint, see the adapter).
   * When `checkpoint` is given and the stored checkpoint is already >= checkpoint.position the batch is a no-op
   * and returns false (the events were handled before); otherwise true.
   */
  commitBatch(ops: WriteOp[], checkpoint?: Checkpoint): Promise<boolean>;
  getCheckpoint(name: string): Promise<number | undefined>;
  /**
   * Delete a whole collection and the checkpoint of the same name (used when a rebuilt projection takes over, and
   * before a rebuild fills a collection again: a checkpoint left behind would make it skip what it lost).
   */
  dropCollection(collection: string): Promise<void>;
  /** Delete the expired documents of the collections declared with an expiry now; returns how many. */
  purgeExpired(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class VersionConflictError extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
    readonly expected: ExpectedVersion | undefined,
    readonly actual: number | 'absent',
  ) {
    super(`Version conflict on ${collection}/${id}: expected ${String(expected)}, actual ${String(actual)}`);
    this.name = 'VersionConflictError';
  }
}
