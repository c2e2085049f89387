/**
 * JobScheduler port: timed and background work, delivered at least once (handlers are idempotent).
 * Adapters: SQLite (in process, polling) and BullMQ on Redis.
 * Every adapter passes the same contract suite (test/contract/job-scheduler.contract.ts).
 */

export interface JobDefinition<P = Record<string, unknown>> {
  /** queue / job kind, e.g. "waiting-list.offer-expiry" */
  name: string;
  handler: (job: JobContext<P>) => Promise<void>;
  /** total attempts including the first (default 5) */
  attempts?: number;
  /** exponential backoff base in ms: attempt n waits base * 2^(n-1) (default 1000) */
  backoffMs?: number;
}

export interface JobContext<P> {
  name: string;
  id: string;
  payload: P;
  /** 1 for the first attempt */
  attempt: number;
}

export interface ScheduleOptions {
  /** when to run; default now */
  runAt?: Date;
  /** when a job with this id is already scheduled (not yet running): replace it (true) or keep the first (false, default) */
  replace?: boolean;
}

export interface JobScheduler {
  /** Register a handler before start(). */
  register<P = Record<string, unknown>>(definition: JobDefinition<P>): void;
  /**
   * Schedule a job under a deterministic id. Scheduling the same (name, id) twice runs it once
   * unless `replace` is set, which reschedules it with the new time and payload.
   * Finished jobs are kept ('completed' / 'failed'): scheduling their id again does nothing unless `replace` is set
   * (then it runs again, from attempt 1). A replace while the job is running is applied when that attempt ends:
   * the job then runs again with the new payload at the new time.
   */
  schedule<P extends Record<string, unknown>>(name: string, id: string, payload: P, options?: ScheduleOptions): Promise<void>;
  /** Cancel a scheduled job (or a replacement waiting for a running attempt); true when one was pending. */
  cancel(name: string, id: string): Promise<boolean>;
  /** State of a job, for tests and operations. */
  status(name: string, id: string): Promise<'scheduled' | 'running' | 'completed' | 'failed' | 'unknown'>;
  /** Start running handlers (a process that only schedules never calls it). */
  start(): Promise<void>;
  /** Stop taking new jobs and wait for running ones to finish. Idempotent; valid on a scheduler never started. */
  stop(): Promise<void>;
  ping(): Promise<void>;
}
