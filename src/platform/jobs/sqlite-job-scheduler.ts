/**
 * Embedded JobScheduler on SQLite (better-sqlite3): a `jobs` table polled by the process that runs handlers.
 *
 * Delivery is at least once:
 * - a due job is claimed in an IMMEDIATE transaction (status 'running', attempts + 1, a lease `locked_until`
 *   and a random `lock_token`), so two workers (processes) never claim the same attempt;
 * - while the handler runs, a heartbeat extends the lease; if the process dies, the lease expires and another
 *   poll (here or in another process) claims the job again, counting a new attempt;
 * - the outcome is written only by the lease holder (`lock_token`), so a worker whose lease was taken over
 *   (it stalled longer than the lease) cannot overwrite the newer attempt's result.
 *
 * A failed attempt n is retried after backoffMs * 2^(n-1) until `attempts` are exhausted, then the job is
 * 'failed' with its last error kept in `last_error`. Finished jobs stay in the table ('completed' / 'failed'):
 * scheduling the same (name, id) again does nothing unless `replace` is set (see the port).
 *
 * Times are epoch milliseconds from `options.now` (injectable for tests); waiting uses real timers.
 */
import { randomUUID } from 'node:crypto';

import type { Statement } from 'better-sqlite3';

import { openDatabase, SqliteDatabase, writeProbe } from '../sqlite/open-database';
import { JobDefinition, JobScheduler, ScheduleOptions } from './job-scheduler.port';

export interface SqliteJobSchedulerOptions {
  /** how often start()ed schedulers look for due jobs (default 200 ms) */
  pollIntervalMs?: number;
  /** handlers running at the same time in this process (default 4) */
  concurrency?: number;
  /** clock, epoch ms (default Date.now) */
  now?: () => number;
  /** how long a claimed job is reserved before another worker may take it over (default 30 s); renewed while the handler runs */
  leaseMs?: number;
  /** errors of the polling loop itself (database busy or unavailable); the loop keeps going */
  onError?: (error: unknown) => void;
}

type JobStatus = 'scheduled' | 'running' | 'completed' | 'failed';

interface JobRow {
  name: string;
  id: string;
  payload: string;
  status: JobStatus;
  attempts: number;
}

interface ClaimedJob {
  name: string;
  id: string;
  payload: Record<string, unknown>;
  attempt: number;
  token: string;
}

const DEFAULT_ATTEMPTS = 5;
const DEFAULT_BACKOFF_MS = 1000;
/** last_error keeps the message and the top of the stack */
const MAX_ERROR_LENGTH = 4000;

function describeError(error: unknown): string {
  // duck-typed: an error may come from another realm (native addons, vm contexts) and fail `instanceof Error`
  const { stack, message } = (typeof error === 'object' && error !== null ? error : {}) as { stack?: unknown; message?: unknown };
  const text = typeof stack === 'string' ? stack : typeof message === 'string' ? message : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}

export class SqliteJobScheduler implements JobScheduler {
  private readonly db: SqliteDatabase;
  private readonly pollIntervalMs: number;
  private readonly concurrency: number;
  private readonly now: () => number;
  private readonly leaseMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly definitions = new Map<string, JobDefinition<Record<string, unknown>>>();
  private readonly running = new Set<Promise<void>>();

  private loop: Promise<void> | undefined;
  private stopping = false;
  private woken = false;
  private interruptPause: (() => void) | undefined;

  private readonly statusStmt: Statement<[string, string], { status: JobStatus }>;
  private readonly insertStmt: Statement<[string, string, string, number, number, number]>;
  private readonly replaceStmt: Statement<[string, number, number, string, string]>;
  private readonly replaceRunningStmt: Statement<[string, number, number, string, string]>;
  private readonly cancelStmt: Statement<[string, string]>;
  private readonly cancelReplacementStmt: Statement<[number, string, string]>;
  private readonly dueStmt: Statement<[string, number, number, number], JobRow>;
  private readonly claimStmt: Statement<[number, string, number, string, string]>;
  private readonly expireStmt: Statement<[string, number, string, string]>;
  private readonly heartbeatStmt: Statement<[number, string, string, string]>;
  private readonly completeStmt: Statement<[number, string, string, string]>;
  private readonly retryStmt: Statement<[string, number, number, string, string, string]>;
  private readonly failStmt: Statement<[string, number, string, string, string]>;
  private readonly nextDueStmt: Statement<[string], { next: number | null }>;
  private readonly scheduleTransaction: (name: string, id: string, payload: string, runAt: number, replace: boolean) => void;
  private readonly claimTransaction: (limit: number) => ClaimedJob[];

  constructor(filename: string, options: SqliteJobSchedulerOptions = {}) {
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.now = options.now ?? Date.now;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.onError = options.onError ?? (() => undefined);
    this.db = openDatabase(filename, { synchronous: 'FULL' });
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS jobs (
        name         TEXT    NOT NULL,
        id           TEXT    NOT NULL,
        payload      TEXT    NOT NULL,
        run_at       INTEGER NOT NULL,
        status       TEXT    NOT NULL CHECK (status IN ('scheduled', 'running', 'completed', 'failed')),
        attempts     INTEGER NOT NULL DEFAULT 0,
        last_error   TEXT,
        locked_until INTEGER,
        lock_token   TEXT,
        -- a replace that arrived while the job was running: applied when the running attempt ends
        next_payload TEXT,
        next_run_at  INTEGER,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        PRIMARY KEY (name, id)
      );
      CREATE INDEX IF NOT EXISTS jobs_due ON jobs (status, run_at);
    `);

    this.statusStmt = this.db.prepare('SELECT status FROM jobs WHERE name = ? AND id = ?');
    this.insertStmt = this.db.prepare(
      `INSERT INTO jobs (name, id, payload, run_at, status, attempts, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'scheduled', 0, ?, ?)`,
    );
    this.replaceStmt = this.db.prepare(
      `UPDATE jobs SET payload = ?, run_at = ?, status = 'scheduled', attempts = 0, last_error = NULL,
         locked_until = NULL, lock_token = NULL, next_payload = NULL, next_run_at = NULL, updated_at = ?
       WHERE name = ? AND id = ?`,
    );
    this.replaceRunningStmt = this.db.prepare(
      'UPDATE jobs SET next_payload = ?, next_run_at = ?, updated_at = ? WHERE name = ? AND id = ?',
    );
    this.cancelStmt = this.db.prepare("DELETE FROM jobs WHERE name = ? AND id = ? AND status = 'scheduled'");
    this.cancelReplacementStmt = this.db.prepare(
      `UPDATE jobs SET next_payload = NULL, next_run_at = NULL, updated_at = ?
       WHERE name = ? AND id = ? AND status = 'running' AND next_payload IS NOT NULL`,
    );
    this.dueStmt = this.db.prepare(
      `SELECT name, id, payload, status, attempts FROM jobs
       WHERE name IN (SELECT value FROM json_each(?))
         AND ((status = 'scheduled' AND run_at <= ?) OR (status = 'running' AND locked_until <= ?))
       ORDER BY run_at LIMIT ?`,
    );
    this.claimStmt = this.db.prepare(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = ?, lock_token = ?, updated_at = ?
       WHERE name = ? AND id = ?`,
    );
    this.expireStmt = this.db.prepare(
      `UPDATE jobs SET status = 'failed', last_error = ?, locked_until = NULL, lock_token = NULL, updated_at = ?
       WHERE name = ? AND id = ?`,
    );
    this.heartbeatStmt = this.db.prepare('UPDATE jobs SET locked_until = ? WHERE name = ? AND id = ? AND lock_token = ?');
    // When a replace arrived while the attempt ran (next_payload set), the attempt's outcome is superseded:
    // the job becomes a fresh scheduled job with the new payload and time. (In an UPDATE every right-hand side
    // reads the old row, so clearing next_payload in the same statement is fine.)
    const applyReplacement = `
      payload = COALESCE(next_payload, payload),
      attempts = CASE WHEN next_payload IS NULL THEN attempts ELSE 0 END,
      next_payload = NULL, next_run_at = NULL, locked_until = NULL, lock_token = NULL`;
    this.completeStmt = this.db.prepare(
      `UPDATE jobs SET
         status = CASE WHEN next_payload IS NULL THEN 'completed' ELSE 'scheduled' END,
         run_at = COALESCE(next_run_at, run_at), ${applyReplacement}, updated_at = ?
       WHERE name = ? AND id = ? AND lock_token = ?`,
    );
    this.retryStmt = this.db.prepare(
      `UPDATE jobs SET
         status = 'scheduled', last_error = ?,
         run_at = CASE WHEN next_payload IS NULL THEN ? ELSE next_run_at END, ${applyReplacement}, updated_at = ?
       WHERE name = ? AND id = ? AND lock_token = ?`,
    );
    this.failStmt = this.db.prepare(
      `UPDATE jobs SET
         status = CASE WHEN next_payload IS NULL THEN 'failed' ELSE 'scheduled' END, last_error = ?,
         run_at = COALESCE(next_run_at, run_at), ${applyReplacement}, updated_at = ?
       WHERE name = ? AND id = ? AND lock_token = ?`,
    );
    this.nextDueStmt = this.db.prepare(
      `SELECT MIN(run_at) AS next FROM jobs WHERE status = 'scheduled' AND name IN (SELECT value FROM json_each(?))`,
    );

    const schedule = this.db.transaction((name: string, id: string, payload: string, runAt: number, replace: boolean) => {
      const now = this.now();
      const existing = this.statusStmt.get(name, id);
      if (!existing) this.insertStmt.run(name, id, payload, runAt, now, now);
      else if (!replace)
        return; // keep the first schedule (and finished jobs stay finished)
      else if (existing.status === 'running') this.replaceRunningStmt.run(payload, runAt, now, name, id);
      else this.replaceStmt.run(payload, runAt, now, name, id);
    });
    this.scheduleTransaction = (...args) => schedule.immediate(...args);

    const claim = this.db.transaction((limit: number) => this.claimDue(limit));
    this.claimTransaction = (limit) => claim.immediate(limit);
  }

  register<P = Record<string, unknown>>(definition: JobDefinition<P>): void {
    if (this.definitions.has(definition.name)) throw new Error(`A handler is already registered for job "${definition.name}"`);
    this.definitions.set(definition.name, definition as unknown as JobDefinition<Record<string, unknown>>);
    this.wake();
  }

  async schedule<P extends Record<string, unknown>>(name: string, id: string, payload: P, options: ScheduleOptions = {}): Promise<void> {
    if (!name || !id) throw new Error('A job needs a name and an id');
    const runAt = options.runAt ? options.runAt.getTime() : this.now();
    if (!Number.isFinite(runAt)) throw new Error(`Invalid runAt for job ${name}/${id}`);
    this.scheduleTransaction(name, id, JSON.stringify(payload), runAt, options.replace === true);
    // due now, or earlier than the loop's next planned look: let it recompute
    this.wake();
  }

  async cancel(name: string, id: string): Promise<boolean> {
    if (this.cancelStmt.run(name, id).changes > 0) return true;
    // a replacement waiting for the running attempt to end is a pending job too
    return this.cancelReplacementStmt.run(this.now(), name, id).changes > 0;
  }

  async status(name: string, id: string): Promise<JobStatus | 'unknown'> {
    return this.statusStmt.get(name, id)?.status ?? 'unknown';
  }

  async start(): Promise<void> {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.poll();
  }

  /** Stops claiming jobs and waits for the running handlers. Idempotent; fine on a scheduler never started. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.interruptPause?.();
    await this.loop;
    this.loop = undefined;
    await Promise.all([...this.running]);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  /** Not part of the port: readiness' check that a full database has room again (storage-health.ts). */
  async writeProbe(): Promise<void> {
    writeProbe(this.db);
  }

  /** Not part of the port: stop, then release the database file. */
  async close(): Promise<void> {
    await this.stop();
    if (this.db.open) this.db.close();
  }

  // --- worker loop -----------------------------------------------------------------------------------------

  private async poll(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      let delay = this.pollIntervalMs;
      try {
        const free = this.concurrency - this.running.size;
        if (free > 0 && this.definitions.size > 0) {
          for (const job of this.claimTransaction(free)) this.launch(job);
          // sleep until the next job is due, if that comes before the next poll
          const next = this.nextDueStmt.get(this.registeredNames())?.next;
          if (next !== null && next !== undefined) delay = Math.max(0, Math.min(delay, next - this.now()));
        }
      } catch (error) {
        this.onError(error);
      }
      // a finishing handler or a schedule() call wakes us up early
      if (!this.woken && !this.stopping) await this.pause(delay);
    }
  }

  /** Inside the claim transaction. */
  private claimDue(limit: number): ClaimedJob[] {
    const now = this.now();
    const claimed: ClaimedJob[] = [];
    for (const row of this.dueStmt.all(this.registeredNames(), now, now, limit)) {
      const maxAttempts = this.definitions.get(row.name)?.attempts ?? DEFAULT_ATTEMPTS;
      if (row.status === 'running' && row.attempts >= maxAttempts) {
        // the last attempt's worker died or stalled past its lease: no attempt left
        this.expireStmt.run(`lease expired during attempt ${row.attempts} (worker crashed or stalled)`, now, row.name, row.id);
        continue;
      }
      const token = randomUUID();
      this.claimStmt.run(now + this.leaseMs, token, now, row.name, row.id);
      claimed.push({
        name: row.name,
        id: row.id,
        payload: JSON.parse(row.payload) as Record<string, unknown>,
        attempt: row.attempts + 1,
        token,
      });
    }
    return claimed;
  }

  private launch(job: ClaimedJob): void {
    const run = this.execute(job).finally(() => {
      this.running.delete(run);
      this.wake(); // a slot is free
    });
    this.running.add(run);
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const definition = this.definitions.get(job.name)!;
    const heartbeat = setInterval(
      () => {
        try {
          this.heartbeatStmt.run(this.now() + this.leaseMs, job.name, job.id, job.token);
        } catch (error) {
          this.onError(error);
        }
      },
      Math.max(10, Math.floor(this.leaseMs / 3)),
    );
    let failure: { error: unknown } | undefined;
    try {
      await definition.handler({ name: job.name, id: job.id, payload: job.payload, attempt: job.attempt });
    } catch (error) {
      failure = { error };
    } finally {
      clearInterval(heartbeat);
    }
    try {
      const now = this.now();
      if (!failure) {
        this.completeStmt.run(now, job.name, job.id, job.token);
      } else if (job.attempt < (definition.attempts ?? DEFAULT_ATTEMPTS)) {
        const delay = (definition.backoffMs ?? DEFAULT_BACKOFF_MS) * 2 ** (job.attempt - 1);
        this.retryStmt.run(describeError(failure.error), now + delay, now, job.name, job.id, job.token);
      } else {
        this.failStmt.run(describeError(failure.error), now, job.name, job.id, job.token);
      }
    } catch (error) {
      // the outcome could not be written: the lease will expire and the job will run again (at least once)
      this.onError(error);
    }
  }

  private registeredNames(): string {
    return JSON.stringify([...this.definitions.keys()]);
  }

  private wake(): void {
    this.woken = true;
    this.interruptPause?.();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.interruptPause = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.interruptPause = finish;
    });
  }
}
