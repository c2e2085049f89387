/**
 * Embedded EventStore on SQLite (better-sqlite3).
 *
 * One table, `events`, whose INTEGER PRIMARY KEY AUTOINCREMENT is the global position: SQLite has a single
 * writer, so rowid order is commit order, and AUTOINCREMENT guarantees a position is never reused (a
 * projection checkpoint can never skip an event). Positions therefore start at 1 and are dense in practice,
 * but callers must treat them as opaque (see the port).
 *
 * Appends run in IMMEDIATE transactions (the write lock is taken before the expected revision is read,
 * so two processes cannot both pass the check). Retries are idempotent like EventStoreDB: see `append`.
 *
 * Group commit: with synchronous=FULL every commit is an fsync of the WAL, and the fsync, not the insert,
 * is what an append costs (~150 µs against a few µs). better-sqlite3 is synchronous, so while one commit
 * runs nothing else runs in this process: the appends that "arrive during a commit" are the ones the event
 * loop produces in the same turn (every request whose socket became readable in this poll phase, every
 * workflow step that got there). appendToStream therefore queues the append and a `setImmediate` commits
 * the whole queue in ONE transaction at the end of the turn (the check phase, after all the I/O callbacks
 * of the turn and their microtasks): one fsync for many commands. Inside it, each append runs in its own
 * SAVEPOINT against its own expected revision, in queue order (a later append to the same stream sees the
 * earlier one); one that fails (wrong revision, duplicate id) is rolled back alone and rejected, the others
 * commit. No promise is settled before the COMMIT returned, i.e. before the fsync: an append is answered
 * only once durable, and a failed COMMIT rejects every append of the group.
 *
 * Subscriptions read in pages and are woken up immediately by appends made through any SqliteEventStore of
 * this process on the same file (an in-process notifier keyed by the file's real path); writes from other
 * processes are seen by polling (`pollIntervalMs`, default 250 ms).
 */
import { realpathSync } from 'node:fs';

import type { Statement } from 'better-sqlite3';

import { type Clock, SystemClock } from '../clock/clock';
import { isMemoryDatabase, openDatabase, SqliteDatabase, writeProbe } from '../sqlite/open-database';
import {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  Subscription,
  SubscriptionOptions,
  WrongExpectedRevisionError,
} from './event-store.port';

/** Thrown when an event id of the batch is already stored in another stream (or at another place of this one). */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`Event id ${eventId} is already stored (append to ${streamId} rejected)`);
    this.name = 'DuplicateEventIdError';
  }
}

export interface SqliteEventStoreOptions {
  /** how often live subscriptions look for events written by other processes (default 250 ms) */
  pollIntervalMs?: number;
  /** the instant written as each event's commit time (default: the system clock) */
  clock?: Clock;
}

interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

interface EventRef {
  event_id: string;
  revision: number;
  position: number;
}

const SUBSCRIPTION_PAGE_SIZE = 500;
/** LIMIT -1 is SQLite's "no limit" */
const NO_LIMIT = -1;

/**
 * In-process notifier: appends wake the subscriptions of every store instance on the same file.
 * Keyed by real path so that "./data/x.db" and "/abs/data/x.db" (or a symlink) are the same database.
 */
const listenersByFile = new Map<string, Set<() => void>>();

function addListener(key: string, listener: () => void): () => void {
  let listeners = listenersByFile.get(key);
  if (!listeners) {
    listeners = new Set();
    listenersByFile.set(key, listeners);
  }
  listeners.add(listener);
  return () => {
    const set = listenersByFile.get(key);
    if (!set) return;
    set.delete(listener);
    if (set.size === 0) listenersByFile.delete(key);
  };
}

function notify(key: string): void {
  for (const listener of [...(listenersByFile.get(key) ?? [])]) listener();
}

let memoryDatabases = 0;

/** An append waiting for the next group commit. */
interface QueuedAppend {
  streamId: string;
  events: EventToAppend[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
  /** set inside the group transaction: the append's own outcome */
  outcome?: { ok: true; result: AppendResult } | { ok: false; error: unknown };
}

/** Counters of the group commit (not part of the port: tests and benchmarks read them). */
export interface GroupCommitStats {
  /** committed group transactions */
  commits: number;
  /** appends answered (stored or refused) through those transactions */
  appends: number;
  /** largest group so far */
  largestGroup: number;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    recordedAt: row.recorded_at,
  };
}

function limitOf(maxCount: number | undefined): number {
  if (maxCount === undefined) return NO_LIMIT;
  if (!Number.isInteger(maxCount) || maxCount < 0) throw new Error(`maxCount must be a non-negative integer, got ${maxCount}`);
  return maxCount;
}

export class SqliteEventStore implements EventStore {
  private readonly db: SqliteDatabase;
  private readonly notifierKey: string;
  private readonly pollIntervalMs: number;
  private readonly clock: Clock;
  private readonly subscriptions = new Set<SqliteSubscription>();
  private closed = false;

  private readonly lastRevisionStmt: Statement<[string], { revision: number | null }>;
  private readonly insertStmt: Statement<[string, string, number, string, string, string, string]>;
  private readonly refsFromStmt: Statement<[string, number, number], EventRef>;
  private readonly refByIdStmt: Statement<[string], EventRef & { stream_id: string }>;
  private readonly readForwardsStmt: Statement<[string, number, number], EventRow>;
  private readonly readBackwardsStmt: Statement<[string, number, number], EventRow>;
  private readonly readAllStmt: Statement<[number, number], EventRow>;
  private readonly headStmt: Statement<[], { head: number }>;
  /** one append inside the group transaction: a SAVEPOINT (better-sqlite3 nests transactions that way) */
  private readonly appendSavepoint: (streamId: string, events: EventToAppend[], expected: ExpectedRevision) => AppendResult;
  private readonly groupTransaction: (group: QueuedAppend[]) => void;
  private queue: QueuedAppend[] = [];
  private commitScheduled: NodeJS.Immediate | undefined;
  private readonly counters: GroupCommitStats = { commits: 0, appends: 0, largestGroup: 0 };

  constructor(filename: string, options: SqliteEventStoreOptions = {}) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.clock = options.clock ?? new SystemClock();
    this.db = openDatabase(filename, { synchronous: 'FULL' });
    this.notifierKey = isMemoryDatabase(filename) ? `:memory:#${++memoryDatabases}` : realpathSync(filename);

    this.db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position    INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id    TEXT    NOT NULL UNIQUE,
        stream_id   TEXT    NOT NULL,
        revision    INTEGER NOT NULL,
        type        TEXT    NOT NULL,
        data        TEXT    NOT NULL,
        metadata    TEXT    NOT NULL,
        recorded_at TEXT    NOT NULL,
        UNIQUE (stream_id, revision)
      );
    `);

    const columns = 'position, event_id, stream_id, revision, type, data, metadata, recorded_at';
    this.lastRevisionStmt = this.db.prepare('SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?');
    this.insertStmt = this.db.prepare(
      'INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.refsFromStmt = this.db.prepare(
      'SELECT event_id, revision, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    );
    this.refByIdStmt = this.db.prepare('SELECT event_id, stream_id, revision, position FROM events WHERE event_id = ?');
    this.readForwardsStmt = this.db.prepare(
      `SELECT ${columns} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
    );
    this.readBackwardsStmt = this.db.prepare(
      `SELECT ${columns} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    );
    this.readAllStmt = this.db.prepare(`SELECT ${columns} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
    this.headStmt = this.db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events');

    this.appendSavepoint = this.db.transaction((streamId: string, events: EventToAppend[], expected: ExpectedRevision) =>
      this.append(streamId, events, expected),
    );
    const group = this.db.transaction((appends: QueuedAppend[]) => {
      for (const queued of appends) {
        try {
          queued.outcome = { ok: true, result: this.appendSavepoint(queued.streamId, queued.events, queued.expected) };
        } catch (error) {
          // SQLite rolls the whole transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR…): then
          // the appends before this one are undone too, and the whole group fails with this error.
          if (!this.db.inTransaction) throw error;
          queued.outcome = { ok: false, error };
        }
      }
    });
    this.groupTransaction = (appends) => group.immediate(appends);
  }

  async appendToStream(streamId: string, events: EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (!streamId) throw new Error('streamId must not be empty');
    if (this.closed) throw new Error('SqliteEventStore is closed');
    const ids = new Set(events.map((e) => e.id));
    if (ids.size !== events.length || ids.has('')) throw new Error(`Event ids of a batch must be unique and non-empty (${streamId})`);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, expected: expectedRevision, resolve, reject });
      this.commitScheduled ??= setImmediate(() => this.commitQueued());
    });
  }

  /** Counters of the group commit so far (not part of the port). */
  get groupCommitStats(): Readonly<GroupCommitStats> {
    return { ...this.counters };
  }

  /** Commits every queued append in one transaction, then answers each (see the file's comment). */
  private commitQueued(): void {
    if (this.commitScheduled) clearImmediate(this.commitScheduled);
    this.commitScheduled = undefined;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    try {
      this.groupTransaction(group);
    } catch (error) {
      // BEGIN, an error that ended the transaction, or COMMIT failed: nothing of the group is stored
      for (const queued of group) queued.reject(error);
      return;
    }
    this.counters.commits += 1;
    this.counters.appends += group.length;
    this.counters.largestGroup = Math.max(this.counters.largestGroup, group.length);
    if (group.some((queued) => queued.outcome?.ok)) notify(this.notifierKey);
    for (const queued of group) {
      const outcome = queued.outcome!;
      if (outcome.ok) queued.resolve(outcome.result);
      else queued.reject(outcome.error);
    }
  }

  /**
   * Runs inside the group's IMMEDIATE transaction, in a savepoint of its own.
   *
   * Idempotency (as EventStoreDB): when the expected revision does not match, the append may be a retry of a
   * batch that was stored (the first try committed, but its caller never heard about it). If every event id of
   * the batch is stored in this stream right after the expected revision, in the same order, the retry
   * succeeds with the original result and stores nothing. With 'any' / 'stream_exists' (which always match)
   * the batch is located by its first event id. A partial match is a real conflict.
   */
  private append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): AppendResult {
    const current = this.lastRevisionStmt.get(streamId)?.revision ?? null;
    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && current === null) ||
      (expected === 'stream_exists' && current !== null) ||
      (typeof expected === 'number' && current === expected);
    const wrong = (): WrongExpectedRevisionError =>
      new WrongExpectedRevisionError(streamId, expected, current === null ? 'no_stream' : current);

    if (events.length === 0) {
      // nothing to write: only the expected revision is checked (-1 stands for "no stream", as in EventStoreDB)
      if (!matches) throw wrong();
      return { nextExpectedRevision: current ?? -1, position: this.headStmt.get()!.head };
    }

    if (!matches) {
      const start = expected === 'no_stream' ? 0 : typeof expected === 'number' ? expected + 1 : undefined;
      const replay = start === undefined ? undefined : this.storedBatchFrom(streamId, start, events);
      if (replay) return replay;
      throw wrong();
    }

    if (expected === 'any' || expected === 'stream_exists') {
      const first = this.refByIdStmt.get(events[0].id);
      if (first && first.stream_id === streamId) {
        const replay = this.storedBatchFrom(streamId, first.revision, events);
        if (replay) return replay;
        throw wrong();
      }
    }

    const recordedAt = this.clock.now().toISOString();
    let revision = current ?? -1;
    let position = 0;
    for (const event of events) {
      revision += 1;
      try {
        const info = this.insertStmt.run(
          event.id,
          streamId,
          revision,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
          recordedAt,
        );
        position = Number(info.lastInsertRowid);
      } catch (error) {
        // the (stream_id, revision) pair cannot collide inside this transaction: only event_id can
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateEventIdError(streamId, event.id);
        throw error;
      }
    }
    return { nextExpectedRevision: revision, position };
  }

  /** The original result when exactly these event ids are stored in this stream from `start`, else undefined. */
  private storedBatchFrom(streamId: string, start: number, events: EventToAppend[]): AppendResult | undefined {
    const stored = this.refsFromStmt.all(streamId, start, events.length);
    if (stored.length !== events.length || stored.some((ref, i) => ref.event_id !== events[i].id)) return undefined;
    const last = stored[stored.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const limit = limitOf(options.maxCount);
    const rows =
      options.direction === 'backwards'
        ? this.readBackwardsStmt.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
        : this.readForwardsStmt.all(streamId, options.fromRevision ?? 0, limit);
    return rows.map(toStoredEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    return this.readPage(options.fromPosition ?? 0, limitOf(options.maxCount));
  }

  private readPage(fromPosition: number, limit: number): StoredEvent[] {
    return this.readAllStmt.all(fromPosition, limit).map(toStoredEvent);
  }

  subscribeToAll(options: SubscriptionOptions): Subscription {
    if (this.closed) throw new Error('SqliteEventStore is closed');
    const subscription = new SqliteSubscription(
      options,
      this.pollIntervalMs,
      (from, limit) => this.readPage(from, limit),
      (listener) => addListener(this.notifierKey, listener),
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    return this.headStmt.get()!.head;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  /** Not part of the port: readiness' check that a full database has room again (storage-health.ts). */
  async writeProbe(): Promise<void> {
    writeProbe(this.db);
  }

  /** Stops this store's subscriptions (waiting for their running handlers), then closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // appends already accepted are committed (and answered) before the connection goes
    this.commitQueued();
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.db.close();
  }
}

/**
 * A catch-up subscription: one loop that reads pages after its cursor and awaits the handler for each event.
 * Whatever goes wrong (handler or read), the loop "drops", reports it, waits an exponential backoff and starts
 * again from the last handled event; only stop() ends it.
 */
class SqliteSubscription implements Subscription {
  private handledPosition: number | undefined;
  /** last position processed: handled, or skipped by the type filter */
  private cursor: number;
  private stopped = false;
  /** set by a notification; checked before going to sleep so that a wake-up between read and sleep is not lost */
  private woken = false;
  private interruptPause: (() => void) | undefined;
  private pauseWakeable = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly options: SubscriptionOptions,
    private readonly pollIntervalMs: number,
    private readonly readPage: (fromPosition: number, limit: number) => StoredEvent[],
    listen: (listener: () => void) => () => void,
    private readonly onFinished: () => void,
  ) {
    this.cursor = options.fromPosition ?? 0;
    const unlisten = listen(() => this.wake());
    this.done = this.run().finally(() => {
      unlisten();
      this.onFinished();
    });
  }

  get lastPosition(): number | undefined {
    return this.handledPosition;
  }

  /** No handler call starts after this; may be called (without awaiting it) from inside onEvent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.interruptPause?.();
    await this.done;
  }

  private wake(): void {
    this.woken = true;
    if (this.pauseWakeable) this.interruptPause?.();
  }

  private async run(): Promise<void> {
    // never call a handler synchronously from subscribeToAll (the caller has not even got the subscription yet)
    await Promise.resolve();
    const initialMs = this.options.backoff?.initialMs ?? 100;
    const maxMs = this.options.backoff?.maxMs ?? 5000;
    let attempt = 0;
    while (!this.stopped) {
      try {
        await this.follow(() => (attempt = 0));
      } catch (error) {
        if (this.stopped) return;
        attempt += 1;
        this.callSafely(() => this.options.onDropped?.(error, attempt));
        await this.pause(Math.min(maxMs, initialMs * 2 ** (attempt - 1)), false);
        // resubscribe: the cursor is still at the last event processed, so the failed one comes again
      }
    }
  }

  /** Catch up, then stay live; returns only when stopped, throws when a handler or a read fails. */
  private async follow(onProgress: () => void): Promise<void> {
    let caughtUp = false;
    const prefixes = this.options.eventTypes?.length ? this.options.eventTypes : undefined;
    while (!this.stopped) {
      this.woken = false;
      const page = this.readPage(this.cursor, SUBSCRIPTION_PAGE_SIZE);
      for (const event of page) {
        if (this.stopped) return;
        if (!prefixes || prefixes.some((p) => event.type.startsWith(p))) {
          await this.options.onEvent(event);
          this.handledPosition = event.position;
        }
        this.cursor = event.position;
        onProgress();
      }
      if (page.length < SUBSCRIPTION_PAGE_SIZE) {
        if (!caughtUp) {
          caughtUp = true;
          onProgress();
          this.callSafely(() => this.options.onCaughtUp?.());
        }
        if (!this.woken && !this.stopped) await this.pause(this.pollIntervalMs, true);
      }
    }
  }

  /** Sleeps `ms`; stop() always interrupts it, an append notification only when `wakeable`. */
  private pause(ms: number, wakeable: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.interruptPause = undefined;
        this.pauseWakeable = false;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.interruptPause = finish;
      this.pauseWakeable = wakeable;
    });
  }

  /** Callbacks that only inform (onCaughtUp, onDropped) must not break the loop when they throw. */
  private callSafely(callback: () => void): void {
    try {
      callback();
    } catch {
      // deliberately ignored: the subscription's job is to keep delivering events
    }
  }
}
