/**
 * DocumentStore adapter for MongoDB (server runtime), over the official `mongodb` driver v6.
 *
 * Layout: one MongoDB collection per document collection, documents stored as `{ _id: id, version, data }`, so the
 * fields the application queries live under `data.<field>` (indexed by ensureCollection). Projection checkpoints
 * live in the `_checkpoints` collection as `{ _id: name, position }`.
 *
 * No multi-document transaction is used anywhere: a standalone mongod (no replica set) must work. See commitBatch
 * for why the projection batches are nevertheless crash-safe.
 */
import {
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type Filter,
  MongoBulkWriteError,
  MongoClient,
  type MongoClientOptions,
  MongoServerError,
  type Sort,
} from 'mongodb';

import { type Clock, SystemClock } from '../clock/clock';
import {
  type Checkpoint,
  type CollectionExpiry,
  type CollectionOptions,
  type Document,
  type DocumentStore,
  type ExpectedVersion,
  type FieldCondition,
  type FindQuery,
  type FindResult,
  type Scalar,
  VersionConflictError,
  type WriteOp,
} from './document-store.port';

interface StoredDocument {
  _id: string;
  version: number;
  data: Record<string, unknown>;
  /** collections declared with an expiry: when the document expires (a BSON date, for the TTL index) */
  _expiresAt?: Date;
}

interface StoredCheckpoint {
  _id: string;
  position: number;
}

const CHECKPOINTS = '_checkpoints';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const DUPLICATE_KEY = 11000;
const NAMESPACE_NOT_FOUND = 26;
const EXPIRES_AT = '_expiresAt';

/** Keyset cursor: the sort values of the last returned document, then its id. */
interface CursorState {
  v: Scalar[];
  id: string;
}

type Direction = 'asc' | 'desc';

/**
 * Field names are identifiers joined by dots ("status", "child.id", "_position"): anything else (spaces, quotes,
 * `$` operators such as `$where`) is rejected before it reaches a query.
 */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function fieldPath(field: string): string {
  if (!FIELD_NAME.test(field)) throw new Error(`Invalid field name: ${JSON.stringify(field)}`);
  return `data.${field}`;
}

/**
 * Collection names: letters, digits, '_' and '-', starting with a letter (as the SQLite adapter requires). This
 * also keeps application collections apart from `_checkpoints` and from MongoDB's reserved `system.*` names.
 */
const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const MAX_COLLECTION_LENGTH = 100;

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function getPath(data: Record<string, unknown>, path: string): Scalar {
  let value: unknown = data;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  // missing and null sort together in MongoDB (both as null)
  return isScalar(value) ? value : null;
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, keys: number): CursorState {
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState;
    if (typeof state.id === 'string' && Array.isArray(state.v) && state.v.length === keys && state.v.every(isScalar)) {
      return state;
    }
  } catch {
    // fall through
  }
  throw new Error('Invalid cursor (it must come from a previous page of the same query)');
}

function conditionFilter(condition: FieldCondition): unknown {
  if (isScalar(condition)) return condition;
  if ('in' in condition) return { $in: condition.in };
  const range: Record<string, Scalar> = {};
  if (condition.gt !== undefined) range.$gt = condition.gt;
  if (condition.gte !== undefined) range.$gte = condition.gte;
  if (condition.lt !== undefined) range.$lt = condition.lt;
  if (condition.lte !== undefined) range.$lte = condition.lte;
  return range;
}

function whereFilter(where: Record<string, FieldCondition> | undefined): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const [field, condition] of Object.entries(where ?? {})) {
    const path = fieldPath(field);
    const translated = conditionFilter(condition);
    // a range without any bound constrains nothing (as a filter value, `{}` would mean "equals {}")
    if (translated !== null && typeof translated === 'object' && Object.keys(translated).length === 0) continue;
    filter[path] = translated;
  }
  return filter;
}

/**
 * Condition "strictly after `value` in the sort order of `direction`" on `path`.
 * MongoDB sorts null/missing before every other value, but its comparison operators only match values of the
 * same type bracket ($gt: 5 never matches a string, nor null). So null is handled explicitly, and a sort field is
 * assumed to hold one scalar type (or null): true of read-model fields.
 * Returns undefined when nothing can come after the value (descending, value null).
 */
function afterCondition(path: string, value: Scalar, direction: Direction): Record<string, unknown> | undefined {
  if (direction === 'asc') {
    return value === null ? { [path]: { $ne: null } } : { [path]: { $gt: value } };
  }
  if (value === null) return undefined;
  return { $or: [{ [path]: { $lt: value } }, { [path]: null }] };
}

/**
 * Keyset pagination over keys k1..kn (then _id): a document comes after the cursor when, for some i,
 * k1..k(i-1) equal the cursor's values and ki is after the cursor's value in ki's own direction. Each key has its
 * own direction, which is why this is an $or of per-key conditions rather than a single tuple comparison.
 */
function keysetFilter(keys: { path: string; direction: Direction }[], values: Scalar[]): Record<string, unknown> {
  const branches: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i++) {
    const after = afterCondition(keys[i].path, values[i], keys[i].direction);
    if (!after) continue;
    const equalities = keys.slice(0, i).map((k, j) => ({ [k.path]: values[j] }));
    branches.push(equalities.length === 0 ? after : { $and: [...equalities, after] });
  }
  // no branch: nothing comes after the cursor
  return branches.length > 0 ? { $or: branches } : { _id: { $in: [] } };
}

/** The earliest instant among the expiry fields of `data`, plus afterMs; undefined when none is readable. */
function expiresAt(data: Record<string, unknown>, expiry: CollectionExpiry): Date | undefined {
  const instants = expiry.fields
    .map((field) => getPath(data, field))
    .filter((v): v is string => typeof v === 'string')
    .map((v) => Date.parse(v))
    .filter((t) => Number.isFinite(t));
  if (instants.length === 0) return undefined;
  return new Date(Math.min(...instants) + (expiry.afterMs ?? 0));
}

export class MongoDocumentStore implements DocumentStore {
  private readonly client: MongoClient;
  private readonly db: Db;
  /** collections declared with an expiry in this process (ensureCollection) */
  private readonly expiring = new Map<string, CollectionExpiry>();

  /**
   * @param url mongodb:// connection string
   * @param dbName database; default: the one named in the URL, else the driver's default ("test")
   */
  constructor(
    url: string,
    dbName?: string,
    options: MongoClientOptions = {},
    private readonly clock: Clock = new SystemClock(),
  ) {
    // ignoreUndefined: `{ a: undefined }` is stored without `a`, as JSON (and the SQLite adapter) would do.
    // The driver connects lazily on the first operation.
    this.client = new MongoClient(url, { ignoreUndefined: true, serverSelectionTimeoutMS: 10_000, ...options });
    this.db = this.client.db(dbName);
  }

  private collection(name: string): Collection<StoredDocument> {
    if (!COLLECTION_NAME.test(name) || name.length > MAX_COLLECTION_LENGTH) {
      throw new Error(`Invalid collection name: ${JSON.stringify(name)}`);
    }
    return this.db.collection<StoredDocument>(name);
  }

  private get checkpoints(): Collection<StoredCheckpoint> {
    return this.db.collection<StoredCheckpoint>(CHECKPOINTS);
  }

  async ensureCollection(collection: string, indexedFields: string[], options: CollectionOptions = {}): Promise<void> {
    // createIndex is idempotent for an identical index (and creates the collection); without indexed fields the
    // collection simply appears with its first document
    const paths = indexedFields.map(fieldPath);
    for (const path of paths) await this.collection(collection).createIndex({ [path]: 1 });
    if (options.expiry) {
      const { fields, afterMs = 0 } = options.expiry;
      if (fields.length === 0) throw new Error('An expiry needs at least one field');
      fields.forEach(fieldPath);
      if (!(Number.isFinite(afterMs) && afterMs >= 0)) throw new Error(`Invalid expiry delay ${afterMs}`);
      // A TTL index on the expiry instant computed at each write (expireAfterSeconds 0: the instant already carries
      // the delay, so a change of delay needs no collMod). MongoDB's TTL monitor deletes expired documents every 60 s.
      await this.collection(collection).createIndex({ [EXPIRES_AT]: 1 }, { expireAfterSeconds: 0, name: 'expiry_ttl' });
      this.expiring.set(collection, { fields: [...fields], afterMs });
    }
  }

  /** The `_expiresAt` of a document about to be written ($unset when the collection expires but this one does not). */
  private expiryOf(collection: string, data: Record<string, unknown>): { set?: Date; expiring: boolean } {
    const expiry = this.expiring.get(collection);
    return expiry ? { set: expiresAt(data, expiry), expiring: true } : { expiring: false };
  }

  async purgeExpired(): Promise<number> {
    let purged = 0;
    for (const collection of this.expiring.keys()) {
      const result = await this.collection(collection).deleteMany({ [EXPIRES_AT]: { $lte: this.clock.now() } });
      purged += result.deletedCount;
    }
    return purged;
  }

  async get<T = Record<string, unknown>>(collection: string, id: string): Promise<Document<T> | null> {
    const stored = await this.collection(collection).findOne({ _id: id });
    return stored ? { id: stored._id, version: stored.version, data: stored.data as T } : null;
  }

  async getMany<T = Record<string, unknown>>(collection: string, ids: readonly string[]): Promise<Map<string, Document<T>>> {
    const found = new Map<string, Document<T>>();
    if (ids.length === 0) return found;
    const stored = await this.collection(collection)
      .find({ _id: { $in: [...new Set(ids)] } })
      .toArray();
    for (const d of stored) found.set(d._id, { id: d._id, version: d.version, data: d.data as T });
    return found;
  }

  private async actualVersion(collection: string, id: string): Promise<number | 'absent'> {
    const stored = await this.collection(collection).findOne({ _id: id }, { projection: { version: 1 } });
    return stored ? stored.version : 'absent';
  }

  async put(collection: string, id: string, data: Record<string, unknown>, expectedVersion?: ExpectedVersion): Promise<number> {
    const documents = this.collection(collection);
    const expiry = this.expiryOf(collection, data);
    const expires = expiry.set ? { [EXPIRES_AT]: expiry.set } : {};
    if (expectedVersion === 'absent') {
      try {
        await documents.insertOne({ _id: id, version: 1, data, ...expires });
        return 1;
      } catch (error) {
        if (isDuplicateKey(error))
          throw new VersionConflictError(collection, id, expectedVersion, await this.actualVersion(collection, id));
        throw error;
      }
    }
    if (typeof expectedVersion === 'number') {
      // compare-and-set on the version: the filter only matches the document at exactly that version
      const result = await documents.replaceOne({ _id: id, version: expectedVersion }, { version: expectedVersion + 1, data, ...expires });
      if (result.matchedCount === 0) {
        throw new VersionConflictError(collection, id, expectedVersion, await this.actualVersion(collection, id));
      }
      return expectedVersion + 1;
    }
    // unguarded upsert; two concurrent upserts of a new id can race on the insert (duplicate key): the retry then
    // finds the document and updates it
    for (let attempt = 1; ; attempt++) {
      try {
        const updated = await documents.findOneAndUpdate(
          { _id: id },
          {
            $set: { data, ...expires },
            $inc: { version: 1 },
            ...(expiry.expiring && !expiry.set ? { $unset: { [EXPIRES_AT]: '' as const } } : {}),
          },
          { upsert: true, returnDocument: 'after', projection: { version: 1 } },
        );
        if (!updated) throw new Error(`Upsert of ${collection}/${id} returned no document`);
        return updated.version;
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 3) throw error;
      }
    }
  }

  async delete(collection: string, id: string, expectedVersion?: number): Promise<boolean> {
    const filter: Filter<StoredDocument> = expectedVersion === undefined ? { _id: id } : { _id: id, version: expectedVersion };
    const result = await this.collection(collection).deleteOne(filter);
    if (result.deletedCount > 0) return true;
    if (expectedVersion === undefined) return false;
    throw new VersionConflictError(collection, id, expectedVersion, await this.actualVersion(collection, id));
  }

  async find<T = Record<string, unknown>>(collection: string, query: FindQuery = {}): Promise<FindResult<T>> {
    const requested = query.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(requested) || requested < 1) throw new Error(`limit must be a positive integer, got ${requested}`);
    const limit = Math.min(requested, MAX_LIMIT);
    const sortKeys = (query.sort ?? []).map((s) => ({ field: s.field, path: fieldPath(s.field), direction: s.direction }));
    // the id tie-breaker goes in the direction of the last key, so a page boundary never splits equal keys
    const idDirection: Direction = sortKeys.length > 0 ? sortKeys[sortKeys.length - 1].direction : 'asc';
    const keys = [...sortKeys.map((k) => ({ path: k.path, direction: k.direction })), { path: '_id', direction: idDirection }];

    const clauses: Record<string, unknown>[] = [whereFilter(query.where)];
    if (query.cursor) {
      const state = decodeCursor(query.cursor, sortKeys.length);
      clauses.push(keysetFilter(keys, [...state.v, state.id]));
    }
    const filter = (clauses.length === 1 ? clauses[0] : { $and: clauses }) as Filter<StoredDocument>;
    // an array of pairs keeps the key order explicit
    const sort: Sort = keys.map((k): [string, 1 | -1] => [k.path, k.direction === 'asc' ? 1 : -1]);

    const stored = await this.collection(collection)
      .find(filter)
      .sort(sort)
      .limit(limit + 1)
      .toArray();
    const page = stored.slice(0, limit);
    const items = page.map((d) => ({ id: d._id, version: d.version, data: d.data as T }));
    if (stored.length <= limit) return { items };
    const last = page[page.length - 1];
    return { items, nextCursor: encodeCursor({ v: sortKeys.map((k) => getPath(last.data, k.field)), id: last._id }) };
  }

  async count(collection: string, where?: Record<string, FieldCondition>): Promise<number> {
    return this.collection(collection).countDocuments(whereFilter(where) as Filter<StoredDocument>);
  }

  /**
   * Projection batches without transactions. Order of operations:
   *   1. read the checkpoint; if it is already >= the batch's position the events were handled: return false;
   *   2. check every version guard of the batch against the stored versions (taking the batch's own earlier ops
   *      into account), and throw VersionConflictError before writing anything when one fails;
   *   3. apply the writes in order, each still carrying its own guard, as one ordered bulkWrite per collection;
   *   4. advance the checkpoint with a compare-and-set (`position < new`), never moving it backwards.
   *
   * Why this is crash-safe: the checkpoint moves last. A crash before step 4 leaves some (or all) writes applied
   * and the checkpoint behind, so the runner handles the same events again. Every read-model document carries the
   * position of the last event applied to it (`data._position`), and the runner skips an event for a document whose
   * `_position` is already >= the event's position: the documents already written stay as they are, the missing
   * ones are written, and then the checkpoint advances. A replay changes nothing. The opposite order (checkpoint
   * first) would lose the events for good when a crash hits between the checkpoint and the writes.
   *
   * Not atomic under concurrency: step 2 makes a failing guard a no-op for the batch, but a concurrent writer
   * changing a document between steps 2 and 3 makes its guard fail midway, with the previous writes of the batch
   * applied (there is no rollback without a transaction). VersionConflictError is then thrown with the checkpoint
   * untouched; the runner reloads the documents and handles the events again, `_position` making that safe.
   */
  async commitBatch(ops: WriteOp[], checkpoint?: Checkpoint): Promise<boolean> {
    if (checkpoint) {
      const stored = await this.getCheckpoint(checkpoint.name);
      if (stored !== undefined && stored >= checkpoint.position) return false;
    }
    await this.checkGuards(ops);
    // one ordered bulkWrite per run of consecutive ops on the same collection (a projection batch: one)
    let start = 0;
    while (start < ops.length) {
      let end = start + 1;
      while (end < ops.length && ops[end].collection === ops[start].collection) end++;
      await this.bulkApply(ops[start].collection, ops.slice(start, end));
      start = end;
    }
    if (!checkpoint) return true;
    try {
      // matches only a checkpoint strictly behind; when none matches, the upsert tries to insert `_id: name`,
      // which succeeds for a new checkpoint and fails with a duplicate key when the stored one is already ahead
      await this.checkpoints.updateOne(
        { _id: checkpoint.name, position: { $lt: checkpoint.position } },
        { $set: { position: checkpoint.position } },
        { upsert: true },
      );
      return true;
    } catch (error) {
      // another runner advanced the checkpoint past this batch meanwhile: it handled these events too, and the
      // writes above were replays guarded by `_position`
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /**
   * Step 3 of commitBatch for one collection: one ordered bulkWrite, every write carrying its own guard (the filter
   * on `version`, or an insert for 'absent'). An insert that meets an existing id stops the bulk with a duplicate
   * key; a guarded replace or delete that matches nothing is not an error for MongoDB, so the counts are checked:
   * fewer matches than guarded writes means a concurrent writer moved a document after checkGuards (the writes
   * before it are applied, as the comment of commitBatch says), and VersionConflictError is thrown.
   */
  private async bulkApply(collection: string, ops: WriteOp[]): Promise<void> {
    let guardedPuts = 0;
    let unguardedPuts = 0;
    let guardedDeletes = 0;
    let unguardedDeletes = 0;
    const writes = ops.map((op): AnyBulkWriteOperation<StoredDocument> => {
      if (op.op === 'delete') {
        if (op.expectedVersion === undefined) {
          unguardedDeletes++;
          return { deleteOne: { filter: { _id: op.id } } };
        }
        guardedDeletes++;
        return { deleteOne: { filter: { _id: op.id, version: op.expectedVersion } } };
      }
      if (op.op !== 'put') throw new Error(`Unknown write op ${JSON.stringify(op)}`);
      const expiry = this.expiryOf(collection, op.data);
      const expires = expiry.set ? { [EXPIRES_AT]: expiry.set } : {};
      if (op.expectedVersion === 'absent') {
        return { insertOne: { document: { _id: op.id, version: 1, data: op.data, ...expires } } };
      }
      if (typeof op.expectedVersion === 'number') {
        guardedPuts++;
        return {
          replaceOne: {
            filter: { _id: op.id, version: op.expectedVersion },
            replacement: { version: op.expectedVersion + 1, data: op.data, ...expires },
          },
        };
      }
      unguardedPuts++;
      return {
        updateOne: {
          filter: { _id: op.id },
          update: {
            $set: { data: op.data, ...expires },
            $inc: { version: 1 },
            ...(expiry.expiring && !expiry.set ? { $unset: { [EXPIRES_AT]: '' as const } } : {}),
          },
          upsert: true,
        },
      };
    });
    let result;
    try {
      result = await this.collection(collection).bulkWrite(writes, { ordered: true });
    } catch (error) {
      if (error instanceof MongoBulkWriteError) {
        const failed = (Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors])[0];
        const op = failed ? ops[failed.index] : undefined;
        if (op && failed.code === DUPLICATE_KEY) {
          throw new VersionConflictError(collection, op.id, op.expectedVersion, await this.actualVersion(collection, op.id));
        }
      }
      throw error;
    }
    // matched: guarded replaces plus unguarded upserts that found their document (the others were upserted)
    const missed =
      result.matchedCount + result.upsertedCount < guardedPuts + unguardedPuts ||
      result.deletedCount < guardedDeletes ||
      (unguardedDeletes === 0 && result.deletedCount !== guardedDeletes);
    if (missed) {
      // name the first guarded write the stored versions now contradict (the batch has each id at most once)
      const versions = new Map<string, number>();
      const ids = ops.map((op) => op.id);
      for (const d of await this.collection(collection)
        .find({ _id: { $in: ids } }, { projection: { version: 1 } })
        .toArray())
        versions.set(d._id, d.version);
      const culprit =
        ops.find((op) =>
          op.op === 'delete'
            ? op.expectedVersion !== undefined && versions.has(op.id)
            : typeof op.expectedVersion === 'number' && versions.get(op.id) !== op.expectedVersion + 1,
        ) ?? ops.find((op) => op.expectedVersion !== undefined)!;
      throw new VersionConflictError(collection, culprit.id, culprit.expectedVersion, versions.get(culprit.id) ?? 'absent');
    }
  }

  /** Step 2 of commitBatch: the guards against the stored versions, as the batch's own ops change them. */
  private async checkGuards(ops: WriteOp[]): Promise<void> {
    if (!ops.some((op) => op.expectedVersion !== undefined)) return;
    const versions = new Map<string, number | 'absent'>();
    const key = (collection: string, id: string): string => JSON.stringify([collection, id]);
    const byCollection = new Map<string, Set<string>>();
    for (const op of ops) {
      const ids = byCollection.get(op.collection) ?? new Set<string>();
      ids.add(op.id);
      byCollection.set(op.collection, ids);
    }
    for (const [collection, ids] of byCollection) {
      const stored = await this.collection(collection)
        .find({ _id: { $in: [...ids] } }, { projection: { version: 1 } })
        .toArray();
      for (const id of ids) versions.set(key(collection, id), 'absent');
      for (const d of stored) versions.set(key(collection, d._id), d.version);
    }
    for (const op of ops) {
      const k = key(op.collection, op.id);
      const actual = versions.get(k) ?? 'absent';
      if (op.expectedVersion !== undefined && op.expectedVersion !== actual) {
        throw new VersionConflictError(op.collection, op.id, op.expectedVersion, actual);
      }
      versions.set(k, op.op === 'delete' ? 'absent' : actual === 'absent' ? 1 : actual + 1);
    }
  }

  async getCheckpoint(name: string): Promise<number | undefined> {
    const stored = await this.checkpoints.findOne({ _id: name });
    return stored?.position;
  }

  async dropCollection(collection: string): Promise<void> {
    try {
      await this.collection(collection).drop();
    } catch (error) {
      // dropping a collection that does not exist is fine (older servers answer "ns not found", code 26)
      if (!(error instanceof MongoServerError && (error.code === NAMESPACE_NOT_FOUND || /ns not found/i.test(error.message)))) throw error;
    }
    // its checkpoint goes with it: a collection filled again must not skip what it lost. (A crash between the two
    // leaves a checkpoint without documents; a rebuild drops its collection before filling it, which removes it.)
    await this.checkpoints.deleteOne({ _id: collection });
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
