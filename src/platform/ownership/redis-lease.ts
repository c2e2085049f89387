/**
 * Server mode's "one owner": projections and workflows run in exactly one projector at a time, the one
 * holding a lease in Redis (`portail:owner:projections`). Other projectors (and API processes started with
 * RUN_PROJECTIONS=true) wait in standby and take over when the lease expires or is released.
 *
 * The lease is a key set with NX and a time to live (15 s by default), renewed every third of it by its
 * holder only (compare-and-expire in a Lua script), released on shutdown (compare-and-delete). A holder
 * that cannot renew in time (Redis unreachable, process stalled) stops its projections and workflows at
 * once and goes back to standby: its lease may already be another process's. Between the expiry and
 * that stop two runners may overlap for a moment; every projection batch is committed with a version-guarded
 * write and its checkpoint, and workflows' commands use expected revisions and derived event ids, so the
 * overlap wastes work but writes nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import type IORedis from 'ioredis';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export const OWNER_LEASE_KEY = 'portail:owner:projections';

export interface LeaseOptions {
  key?: string;
  ttlMs?: number;
  /** what the holder is, as other processes see it (default host:pid:random) */
  holder?: string;
}

export class RedisLease {
  readonly key: string;
  readonly ttlMs: number;
  readonly holder: string;

  constructor(
    private readonly redis: IORedis,
    options: LeaseOptions = {},
  ) {
    this.key = options.key ?? OWNER_LEASE_KEY;
    this.ttlMs = options.ttlMs ?? 15_000;
    this.holder = options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  async tryAcquire(): Promise<boolean> {
    return (await this.redis.set(this.key, this.holder, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  /** false when the lease is no longer ours */
  async renew(): Promise<boolean> {
    return Number(await this.redis.eval(RENEW, 1, this.key, this.holder, String(this.ttlMs))) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.holder);
  }

  async currentHolder(): Promise<string | null> {
    return this.redis.get(this.key);
  }
}

export interface OwnedWork {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface LeaseLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * Runs `work` while this process holds the lease: tries to take it every renew interval while in
 * standby, renews it while owning, stops the work as soon as a renewal fails.
 */
export class LeaseOwnership {
  private timer: NodeJS.Timeout | undefined;
  private owning = false;
  private stopped = false;
  private tick: Promise<void> = Promise.resolve();
  private lastSeenHolder: string | null | undefined;

  constructor(
    private readonly lease: RedisLease,
    private readonly work: OwnedWork,
    private readonly logger: LeaseLogger,
  ) {}

  get isOwner(): boolean {
    return this.owning;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.step();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.tick;
    if (this.owning) {
      this.owning = false;
      await this.work.stop();
      await this.lease.release().catch(() => undefined);
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.tick = this.step().finally(() => this.schedule());
      },
      Math.max(10, Math.floor(this.lease.ttlMs / 3)),
    );
  }

  private async step(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.owning) {
        if (await this.lease.renew()) return;
        this.logger.warn(`lost the ${this.lease.key} lease: stopping projections and workflows (standby)`);
        this.owning = false;
        await this.work.stop();
        return;
      }
      if (await this.lease.tryAcquire()) {
        this.owning = true;
        this.logger.log(`took the ${this.lease.key} lease (${this.lease.holder}): running projections and workflows`);
        await this.work.start();
        return;
      }
      const holder = await this.lease.currentHolder();
      if (holder !== this.lastSeenHolder) {
        this.lastSeenHolder = holder;
        this.logger.log(`standby: projections and workflows are owned by ${holder ?? 'another process'} (${this.lease.key})`);
      }
    } catch (error) {
      // Redis unreachable: an owner cannot prove it still owns, so it stops
      if (this.owning) {
        this.owning = false;
        this.logger.warn(`cannot renew the ${this.lease.key} lease (${(error as Error).message}): stopping projections and workflows`);
        await this.work.stop().catch(() => undefined);
      } else {
        this.logger.warn(`cannot reach Redis for the ${this.lease.key} lease (${(error as Error).message})`);
      }
    }
  }
}
