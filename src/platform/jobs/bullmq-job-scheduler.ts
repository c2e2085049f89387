/**
 * JobScheduler adapter for BullMQ on Redis (server runtime).
 *
 * One BullMQ queue per job name (created on first use), one worker per registered definition (created by start()).
 * Deduplication relies on BullMQ's custom job ids: adding a job whose id already exists in the queue (waiting,
 * delayed, active, or kept after completion/failure) is a no-op, hence "scheduled twice runs once". Finished jobs
 * are kept 24 h (completed) / 7 days (failed), evicted by BullMQ when a later job of the queue finishes: past that
 * window an id can be scheduled and run again.
 *
 * Ids. BullMQ rejects custom job ids that contain ':' (its key separator) or that look like integers (they would
 * collide with its own auto-incremented ids), and queue names that contain ':'. Ids and names are therefore encoded:
 * `encodeURIComponent` (':' -> '%3A', '%' -> '%25', so the encoding is injective), and job ids get a `j_` prefix
 * ("123" -> "j_123"). The original id travels in the job data, so handlers see it unchanged.
 *
 * Replacing a running job. BullMQ cannot change a job that a worker holds, so `schedule(..., { replace: true })` on a
 * running job stores the replacement in Redis (`<prefix>:<queue>:replacement:<jobId>`) and the worker applies it when
 * the running attempt ends (the attempt's outcome is superseded), as the SQLite adapter does. Whoever takes the
 * replacement with GETDEL (the worker's end-of-attempt hook, or the scheduler re-checking after a race) applies it,
 * so it is applied exactly once. A pending replacement counts as a scheduled job for cancel().
 *
 * Retry policy. `attempts` and `backoffMs` are stored on the job when it is scheduled, so they come from the
 * definition registered in the scheduling process, or the port's defaults (5 attempts, 1000 ms) when that process
 * did not register it. BullMQ's exponential backoff waits backoffMs * 2^(n-1) after the n-th failed attempt.
 */
import { type Job, type JobsOptions, Queue, Worker } from 'bullmq';
import IORedis, { type RedisOptions } from 'ioredis';

import { type Clock, SystemClock } from '../clock/clock';
import type { JobContext, JobDefinition, JobScheduler, ScheduleOptions } from './job-scheduler.port';

export interface BullmqJobSchedulerOptions {
  /** redis:// URL or ioredis options */
  connection: string | RedisOptions;
  /** BullMQ key prefix (default "bull"); tests use a unique one per run */
  prefix?: string;
  /** jobs run in parallel per job name (default 1) */
  concurrency?: number;
  /** background errors (connection loss, worker errors); default: console.error */
  onError?: (error: Error) => void;
  /** the clock `runAt` instants are read against (default: the system clock) */
  clock?: Clock;
}

/** A replace that arrived while the job was running, applied when the running attempt ends. */
interface Replacement {
  payload: Record<string, unknown>;
  runAt: number;
}

/** What a BullMQ job carries: the port's id (unencoded) and payload. */
interface JobData {
  id: string;
  payload: Record<string, unknown>;
}

const SYSTEM_CLOCK = new SystemClock();
const DEFAULT_ATTEMPTS = 5;

/**
 * Stalled jobs, chosen rather than left to BullMQ's defaults. A running job holds a lock for LOCK_DURATION_MS,
 * renewed at half of it while the handler runs (an event loop blocked that long loses it). Every
 * STALLED_INTERVAL_MS a worker moves the jobs whose lock lapsed (their process died: kill -9, OOM, lost host)
 * back to waiting: a crashed process's job runs again within LOCK_DURATION_MS + STALLED_INTERVAL_MS (45 s).
 * BullMQ fails a job for good once it stalled more than maxStalledCount times (default 1, so two crashes in a
 * row would drop an offer's expiry); here a job may stall as many times as it has attempts, as in the SQLite
 * adapter where a lapsed lease counts as an attempt. Handlers are idempotent: running again is safe.
 */
const LOCK_DURATION_MS = 30_000;
const STALLED_INTERVAL_MS = 15_000;
const DEFAULT_BACKOFF_MS = 1000;
const PING_TIMEOUT_MS = 2000;
/** finished jobs are kept so that "scheduled twice runs once" also holds after a run, and for status() */
const KEEP_COMPLETED_S = 24 * 3600;
const KEEP_FAILED_S = 7 * 24 * 3600;

export function encodeQueueName(name: string): string {
  return encodeURIComponent(name);
}

export function encodeJobId(id: string): string {
  return `j_${encodeURIComponent(id)}`;
}

function createClient(connection: string | RedisOptions, overrides: RedisOptions): IORedis {
  return typeof connection === 'string' ? new IORedis(connection, overrides) : new IORedis({ ...connection, ...overrides });
}

export class BullmqJobScheduler implements JobScheduler {
  private readonly definitions = new Map<string, JobDefinition<Record<string, unknown>>>();
  private readonly queues = new Map<string, Queue<JobData>>();
  private readonly workers = new Map<string, Worker<JobData>>();
  /** queues and scheduling commands: fail after a few retries when Redis is down rather than hang */
  private readonly client: IORedis;
  /** workers: BullMQ requires maxRetriesPerRequest: null for its blocking commands (it duplicates this client) */
  private workerClient: IORedis | undefined;
  private readonly onError: (error: Error) => void;
  /** end-of-attempt hooks in flight (applying replacements); stop() waits for them */
  private readonly hooks = new Set<Promise<void>>();
  private started = false;
  private stopping = false;
  private stopped = false;

  private now(): number {
    return (this.options.clock ?? SYSTEM_CLOCK).now().getTime();
  }

  constructor(private readonly options: BullmqJobSchedulerOptions) {
    this.onError = options.onError ?? ((error) => console.error('[bullmq-job-scheduler]', error.message));
    this.client = createClient(options.connection, { maxRetriesPerRequest: 3 });
    this.client.on('error', this.onError);
  }

  register<P = Record<string, unknown>>(definition: JobDefinition<P>): void {
    if (this.definitions.has(definition.name)) throw new Error(`Job ${definition.name} is already registered`);
    this.definitions.set(definition.name, definition as unknown as JobDefinition<Record<string, unknown>>);
    if (this.started && !this.stopping) this.startWorker(definition.name);
  }

  private queue(name: string): Queue<JobData> {
    if (this.stopped) throw new Error('Job scheduler is stopped');
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<JobData>(encodeQueueName(name), { connection: this.client, prefix: this.options.prefix });
      queue.on('error', this.onError);
      this.queues.set(name, queue);
    }
    return queue;
  }

  private async findJob(name: string, id: string): Promise<Job<JobData> | undefined> {
    return (await this.queue(name).getJob(encodeJobId(id))) as Job<JobData> | undefined;
  }

  async schedule<P extends Record<string, unknown>>(name: string, id: string, payload: P, options: ScheduleOptions = {}): Promise<void> {
    if (!name || !id) throw new Error('A job needs a name and an id');
    const runAt = options.runAt?.getTime() ?? this.now();
    if (!Number.isFinite(runAt)) throw new Error(`Invalid runAt for job ${name}/${id}`);
    this.queue(name);
    if (options.replace && (await this.replaceExisting(name, id, { payload, runAt })) === 'deferred') return;
    // without replace, an existing job with this id (pending, running or finished) makes the add a no-op
    await this.add(name, id, { payload, runAt });
  }

  private async add(name: string, id: string, { payload, runAt }: Replacement): Promise<void> {
    const definition = this.definitions.get(name);
    const opts: JobsOptions = {
      jobId: encodeJobId(id),
      delay: Math.max(0, runAt - this.now()),
      attempts: definition?.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: 'exponential', delay: definition?.backoffMs ?? DEFAULT_BACKOFF_MS },
      removeOnComplete: { age: KEEP_COMPLETED_S },
      removeOnFail: { age: KEEP_FAILED_S },
    };
    await this.queue(name).add(name, { id, payload }, opts);
  }

  /**
   * Makes room for a replacement: a pending or finished job is removed ('add': the caller adds the new one);
   * a running one keeps running and the replacement waits for the end of its attempt ('deferred').
   */
  private async replaceExisting(name: string, id: string, replacement: Replacement): Promise<'add' | 'deferred'> {
    for (let tries = 0; tries < 5; tries++) {
      const existing = await this.findJob(name, id);
      if (!existing) return 'add';
      if ((await existing.getState()) !== 'active') {
        if (await this.removeQuietly(existing)) return 'add';
        continue; // a worker took it meanwhile
      }
      await this.client.set(this.replacementKey(name, id), JSON.stringify(replacement), 'EX', KEEP_FAILED_S);
      // the attempt may have ended between getState and SET, its hook then found nothing: apply it here
      if ((await existing.getState()) !== 'active') await this.applyReplacement(name, id);
      return 'deferred';
    }
    throw new Error(`Could not replace job ${name}/${id}: it keeps changing state`);
  }

  private replacementKey(name: string, id: string): string {
    return `${this.options.prefix ?? 'bull'}:${encodeQueueName(name)}:replacement:${encodeJobId(id)}`;
  }

  /** Applies the pending replacement of a job whose attempt has ended, if there is one (and nobody took it). */
  private async applyReplacement(name: string, id: string): Promise<void> {
    const key = this.replacementKey(name, id);
    for (let tries = 0; tries < 5; tries++) {
      const raw = await this.client.getdel(key);
      if (!raw) return;
      const job = await this.findJob(name, id);
      if (!job || (await this.removeQuietly(job))) {
        await this.add(name, id, JSON.parse(raw) as Replacement);
        return;
      }
      // a retry of the job started meanwhile: the replacement waits for the end of that attempt
      await this.client.set(key, raw, 'EX', KEEP_FAILED_S);
      if ((await job.getState()) === 'active') return;
    }
  }

  private afterAttempt(name: string, job: Job<JobData> | undefined): void {
    if (!job) return;
    const hook = this.applyReplacement(name, job.data.id).catch((error: unknown) =>
      this.onError(error instanceof Error ? error : new Error(String(error))),
    );
    this.hooks.add(hook);
    void hook.finally(() => this.hooks.delete(hook));
  }

  /** job.remove() throws when the job got locked by a worker meanwhile: then it is running, not removed. */
  private async removeQuietly(job: Job<JobData>): Promise<boolean> {
    try {
      await job.remove();
      return true;
    } catch {
      return false;
    }
  }

  async cancel(name: string, id: string): Promise<boolean> {
    const job = await this.findJob(name, id);
    if (!job) return false;
    const state = await job.getState();
    // a replacement waiting for the running attempt to end is a pending job too
    if (state === 'active') return (await this.client.del(this.replacementKey(name, id))) > 0;
    if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized' && state !== 'waiting-children') return false;
    return this.removeQuietly(job);
  }

  async status(name: string, id: string): Promise<'scheduled' | 'running' | 'completed' | 'failed' | 'unknown'> {
    const job = await this.findJob(name, id);
    if (!job) return 'unknown';
    const state = await job.getState();
    switch (state) {
      case 'waiting':
      case 'delayed': // includes a failed attempt waiting for its retry
      case 'prioritized':
      case 'waiting-children':
        return 'scheduled';
      case 'active':
        return 'running';
      case 'completed':
        return 'completed';
      case 'failed':
        return 'failed';
      default:
        return 'unknown';
    }
  }

  async start(): Promise<void> {
    if (this.started) return;
    if (this.stopping || this.stopped) throw new Error('Job scheduler is stopped');
    this.started = true;
    for (const name of this.definitions.keys()) this.startWorker(name);
    await Promise.all([...this.workers.values()].map((w) => w.waitUntilReady()));
  }

  private startWorker(name: string): void {
    if (this.workers.has(name)) return;
    if (!this.workerClient) {
      this.workerClient = createClient(this.options.connection, { maxRetriesPerRequest: null });
      this.workerClient.on('error', this.onError);
    }
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`Job ${name} is not registered`);
    const worker = new Worker<JobData>(
      encodeQueueName(name),
      async (job) => {
        const context: JobContext<Record<string, unknown>> = {
          name,
          id: job.data.id,
          payload: job.data.payload,
          // attemptsMade counts the finished (failed) attempts: the running one is the next
          attempt: job.attemptsMade + 1,
        };
        await definition.handler(context);
      },
      {
        connection: this.workerClient,
        prefix: this.options.prefix,
        concurrency: this.options.concurrency ?? 1,
        lockDuration: LOCK_DURATION_MS,
        stalledInterval: STALLED_INTERVAL_MS,
        maxStalledCount: definition.attempts ?? DEFAULT_ATTEMPTS,
      },
    );
    worker.on('error', this.onError);
    // 'failed' is emitted for every failed attempt, including those that will be retried
    worker.on('completed', (job) => this.afterAttempt(name, job));
    worker.on('failed', (job) => this.afterAttempt(name, job));
    this.workers.set(name, worker);
  }

  /** Idempotent: later calls wait for the same shutdown. */
  async stop(): Promise<void> {
    this.shutdown ??= this.close();
    await this.shutdown;
  }

  private shutdown: Promise<void> | undefined;

  private async close(): Promise<void> {
    this.stopping = true;
    // Worker.close() stops fetching and waits for the active jobs to finish; then their end-of-attempt hooks
    await Promise.allSettled([...this.workers.values()].map((w) => w.close()));
    await Promise.allSettled([...this.hooks]);
    this.stopped = true;
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    this.workers.clear();
    this.queues.clear();
    // the shared clients are ours (BullMQ does not close a connection it was given)
    await Promise.allSettled([this.client, this.workerClient].filter((c): c is IORedis => !!c).map((c) => quit(c)));
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer PING within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.client.ping(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

async function quit(client: IORedis): Promise<void> {
  // QUIT lets pending replies arrive; but a client that is not connected answers QUIT locally and keeps trying to
  // reconnect, so it is disconnected for good in every case
  if (client.status === 'ready') await client.quit().catch(() => undefined);
  if (client.status !== 'end') client.disconnect(false);
}
