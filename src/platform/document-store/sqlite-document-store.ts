/**
 * Embedded DocumentStore on SQLite (better-sqlite3): one table per collection holding JSON documents.
 *
 * Naming: collection names must match /^[a-z][a-z0-9_-]*$/i (letters, digits, '_' and '-'; projection
 * collections look like "waiting-list_v1"). Collection `c` lives in the table "doc_<c>", always written as a
 * quoted identifier, so a dash needs no mapping and two names can never collide by mapping ("a-b" and "a_b"
 * are distinct tables). SQLite compares identifiers case-insensitively, so with this adapter "Foo" and
 * "foo" are the same collection: use lower-case names. Indexes are named "idx:<collection>:<field>" (':' is
 * in neither alphabet, so index names cannot collide either). Projection checkpoints live in `checkpoints`.
 *
 * Queries: a field path "a.b" is read as json_extract(data, '$.a.b'); ensureCollection creates an expression
 * index on exactly that expression so that SQLite uses it for where and order by. Field paths are checked
 * against FIELD_PATTERN before being written into SQL (they cannot be bound as parameters: the index is only
 * used when the query repeats the indexed expression literally). Values are always bound parameters.
 *
 * Value semantics follow MongoDB's where they matter: equality on a boolean does not match 1 (json_extract
 * turns true into 1, so json_type is checked), and a range only matches values of its bound's type (a
 * string "6" is not in { gt: 5 }). Sorting mixes types in SQLite's order (null < numbers < strings).
 */
import type { Statement } from 'better-sqlite3';

import { type Clock, SystemClock } from '../clock/clock';
import { openDatabase, SqliteDatabase, writeProbe } from '../sqlite/open-database';
import {
  Checkpoint,
  CollectionExpiry,
  CollectionOptions,
  Document,
  DocumentStore,
  ExpectedVersion,
  FieldCondition,
  FindQuery,
  FindResult,
  Scalar,
  VersionConflictError,
  WriteOp,
} from './document-store.port';

const COLLECTION_PATTERN = /^[a-z][a-z0-9_-]*$/i;
const MAX_COLLECTION_LENGTH = 100;
/** identifiers separated by single dots (the brief's /^[A-Za-z_][A-Za-z0-9_.]*$/ minus empty segments) */
const FIELD_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** prepared statements kept per collection; find() builds one per where/sort shape, so this is a safety cap */
const MAX_STATEMENTS_PER_COLLECTION = 200;
/** how often expired documents are purged (MongoDB's TTL monitor runs every 60 s) */
const PURGE_EVERY_MS = 60_000;

type SqlValue = string | number | null;
type Direction = 'asc' | 'desc';

interface DocumentRow {
  id: string;
  version: number;
  data: string;
  [sortKey: `s${number}`]: SqlValue;
}

interface Cursor {
  /** sort signature, to refuse a cursor replayed with another sort */
  s: string;
  /** sort values of the last row returned, in sort order */
  v: SqlValue[];
  id: string;
}

function checkCollection(collection: string): string {
  if (typeof collection !== 'string' || !COLLECTION_PATTERN.test(collection) || collection.length > MAX_COLLECTION_LENGTH) {
    throw new Error(`Invalid collection name: ${JSON.stringify(collection)}`);
  }
  return collection;
}

function checkField(field: string): string {
  if (typeof field !== 'string' || !FIELD_PATTERN.test(field)) throw new Error(`Invalid field name: ${JSON.stringify(field)}`);
  return field;
}

/** The quoted table name; safe because the name was checked against COLLECTION_PATTERN (no quote possible). */
function checkExpiry(expiry: CollectionExpiry): CollectionExpiry {
  if (expiry.fields.length === 0) throw new Error('An expiry needs at least one field');
  expiry.fields.forEach(checkField);
  if (expiry.afterMs !== undefined && !(Number.isFinite(expiry.afterMs) && expiry.afterMs >= 0)) {
    throw new Error(`Invalid expiry delay ${expiry.afterMs}`);
  }
  return { fields: [...expiry.fields], afterMs: expiry.afterMs ?? 0 };
}

const tableOf = (collection: string): string => `"doc_${checkCollection(collection)}"`;
const pathOf = (field: string): string => `'$.${checkField(field)}'`;
const extract = (field: string): string => `json_extract(data, ${pathOf(field)})`;
const jsonType = (field: string): string => `json_type(data, ${pathOf(field)})`;

/**
 * Duck-typed on purpose, not `instanceof Error`: better-sqlite3's native addon is loaded once per process and
 * keeps the SqliteError class of whoever loaded it first, which under Jest is another test file's realm.
 */
function isMissingTable(error: unknown): boolean {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' && /no such table/i.test(message);
}

/** better-sqlite3 binds numbers, strings and null; booleans are stored by SQLite's JSON functions as 1 / 0. */
function bindable(value: Scalar): SqlValue {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(encoded: string, signature: string): Cursor {
  let cursor: Cursor;
  try {
    cursor = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Cursor;
  } catch {
    throw new Error('Invalid cursor');
  }
  const valid =
    cursor !== null &&
    typeof cursor === 'object' &&
    cursor.s === signature &&
    typeof cursor.id === 'string' &&
    Array.isArray(cursor.v) &&
    cursor.v.every((v) => v === null || typeof v === 'string' || typeof v === 'number');
  if (!valid) throw new Error('Invalid cursor (or a cursor from a query with another sort)');
  return cursor;
}

/** SQL fragment and parameters of a where clause. */
function compileWhere(where: Record<string, FieldCondition> | undefined): { sql: string; params: SqlValue[] } {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  for (const [field, condition] of Object.entries(where ?? {})) {
    const e = extract(field);
    const type = jsonType(field);
    if (condition === null) {
      clauses.push(`${e} IS NULL`); // like MongoDB: null also matches a missing field
    } else if (typeof condition === 'boolean') {
      clauses.push(`(${e} = ? AND ${type} = '${condition ? 'true' : 'false'}')`);
      params.push(bindable(condition));
    } else if (typeof condition === 'string' || typeof condition === 'number') {
      clauses.push(`(${e} = ? AND ${type} NOT IN ('true', 'false'))`);
      params.push(condition);
    } else if (typeof condition === 'object' && 'in' in condition) {
      if (!Array.isArray(condition.in)) throw new Error(`"in" needs an array (field ${field})`);
      const plain = condition.in.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
      const alternatives: string[] = [];
      if (plain.length > 0) {
        alternatives.push(`(${e} IN (${plain.map(() => '?').join(', ')}) AND ${type} NOT IN ('true', 'false'))`);
        params.push(...plain);
      }
      if (condition.in.includes(true)) alternatives.push(`${type} = 'true'`);
      if (condition.in.includes(false)) alternatives.push(`${type} = 'false'`);
      if (condition.in.includes(null)) alternatives.push(`${e} IS NULL`);
      clauses.push(alternatives.length > 0 ? `(${alternatives.join(' OR ')})` : '0');
    } else if (typeof condition === 'object') {
      const operators = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
      const entries = Object.entries(condition) as [string, Scalar | undefined][];
      if (entries.length === 0) throw new Error(`Empty condition on field ${field}`);
      for (const [key, bound] of entries) {
        if (!(key in operators)) throw new Error(`Unknown operator "${key}" on field ${field}`);
        if (bound === undefined) continue;
        if (bound === null) throw new Error(`A range bound cannot be null (field ${field})`);
        // type bracketing, as MongoDB: a numeric bound only matches numbers, a string bound only strings
        const guard =
          typeof bound === 'number'
            ? `${type} IN ('integer', 'real')`
            : typeof bound === 'string'
              ? `${type} = 'text'`
              : `${type} IN ('true', 'false')`;
        clauses.push(`(${e} ${operators[key as keyof typeof operators]} ? AND ${guard})`);
        params.push(bindable(bound));
      }
    } else {
      throw new Error(`Unsupported condition on field ${field}`);
    }
  }
  return { sql: clauses.length > 0 ? clauses.join(' AND ') : '1', params };
}

export class SqliteDocumentStore implements DocumentStore {
  private readonly db: SqliteDatabase;
  /** collections whose table this connection knows to exist (lower-case: SQLite identifiers ignore case) */
  private readonly knownTables = new Set<string>();
  private readonly statements = new Map<string, Map<string, Statement>>();
  private readonly getCheckpointStmt: Statement<[string], { position: number }>;
  private readonly setCheckpointStmt: Statement<[string, number, string]>;
  private readonly deleteCheckpointStmt: Statement<[string]>;
  private readonly tableExistsStmt: Statement<[string], { found: number }>;
  private readonly commitTransaction: (ops: WriteOp[], checkpoint: Checkpoint | undefined) => boolean;
  /** collections declared with an expiry (ensureCollection), purged every minute as MongoDB's TTL monitor does */
  private readonly expiring = new Map<string, CollectionExpiry>();
  private readonly purgeTimer: NodeJS.Timeout;

  constructor(
    filename: string,
    private readonly clock: Clock = new SystemClock(),
  ) {
    // Derived data and checkpoints that replay from the event log: see open-database.ts.
    this.db = openDatabase(filename, { synchronous: 'NORMAL' });
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS checkpoints (
        name       TEXT    PRIMARY KEY,
        position   INTEGER NOT NULL,
        updated_at TEXT    NOT NULL
      );
    `);
    this.getCheckpointStmt = this.db.prepare('SELECT position FROM checkpoints WHERE name = ?');
    this.setCheckpointStmt = this.db.prepare(
      `INSERT INTO checkpoints (name, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    );
    this.deleteCheckpointStmt = this.db.prepare('DELETE FROM checkpoints WHERE name = ?');
    this.tableExistsStmt = this.db.prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE");
    const transaction = this.db.transaction((ops: WriteOp[], checkpoint: Checkpoint | undefined) => this.commit(ops, checkpoint));
    this.commitTransaction = (ops, checkpoint) => transaction.immediate(ops, checkpoint);
    this.purgeTimer = setInterval(() => {
      if (this.expiring.size === 0 || !this.db.open) return;
      // a busy or full database: the next minute tries again
      this.purgeExpired().catch(() => undefined);
    }, PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  async ensureCollection(collection: string, indexedFields: string[], options: CollectionOptions = {}): Promise<void> {
    const fields = indexedFields.map(checkField);
    if (options.expiry) this.expiring.set(checkCollection(collection), checkExpiry(options.expiry));
    this.retryOnMissingTable(() => {
      this.ensureTable(collection);
      for (const field of fields) {
        // (field, id): equality and range lookups use the prefix, and a sort on the field with the id
        // tie-breaker reads the index in order instead of sorting
        this.db.exec(`CREATE INDEX IF NOT EXISTS "idx:${collection}:${field}" ON ${tableOf(collection)} (${extract(field)}, id)`);
      }
    });
  }

  async get<T = Record<string, unknown>>(collection: string, id: string): Promise<Document<T> | null> {
    return this.retryOnMissingTable(() => {
      if (!this.tableExists(collection)) return null;
      const row = this.statement<[string], DocumentRow>(
        collection,
        `SELECT id, version, data FROM ${tableOf(collection)} WHERE id = ?`,
      ).get(id);
      return row ? { id: row.id, version: row.version, data: JSON.parse(row.data) as T } : null;
    });
  }

  async getMany<T = Record<string, unknown>>(collection: string, ids: readonly string[]): Promise<Map<string, Document<T>>> {
    const found = new Map<string, Document<T>>();
    if (ids.length === 0) return found;
    return this.retryOnMissingTable(() => {
      if (!this.tableExists(collection)) return found;
      // one statement whatever the batch size: the ids travel as one JSON array (no bound-variable limit)
      const rows = this.statement<[string], DocumentRow>(
        collection,
        `SELECT id, version, data FROM ${tableOf(collection)} WHERE id IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify([...new Set(ids)]));
      for (const row of rows) found.set(row.id, { id: row.id, version: row.version, data: JSON.parse(row.data) as T });
      return found;
    });
  }

  async put(collection: string, id: string, data: Record<string, unknown>, expectedVersion?: ExpectedVersion): Promise<number> {
    return this.retryOnMissingTable(() => this.putSync(collection, id, data, expectedVersion));
  }

  async delete(collection: string, id: string, expectedVersion?: number): Promise<boolean> {
    return this.retryOnMissingTable(() => this.deleteSync(collection, id, expectedVersion));
  }

  async find<T = Record<string, unknown>>(collection: string, query: FindQuery = {}): Promise<FindResult<T>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, got ${limit}`);
    const pageSize = Math.min(limit, MAX_LIMIT);
    const sort = (query.sort ?? []).map((s) => {
      if (s.direction !== 'asc' && s.direction !== 'desc') throw new Error(`Invalid sort direction on ${s.field}`);
      return { field: checkField(s.field), direction: s.direction };
    });
    const where = compileWhere(query.where);
    const idDirection: Direction = sort.length > 0 ? sort[sort.length - 1].direction : 'asc';
    const signature = [...sort.map((s) => `${s.field}:${s.direction}`), `id:${idDirection}`].join(',');

    // keyset pagination: rows strictly after the cursor row in (sort keys..., id) order
    let after = '1';
    const afterParams: SqlValue[] = [];
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor, signature);
      if (cursor.v.length !== sort.length) throw new Error('Invalid cursor');
      const keys = [
        ...sort.map((s, i) => ({ expr: extract(s.field), direction: s.direction as Direction, value: cursor.v[i], nullable: true })),
        { expr: 'id', direction: idDirection, value: cursor.id as SqlValue, nullable: false },
      ];
      const alternatives: string[] = [];
      keys.forEach((key, i) => {
        const parts: string[] = [];
        for (const previous of keys.slice(0, i)) {
          parts.push(`${previous.expr} IS ?`); // IS: equality that also holds between two nulls
          afterParams.push(previous.value);
        }
        // SQLite orders null first: nothing is before a null in 'asc', everything non-null is after it
        if (key.value === null) {
          if (key.direction === 'desc') return; // after a null in descending order come only other nulls
          parts.push(`${key.expr} IS NOT NULL`);
        } else if (key.direction === 'asc') {
          parts.push(`${key.expr} > ?`);
          afterParams.push(key.value);
        } else {
          parts.push(key.nullable ? `(${key.expr} < ? OR ${key.expr} IS NULL)` : `${key.expr} < ?`);
          afterParams.push(key.value);
        }
        alternatives.push(`(${parts.join(' AND ')})`);
      });
      after = alternatives.length > 0 ? `(${alternatives.join(' OR ')})` : '0';
    }

    const sortColumns = sort.map((s, i) => `, ${extract(s.field)} AS s${i}`).join('');
    const orderBy = [...sort.map((s) => `${extract(s.field)} ${s.direction.toUpperCase()}`), `id ${idDirection.toUpperCase()}`].join(', ');
    const sql =
      `SELECT id, version, data${sortColumns} FROM ${tableOf(collection)} ` + `WHERE ${where.sql} AND ${after} ORDER BY ${orderBy} LIMIT ?`;

    return this.retryOnMissingTable(() => {
      if (!this.tableExists(collection)) return { items: [] };
      const rows = this.statement<SqlValue[], DocumentRow>(collection, sql).all(...where.params, ...afterParams, pageSize + 1);
      const page = rows.slice(0, pageSize);
      const items = page.map((row) => ({ id: row.id, version: row.version, data: JSON.parse(row.data) as T }));
      if (rows.length <= pageSize) return { items };
      const last = page[page.length - 1];
      const nextCursor = encodeCursor({ s: signature, v: sort.map((_, i) => last[`s${i}`]), id: last.id });
      return { items, nextCursor };
    });
  }

  async count(collection: string, where?: Record<string, FieldCondition>): Promise<number> {
    const compiled = compileWhere(where);
    const sql = `SELECT COUNT(*) AS n FROM ${tableOf(collection)} WHERE ${compiled.sql}`;
    return this.retryOnMissingTable(() => {
      if (!this.tableExists(collection)) return 0;
      return this.statement<SqlValue[], { n: number }>(collection, sql).get(...compiled.params)!.n;
    });
  }

  async commitBatch(ops: WriteOp[], checkpoint?: Checkpoint): Promise<boolean> {
    if (checkpoint && (!checkpoint.name || !Number.isFinite(checkpoint.position))) {
      throw new Error(`Invalid checkpoint ${JSON.stringify(checkpoint)}`);
    }
    return this.retryOnMissingTable(() => this.commitTransaction(ops, checkpoint));
  }

  /** Runs inside the IMMEDIATE transaction: a VersionConflictError thrown here rolls everything back. */
  private commit(ops: WriteOp[], checkpoint: Checkpoint | undefined): boolean {
    if (checkpoint) {
      const stored = this.getCheckpointStmt.get(checkpoint.name)?.position;
      if (stored !== undefined && stored >= checkpoint.position) return false;
    }
    for (const op of ops) {
      if (op.op === 'put') this.putSync(op.collection, op.id, op.data, op.expectedVersion);
      else if (op.op === 'delete') this.deleteSync(op.collection, op.id, op.expectedVersion);
      else throw new Error(`Unknown write op ${JSON.stringify(op)}`);
    }
    if (checkpoint) this.setCheckpointStmt.run(checkpoint.name, checkpoint.position, this.clock.now().toISOString());
    return true;
  }

  async getCheckpoint(name: string): Promise<number | undefined> {
    return this.getCheckpointStmt.get(name)?.position;
  }

  async dropCollection(collection: string): Promise<void> {
    const table = tableOf(collection);
    this.statements.delete(collection.toLowerCase());
    this.knownTables.delete(collection.toLowerCase());
    // the collection's checkpoint goes with it: a collection filled again must not skip what it lost
    this.db
      .transaction(() => {
        this.db.exec(`DROP TABLE IF EXISTS ${table}`); // drops its indexes too
        this.deleteCheckpointStmt.run(collection);
      })
      .immediate();
  }

  async purgeExpired(): Promise<number> {
    const now = this.clock.now().getTime();
    let purged = 0;
    for (const [collection, expiry] of this.expiring) {
      // the earliest instant among the fields, in ms since the epoch; a missing or unreadable one counts as never
      const instants = expiry.fields.map((f) => `coalesce(unixepoch(${extract(f)}, 'subsec') * 1000.0, 1e18)`);
      const earliest = instants.length === 1 ? instants[0] : `min(${instants.join(', ')})`;
      purged += this.retryOnMissingTable(() => {
        if (!this.tableExists(collection)) return 0;
        return this.statement<[number, number], never>(collection, `DELETE FROM ${tableOf(collection)} WHERE ${earliest} + ? <= ?`).run(
          expiry.afterMs ?? 0,
          now,
        ).changes;
      });
    }
    return purged;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  /** Not part of the port: readiness' check that a full database has room again (storage-health.ts). */
  async writeProbe(): Promise<void> {
    writeProbe(this.db);
  }

  async close(): Promise<void> {
    clearInterval(this.purgeTimer);
    if (this.db.open) this.db.close();
  }

  // --- internals -------------------------------------------------------------------------------------------

  /**
   * Each put is one statement, atomic by itself: the guard is part of the write (ON CONFLICT / WHERE version),
   * so no read-then-write race even across processes. The extra read only builds the error.
   */
  private putSync(collection: string, id: string, data: Record<string, unknown>, expected: ExpectedVersion | undefined): number {
    if (typeof id !== 'string' || id === '') throw new Error('Document id must be a non-empty string');
    this.ensureTable(collection);
    const table = tableOf(collection);
    const json = JSON.stringify(data);
    if (expected === undefined) {
      return this.statement<[string, string], { version: number }>(
        collection,
        `INSERT INTO ${table} (id, version, data) VALUES (?, 1, ?)
         ON CONFLICT (id) DO UPDATE SET version = version + 1, data = excluded.data RETURNING version`,
      ).get(id, json)!.version;
    }
    if (expected === 'absent') {
      const inserted = this.statement<[string, string]>(
        collection,
        `INSERT INTO ${table} (id, version, data) VALUES (?, 1, ?) ON CONFLICT (id) DO NOTHING`,
      ).run(id, json);
      if (inserted.changes === 0) throw new VersionConflictError(collection, id, expected, this.currentVersion(collection, id));
      return 1;
    }
    const updated = this.statement<[string, string, number]>(
      collection,
      `UPDATE ${table} SET version = version + 1, data = ? WHERE id = ? AND version = ?`,
    ).run(json, id, expected);
    if (updated.changes === 0) throw new VersionConflictError(collection, id, expected, this.currentVersion(collection, id));
    return expected + 1;
  }

  private deleteSync(collection: string, id: string, expected: number | undefined): boolean {
    if (!this.tableExists(collection)) {
      if (expected !== undefined) throw new VersionConflictError(collection, id, expected, 'absent');
      return false;
    }
    const table = tableOf(collection);
    if (expected === undefined) {
      return this.statement<[string]>(collection, `DELETE FROM ${table} WHERE id = ?`).run(id).changes > 0;
    }
    const deleted = this.statement<[string, number]>(collection, `DELETE FROM ${table} WHERE id = ? AND version = ?`).run(id, expected);
    if (deleted.changes === 0) throw new VersionConflictError(collection, id, expected, this.currentVersion(collection, id));
    return true;
  }

  private currentVersion(collection: string, id: string): number | 'absent' {
    const row = this.statement<[string], { version: number }>(collection, `SELECT version FROM ${tableOf(collection)} WHERE id = ?`).get(
      id,
    );
    return row ? row.version : 'absent';
  }

  private ensureTable(collection: string): void {
    const key = checkCollection(collection).toLowerCase();
    if (this.knownTables.has(key)) return;
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${tableOf(collection)} (
      id      TEXT    PRIMARY KEY,
      version INTEGER NOT NULL,
      data    TEXT    NOT NULL
    )`);
    this.knownTables.add(key);
  }

  /** Reads do not create tables: an unknown collection reads as empty. */
  private tableExists(collection: string): boolean {
    const key = checkCollection(collection).toLowerCase();
    if (this.knownTables.has(key)) return true;
    if (!this.tableExistsStmt.get(`doc_${collection}`)) return false;
    this.knownTables.add(key);
    return true;
  }

  /**
   * Another connection (process) may drop a collection this connection believes exists: forget what we know
   * about tables and run the operation once more (writes recreate the table, reads find it missing).
   */
  private retryOnMissingTable<R>(operation: () => R): R {
    try {
      return operation();
    } catch (error) {
      if (!isMissingTable(error)) throw error;
      this.knownTables.clear();
      return operation();
    }
  }

  /** Prepared statements are cached per collection (dropped with it) and reused. */
  private statement<P extends unknown[] = unknown[], R = unknown>(collection: string, sql: string): Statement<P, R> {
    const key = collection.toLowerCase();
    let cache = this.statements.get(key);
    if (!cache) {
      cache = new Map();
      this.statements.set(key, cache);
    }
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= MAX_STATEMENTS_PER_COLLECTION) cache.clear();
      statement = this.db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement as unknown as Statement<P, R>;
  }
}
