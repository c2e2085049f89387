import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import { type Clock, SystemClock } from '../clock/clock';
import type { Document, DocumentStore, WriteOp } from '../document-store/document-store.port';
import { VersionConflictError } from '../document-store/document-store.port';
import type { EventStore, StoredEvent, Subscription } from '../event-store/event-store.port';
import type { EventSerializer } from '../events/event-serializer';
import type { ProjectedEvent, ProjectionDefinition } from './projection';

/**
 * A rebuild in progress, held by one runner (`owner`) as a lease: the owner renews `heartbeatAt` while it works;
 * a mark whose heartbeat is older than the lease belongs to a runner that died (kill -9, crash, lost host) and is
 * taken over by the next one that looks.
 */
interface RebuildMark {
  generation: number;
  collection: string;
  startedAt: string;
  /** absent on marks written before leases existed: they expire `leaseMs` after startedAt */
  owner?: string;
  heartbeatAt?: string;
}

/** Where a projection's live documents are: kept in the `projection_state` collection. */
interface ProjectionState extends Record<string, unknown> {
  name: string;
  version: number;
  generation: number;
  collection: string;
  /** set while a rebuild fills a new collection */
  rebuilding?: RebuildMark;
  /** collections replaced by a rebuild, dropped once readers of other processes have switched (retireGraceMs) */
  retired?: { collection: string; at: string }[];
}

/**
 * A rebuild asked for by an operator (admin endpoint, CLI) and carried out by the runner that owns the live
 * projections (the one started with `start()`), wherever the request was made: kept in `projection_rebuilds`.
 */
export interface RebuildRequest extends Record<string, unknown> {
  id: string;
  projection: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  requestedAt: string;
  requestedBy?: string;
  /** the runner carrying it out */
  owner?: string;
  startedAt?: string;
  finishedAt?: string;
  /** when done: the new collection and its checkpoint */
  collection?: string;
  checkpoint?: number;
  error?: string;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  collection: string;
  checkpoint: number;
  head: number;
  /** positions behind the head of the log (= events behind on the embedded store, whose positions are dense) */
  lagPositions: number;
  /** age of the oldest event not yet projected, in seconds (0 when caught up) */
  lagSeconds: number;
  /** a rebuild holds a live lease on this projection */
  rebuilding: boolean;
  /** the rebuild mark, live or abandoned (stale: its owner stopped renewing it; the next runner takes it over) */
  rebuild?: { owner?: string; startedAt: string; heartbeatAt?: string; stale: boolean };
  /** this process runs the projection live */
  running: boolean;
  lastError?: string;
}

type Logger = { warn(obj: object, msg: string): void; info(obj: object, msg: string): void; error(obj: object, msg: string): void };

export interface ProjectionRunnerOptions {
  /** events per read-model transaction while catching up */
  batchSize?: number;
  /** events per page when projections starting together catch up on one read of the log (default max(batchSize, 10,000): a document touched by several events of a page is read and written once) */
  catchUpPageSize?: number;
  logger?: Logger;
  /** retry delays when a batch fails (ms) */
  backoff?: { initialMs: number; maxMs: number };
  /** for rebuild marks, leases and lag in seconds (default: the system clock) */
  clock?: Clock;
  /** how often a started runner looks for rebuild requests, switched collections and abandoned marks (default 1000 ms) */
  pollMs?: number;
  /** a rebuild mark or an owner heartbeat older than this is abandoned (default 30 s; renewed every third of it) */
  leaseMs?: number;
  /** how long a collection replaced by a rebuild is kept for readers still caching its name (default 5 s) */
  retireGraceMs?: number;
  /** names this runner in marks and requests (default host:pid:random) */
  ownerId?: string;
}

const SYSTEM_CLOCK = new SystemClock();
const STATE_COLLECTION = 'projection_state';
export const REBUILD_REQUESTS_COLLECTION = 'projection_rebuilds';
const OWNER_COLLECTION = 'projection_owner';
const OWNER_DOCUMENT = 'owner';
/**
 * Per read-model collection, `{ position }` of the last event of the projection's types it handled (see applyBatch):
 * what readers caching a whole read model compare, where the checkpoint moves with every event of the log.
 */
export const CHANGES_COLLECTION = 'projection_changes';
const DOC_POSITION = '_position';
const REBUILD_RETRY_INITIAL_MS = 5_000;
const REBUILD_RETRY_MAX_MS = 5 * 60_000;

/**
 * Runs projections from the event log into the DocumentStore.
 * - one catch-up subscription per projection, from its checkpoint; events are applied in batches and each
 *   batch is committed with the checkpoint (commitBatch), so a crash anywhere replays to the same result;
 * - every document keeps the position of the last event applied to it, so an event seen twice changes nothing;
 * - a rebuild fills a new collection from position zero and takes over once caught up; it holds a lease (mark
 *   with owner and heartbeat), so a rebuild killed part-way is taken over instead of blocking the projection;
 * - rebuilds run where the live projections run: any process records a request, the started runner (the
 *   owner) carries it out, and follows a collection switched by another process;
 * - a failing batch restarts the subscription from the stored checkpoint with a growing delay, never silently.
 */
export class ProjectionRunner {
  private readonly definitions = new Map<string, ProjectionDefinition>();
  private readonly live = new Map<string, LiveProjection>();
  /** projections catching up together before they go live (catchUpThenStartLive), and those runs */
  private readonly catchingUp = new Set<string>();
  private readonly catchUps = new Set<Promise<void>>();
  private readonly catchUpPageSize: number;
  private readonly activeCache = new Map<string, { collection: string; readAt: number }>();
  /** rebuilds running in this process, by projection */
  private readonly rebuilds = new Map<string, Promise<ProjectionStatus>>();
  /** failed rebuilds of a new version: when to try again */
  private readonly rebuildRetry = new Map<string, { failures: number; at: number }>();
  private readonly batchSize: number;
  private readonly leaseMs: number;
  readonly ownerId: string;
  private stopped = false;
  private started = false;
  private poller?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private wakeRequested = false;

  constructor(
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly serializer: EventSerializer,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.catchUpPageSize = options.catchUpPageSize ?? Math.max(this.batchSize, 10_000);
    this.leaseMs = options.leaseMs ?? 30_000;
    this.ownerId = options.ownerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  private now(): Date {
    return (this.options.clock ?? SYSTEM_CLOCK).now();
  }

  register(...definitions: ProjectionDefinition[]): this {
    for (const d of definitions) this.definitions.set(d.name, d as ProjectionDefinition);
    return this;
  }

  names(): string[] {
    return [...this.definitions.keys()];
  }

  /** Prepare state documents and collections (every process calls it; start() too). */
  async initialize(): Promise<void> {
    await this.documents.ensureCollection(STATE_COLLECTION, []);
    await this.documents.ensureCollection(REBUILD_REQUESTS_COLLECTION, ['status', 'projection']);
    await this.documents.ensureCollection(CHANGES_COLLECTION, []);
    for (const definition of this.definitions.values()) {
      const state = await this.state(definition.name);
      if (!state) {
        const collection = collectionName(definition, 1);
        await this.documents.ensureCollection(collection, definition.indexedFields);
        await this.documents
          .put(
            STATE_COLLECTION,
            definition.name,
            { name: definition.name, version: definition.version, generation: 1, collection } satisfies ProjectionState,
            'absent',
          )
          .catch((error) => {
            if (!(error instanceof VersionConflictError)) throw error; // another process created it first
          });
      } else {
        await this.documents.ensureCollection(state.collection, definition.indexedFields);
      }
    }
  }

  /**
   * Own the projections: run every registered read model live, rebuild those whose version changed, and from
   * then on (every pollMs) carry out rebuild requests, follow collections switched elsewhere and take over
   * abandoned rebuild marks. The process that owns projections calls it (RUN_PROJECTIONS).
   */
  async start(): Promise<void> {
    this.stopped = false;
    this.started = true;
    await this.initialize();
    await this.tick();
    const pollMs = this.options.pollMs ?? 1000;
    this.poller = setInterval(() => void this.tick(), pollMs);
    this.poller.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.started = false;
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
    await this.ticking;
    await Promise.allSettled([...this.catchUps]);
    await Promise.allSettled([...this.rebuilds.values()]);
    await Promise.all([...this.live.values()].map((p) => p.stop()));
    this.live.clear();
    const owner = await this.documents.get<{ owner: string }>(OWNER_COLLECTION, OWNER_DOCUMENT).catch(() => null);
    if (owner?.data.owner === this.ownerId) {
      await this.documents.delete(OWNER_COLLECTION, OWNER_DOCUMENT, owner.version).catch(() => undefined);
    }
  }

  /** The collection queries must read for a projection (cached briefly: another process may switch it). */
  async collectionOf(name: string): Promise<string> {
    const cached = this.activeCache.get(name);
    if (cached && performance.now() - cached.readAt < 1000) return cached.collection;
    const state = await this.state(name);
    if (!state) throw new Error(`Unknown projection ${name}`);
    this.activeCache.set(name, { collection: state.collection, readAt: performance.now() });
    return state.collection;
  }

  // --- rebuild requests (any process) ------------------------------------------------------------------------

  /**
   * Ask the owner of the projections to rebuild one. Throws RebuildInProgressError when a rebuild of it is
   * requested, running, or holds a live mark. When this runner is the owner, it starts at once.
   */
  async requestRebuild(name: string, requestedBy?: string): Promise<RebuildRequest> {
    if (!this.definitions.has(name)) throw new Error(`Unknown projection ${name}`);
    const open = await this.openRequests(name);
    if (open.length > 0) throw new RebuildInProgressError(name, open[0].id);
    const state = await this.state(name);
    if (state?.rebuilding && !this.isStale(state.rebuilding)) throw new RebuildInProgressError(name);
    const request: RebuildRequest = {
      id: randomUUID(),
      projection: name,
      status: 'pending',
      requestedAt: this.now().toISOString(),
      ...(requestedBy ? { requestedBy } : {}),
    };
    await this.documents.put(REBUILD_REQUESTS_COLLECTION, request.id, request, 'absent');
    if (this.started) this.wake();
    return request;
  }

  async rebuildRequest(id: string): Promise<RebuildRequest | undefined> {
    return (await this.documents.get<RebuildRequest>(REBUILD_REQUESTS_COLLECTION, id))?.data;
  }

  /** The request once done or failed, or as it stands after `timeoutMs`. */
  async waitForRebuild(id: string, timeoutMs: number): Promise<RebuildRequest> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const request = await this.rebuildRequest(id);
      if (!request) throw new Error(`Unknown rebuild request ${id}`);
      if (request.status === 'done' || request.status === 'failed' || performance.now() >= deadline) return request;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** This runner owns the projections (started). */
  get owning(): boolean {
    return this.started && !this.stopped;
  }

  /** Whether a runner owning the projections (this one or another) has shown signs of life within the lease. */
  async ownerAlive(): Promise<boolean> {
    if (this.owning) return true;
    const owner = await this.documents.get<{ heartbeatAt: string }>(OWNER_COLLECTION, OWNER_DOCUMENT);
    return owner !== null && this.now().getTime() - Date.parse(owner.data.heartbeatAt) <= this.leaseMs;
  }

  /**
   * Carry out the open rebuild requests here and now (the owner's tick does it; the CLI does it when no owner
   * is alive, e.g. the embedded portal is stopped). Resolves when they are done or failed.
   */
  async runRebuildRequests(): Promise<void> {
    const names = new Set((await this.openRequests()).map((r) => r.projection));
    await Promise.allSettled([...names].filter((n) => this.definitions.has(n)).map((n) => this.rebuild(n)));
  }

  // --- the owner's loop ------------------------------------------------------------------------------------

  private wake(): void {
    if (this.ticking) {
      this.wakeRequested = true;
      return;
    }
    void this.tick();
  }

  private tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = (async () => {
      try {
        do {
          this.wakeRequested = false;
          await this.reconcile();
        } while (this.wakeRequested && !this.stopped);
      } catch (error) {
        this.options.logger?.error({ err: error }, 'projection runner: reconciliation failed; retrying at the next poll');
      } finally {
        this.ticking = undefined;
      }
    })();
    return this.ticking;
  }

  /** One look at every projection: what this owner should be doing about it. */
  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    const starting: { definition: ProjectionDefinition; collection: string }[] = [];
    await this.heartbeatOwner();
    const requests = await this.openRequests();
    for (const definition of this.definitions.values()) {
      if (this.stopped) return;
      const name = definition.name;
      if (this.rebuilds.has(name)) continue;
      let state = await this.state(name);
      if (!state) continue;
      if (state.rebuilding && this.isStale(state.rebuilding)) {
        state = await this.abandon(name, state);
        if (!state) continue;
      }
      const requested = requests.some((r) => r.projection === name);
      if (state.version !== definition.version || requested) {
        // a live mark of another runner: it switches the collection when done, and this one follows then
        if (state.rebuilding) continue;
        // a new version whose rebuild failed is tried again with a growing delay (a request is answered at once)
        const retry = this.rebuildRetry.get(name);
        if (!requested && retry && performance.now() < retry.at) continue;
        void this.rebuild(name).then(
          () => this.rebuildRetry.delete(name),
          (error) => {
            if (error instanceof RebuildInProgressError || error instanceof RebuildStoppedError) return;
            const failures = (this.rebuildRetry.get(name)?.failures ?? 0) + 1;
            const delay = Math.min(REBUILD_RETRY_MAX_MS, REBUILD_RETRY_INITIAL_MS * 2 ** Math.min(failures - 1, 20));
            this.rebuildRetry.set(name, { failures, at: performance.now() + delay });
            this.options.logger?.error({ projection: name, err: error, attempt: failures, retryInMs: delay }, 'projection rebuild failed');
          },
        );
        continue;
      }
      if (this.catchingUp.has(name)) continue;
      const live = this.live.get(name);
      if (!live || live.collection !== state.collection) {
        // first start, or another process switched the collection (a rebuild done elsewhere)
        if (live) this.options.logger?.info({ projection: name, collection: state.collection }, 'projection switched elsewhere; following');
        await live?.stop();
        this.live.delete(name);
        this.activeCache.delete(name);
        if (!this.stopped) starting.push({ definition, collection: state.collection });
      }
    }
    if (starting.length === 1) this.startLive(starting[0].definition, starting[0].collection);
    else if (starting.length > 1) this.catchUpThenStartLive(starting);
    await this.dropRetired();
  }

  /**
   * Projections starting together (every one at a process start) catch up on one read of the log instead of one
   * subscription each reading all of it: pages of `catchUpPageSize` events, each applied to every projection that
   * has not handled it yet (one getMany and one commitBatch per projection and page), up to the head seen at the
   * start; then each goes live from its checkpoint. Runs in the background (start() does not wait for it); any
   * failure hands the projection to its live subscription, which carries on from the stored checkpoint and retries.
   */
  private catchUpThenStartLive(targets: { definition: ProjectionDefinition; collection: string }[]): void {
    for (const t of targets) this.catchingUp.add(t.definition.name);
    const run = (async () => {
      const pending = await Promise.all(
        targets.map(async (t) => ({ ...t, checkpoint: (await this.documents.getCheckpoint(t.collection)) ?? 0, failed: false })),
      );
      const head = await this.events.headPosition();
      let from = Math.min(...pending.map((t) => t.checkpoint));
      while (!this.stopped && from < head && pending.some((t) => !t.failed && t.checkpoint < head)) {
        const page = await this.events.readAll({ fromPosition: from, maxCount: this.catchUpPageSize });
        if (page.length === 0) break;
        for (const target of pending) {
          if (target.failed || this.stopped) continue;
          const batch = target.checkpoint < page[0].position ? page : page.filter((e) => e.position > target.checkpoint);
          if (batch.length === 0) continue;
          try {
            await this.applyBatch(target.definition, target.collection, batch);
            target.checkpoint = batch[batch.length - 1].position;
          } catch (error) {
            target.failed = true;
            this.options.logger?.warn(
              { projection: target.definition.name, err: error },
              'projection catch-up failed; its live subscription carries on from the checkpoint',
            );
          }
        }
        from = page[page.length - 1].position;
      }
    })()
      .catch((error: unknown) => {
        this.options.logger?.warn({ err: error }, 'projection catch-up failed; the live subscriptions carry on from the checkpoints');
      })
      .finally(() => {
        for (const t of targets) {
          this.catchingUp.delete(t.definition.name);
          // a rebuild may have switched the collection meanwhile (and started the new one live)
          if (!this.stopped && !this.live.has(t.definition.name)) this.startLive(t.definition, t.collection);
        }
      });
    this.catchUps.add(run);
    void run.finally(() => this.catchUps.delete(run));
  }

  private async heartbeatOwner(): Promise<void> {
    const data = { owner: this.ownerId, pid: process.pid, host: hostname(), heartbeatAt: this.now().toISOString() };
    const current = await this.documents.get<typeof data>(OWNER_COLLECTION, OWNER_DOCUMENT);
    // renewed a third of the lease at a time (a write per poll would be a write a second for nothing)
    if (current?.data.owner === this.ownerId && this.now().getTime() - Date.parse(current.data.heartbeatAt) < this.leaseMs / 3) return;
    await this.documents.put(OWNER_COLLECTION, OWNER_DOCUMENT, data);
  }

  private isStale(mark: RebuildMark): boolean {
    const beat = Date.parse(mark.heartbeatAt ?? mark.startedAt);
    return !(this.now().getTime() - beat <= this.leaseMs);
  }

  /** Take over an abandoned rebuild mark: clear it and drop what its owner had half built. */
  private async abandon(name: string, state: ProjectionState): Promise<ProjectionState | undefined> {
    const stored = await this.documents.get<ProjectionState>(STATE_COLLECTION, name);
    const mark = stored?.data.rebuilding;
    if (!stored || !mark || !this.isStale(mark)) return stored?.data;
    const { rebuilding: _abandoned, ...rest } = stored.data;
    try {
      await this.documents.put(STATE_COLLECTION, name, rest, stored.version);
    } catch (error) {
      if (error instanceof VersionConflictError) return undefined; // someone else moved first: look again next time
      throw error;
    }
    this.options.logger?.warn(
      { projection: name, owner: mark.owner, startedAt: mark.startedAt, heartbeatAt: mark.heartbeatAt },
      'projection rebuild abandoned by its owner (no heartbeat within the lease); taken over',
    );
    if (mark.collection !== state.collection) await this.dropReadModel(mark.collection);
    return rest as ProjectionState;
  }

  private async dropRetired(): Promise<void> {
    const grace = this.options.retireGraceMs ?? 5000;
    for (const name of this.definitions.keys()) {
      const stored = await this.documents.get<ProjectionState>(STATE_COLLECTION, name);
      const retired = stored?.data.retired ?? [];
      const due = retired.filter((r) => this.now().getTime() - Date.parse(r.at) >= grace);
      if (!stored || due.length === 0) continue;
      for (const r of due) if (r.collection !== stored.data.collection) await this.dropReadModel(r.collection);
      const kept = retired.filter((r) => !due.includes(r));
      const { retired: _old, ...rest } = stored.data;
      await this.documents
        .put(STATE_COLLECTION, name, kept.length > 0 ? { ...rest, retired: kept } : rest, stored.version)
        .catch((error) => {
          if (!(error instanceof VersionConflictError)) throw error; // dropped again next time: idempotent
        });
    }
  }

  private async openRequests(projection?: string): Promise<RebuildRequest[]> {
    const where = { status: { in: ['pending', 'running'] }, ...(projection ? { projection } : {}) };
    const page = await this.documents.find<RebuildRequest>(REBUILD_REQUESTS_COLLECTION, { where, limit: 1000 });
    return page.items.map((d) => d.data);
  }

  // --- rebuild ---------------------------------------------------------------------------------------------

  /**
   * Rebuild a projection from position zero into a new collection, then switch readers to it (the replaced
   * collection is dropped after retireGraceMs). Live projection continues on the old collection until the
   * switch. Carries out, and answers, the open requests for this projection. Throws RebuildInProgressError when
   * another runner holds a live mark on it, or this one is already rebuilding it.
   */
  rebuild(name: string): Promise<ProjectionStatus> {
    const running = this.rebuilds.get(name);
    if (running) return Promise.reject(new RebuildInProgressError(name));
    const rebuild = this.runRebuild(name).finally(() => this.rebuilds.delete(name));
    this.rebuilds.set(name, rebuild);
    return rebuild;
  }

  private async runRebuild(name: string): Promise<ProjectionStatus> {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`Unknown projection ${name}`);
    const stored = await this.documents.get<ProjectionState>(STATE_COLLECTION, name);
    if (!stored) throw new Error(`Unknown projection ${name}`);
    const state = stored.data;
    if (state.rebuilding && !this.isStale(state.rebuilding) && state.rebuilding.owner !== this.ownerId) {
      throw new RebuildInProgressError(name);
    }
    if (state.rebuilding) {
      this.options.logger?.warn({ projection: name, owner: state.rebuilding.owner }, 'projection rebuild mark abandoned; taken over');
    }
    const abandoned = state.rebuilding;
    const generation = state.generation + 1;
    const collection = collectionName(definition, generation);
    // The mark first (a guarded write: of two runners racing, one wins), then the collection is emptied.
    const now = this.now().toISOString();
    const mark: RebuildMark = { generation, collection, startedAt: now, owner: this.ownerId, heartbeatAt: now };
    try {
      await this.documents.put(STATE_COLLECTION, name, { ...state, rebuilding: mark }, stored.version);
    } catch (error) {
      if (error instanceof VersionConflictError) throw new RebuildInProgressError(name);
      throw error;
    }
    const requests = await this.claimRequests(name);
    // The mark is ours while its owner and generation are (other writes to the state document, such as dropping
    // a retired collection, keep it); when another runner took it over (this one stalled past the lease), stop.
    const ours = (doc: Document<ProjectionState> | null): doc is Document<ProjectionState> =>
      doc?.data.rebuilding?.owner === this.ownerId && doc.data.rebuilding.generation === generation;
    let lost = false;
    // Heartbeats and the final switch go one after the other (each is a guarded write of the state document).
    let writes: Promise<void> = Promise.resolve();
    const heartbeat = setInterval(
      () => {
        writes = writes.then(async () => {
          if (lost) return;
          try {
            const current = await this.documents.get<ProjectionState>(STATE_COLLECTION, name);
            if (!ours(current)) {
              lost = true;
              return;
            }
            const renewed = { ...current.data.rebuilding!, heartbeatAt: this.now().toISOString() };
            await this.documents.put(STATE_COLLECTION, name, { ...current.data, rebuilding: renewed }, current.version);
          } catch {
            // a concurrent write or a failed one: the next beat tries again (the lease is three beats long)
          }
        });
      },
      Math.max(10, Math.floor(this.leaseMs / 3)),
    );
    heartbeat.unref();
    try {
      if (abandoned && abandoned.collection !== state.collection && abandoned.collection !== collection) {
        await this.dropReadModel(abandoned.collection);
      }
      // empty, with no checkpoint: whatever an earlier attempt left in it is gone
      await this.dropReadModel(collection);
      await this.documents.ensureCollection(collection, definition.indexedFields);
      // Catch up in pages until the head does not move any more.
      let checkpoint = 0;
      for (;;) {
        const page = await this.events.readAll({ fromPosition: checkpoint, maxCount: this.batchSize });
        if (page.length === 0) break;
        await this.applyBatch(definition, collection, page);
        checkpoint = page[page.length - 1].position;
        if (this.stopped) throw new RebuildStoppedError(name);
        if (lost) throw new RebuildInProgressError(name);
      }
      clearInterval(heartbeat);
      await writes;
      if (lost) throw new RebuildInProgressError(name);
      const old = this.live.get(name);
      await old?.stop();
      this.live.delete(name);
      // the switch: a guarded write, tried again when another write to the state document came in between
      for (let attempt = 1; ; attempt++) {
        const current = await this.documents.get<ProjectionState>(STATE_COLLECTION, name);
        if (!ours(current)) throw new RebuildInProgressError(name);
        const retired = [...(current.data.retired ?? [])];
        if (current.data.collection !== collection) retired.push({ collection: current.data.collection, at: this.now().toISOString() });
        const next: ProjectionState = {
          name,
          version: definition.version,
          generation,
          collection,
          ...(retired.length > 0 ? { retired } : {}),
        };
        try {
          await this.documents.put(STATE_COLLECTION, name, next, current.version);
          break;
        } catch (error) {
          if (!(error instanceof VersionConflictError) || attempt >= 5) throw error;
        }
      }
      this.activeCache.delete(name);
      if (!this.stopped && this.started) this.startLive(definition, collection);
      const status = await this.status(name);
      await this.finishRequests(requests, { status: 'done', collection, checkpoint: status.checkpoint });
      if ((this.options.retireGraceMs ?? 5000) === 0) await this.dropRetired();
      return status;
    } catch (error) {
      clearInterval(heartbeat);
      await writes;
      if (!lost) {
        try {
          const current = await this.documents.get<ProjectionState>(STATE_COLLECTION, name);
          if (ours(current)) {
            const { rebuilding: _dropped, ...rest } = current.data;
            await this.documents.put(STATE_COLLECTION, name, rest, current.version);
            if (collection !== current.data.collection) await this.dropReadModel(collection);
          }
        } catch (cleanup) {
          // the mark stays until its lease expires, then the next runner takes it over
          this.options.logger?.warn({ projection: name, err: cleanup }, 'rebuild mark not cleared after a failure; it will expire');
        }
      }
      if (error instanceof RebuildStoppedError || lost) {
        // not carried out: back in the queue for whoever owns the projections next
        await this.finishRequests(requests, { status: 'pending' });
      } else {
        await this.finishRequests(requests, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
      }
      throw error;
    }
  }

  /** The open requests for a projection, now carried out by this runner (which holds the projection's mark). */
  private async claimRequests(name: string): Promise<RebuildRequest[]> {
    const claimed: RebuildRequest[] = [];
    const page = await this.documents.find<RebuildRequest>(REBUILD_REQUESTS_COLLECTION, {
      where: { projection: name, status: { in: ['pending', 'running'] } },
      limit: 1000,
    });
    for (const doc of page.items) {
      const request: RebuildRequest = { ...doc.data, status: 'running', owner: this.ownerId, startedAt: this.now().toISOString() };
      try {
        await this.documents.put(REBUILD_REQUESTS_COLLECTION, doc.id, request, doc.version);
        claimed.push(request);
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
    return claimed;
  }

  private async finishRequests(requests: RebuildRequest[], outcome: Partial<RebuildRequest>): Promise<void> {
    for (const request of requests) {
      const stored = await this.documents.get<RebuildRequest>(REBUILD_REQUESTS_COLLECTION, request.id);
      if (!stored || stored.data.owner !== this.ownerId || stored.data.status !== 'running') continue;
      const { owner: _owner, startedAt: _startedAt, ...unclaimed } = stored.data;
      const next: RebuildRequest =
        outcome.status === 'pending'
          ? { ...unclaimed, status: 'pending' }
          : { ...stored.data, ...outcome, finishedAt: this.now().toISOString() };
      await this.documents.put(REBUILD_REQUESTS_COLLECTION, request.id, next, stored.version).catch((error) => {
        if (!(error instanceof VersionConflictError)) throw error;
      });
    }
  }

  async status(name: string): Promise<ProjectionStatus> {
    const definition = this.definitions.get(name);
    const state = await this.state(name);
    if (!definition || !state) throw new Error(`Unknown projection ${name}`);
    const [checkpoint, head] = await Promise.all([
      this.documents.getCheckpoint(state.collection).then((c) => c ?? 0),
      this.events.headPosition(),
    ]);
    const live = this.live.get(name);
    let lagSeconds = 0;
    if (head > checkpoint) {
      const [next] = await this.events.readAll({ fromPosition: checkpoint, maxCount: 1 });
      if (next) lagSeconds = Math.max(0, (this.now().getTime() - Date.parse(next.recordedAt)) / 1000);
    }
    const mark = state.rebuilding;
    return {
      name,
      version: state.version,
      collection: state.collection,
      checkpoint,
      head,
      lagPositions: Math.max(0, head - checkpoint),
      lagSeconds,
      rebuilding: Boolean(mark && !this.isStale(mark)),
      ...(mark
        ? { rebuild: { owner: mark.owner, startedAt: mark.startedAt, heartbeatAt: mark.heartbeatAt, stale: this.isStale(mark) } }
        : {}),
      running: Boolean(live) || this.catchingUp.has(name),
      lastError: live?.lastError,
    };
  }

  async statuses(): Promise<ProjectionStatus[]> {
    return Promise.all(this.names().map((n) => this.status(n)));
  }

  /** Resolve when every projection has handled the log up to `position` (tests, read-your-writes). */
  async waitForPosition(position: number, timeoutMs = 10_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const statuses = await Promise.all(
        this.names().map(async (n) => (await this.documents.getCheckpoint(await this.collectionOf(n))) ?? 0),
      );
      if (statuses.every((c) => c >= position)) return;
      if (performance.now() > deadline) throw new Error(`Projections did not reach position ${position} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private startLive(definition: ProjectionDefinition, collection: string): void {
    const live = new LiveProjection(definition, collection, this.events, this.documents, this.batchSize, this.options, (d, c, e) =>
      this.applyBatch(d, c, e),
    );
    this.live.set(definition.name, live);
    void live.start();
  }

  /**
   * Apply events to a collection and move its checkpoint, in one commitBatch. The documents the batch touches are
   * read in one getMany, folded over in memory (an event sees what the earlier events of the batch made of its
   * document), and written once each with the version guard of what was read.
   */
  async applyBatch(definition: ProjectionDefinition, collection: string, batch: StoredEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const wanted = new Set(definition.eventTypes);
    const relevant: { event: ProjectedEvent; ids: string[] }[] = [];
    const touched = new Set<string>();
    for (const stored of batch) {
      if (!wanted.has(stored.type)) continue;
      const event: ProjectedEvent = this.serializer.toProjected(stored);
      const ids = definition.documentIds(event);
      relevant.push({ event, ids });
      for (const id of ids) touched.add(id);
    }
    const loaded = touched.size > 0 ? await this.documents.getMany(collection, [...touched]) : new Map<string, Document>();
    const changed = new Map<string, Record<string, unknown> | null>();
    for (const { event, ids } of relevant) {
      for (const id of ids) {
        const current = changed.has(id) ? changed.get(id)! : (loaded.get(id)?.data ?? null);
        if (current && typeof current[DOC_POSITION] === 'number' && (current[DOC_POSITION] as number) >= event.position) continue;
        const next = definition.evolve(current, event, id);
        changed.set(id, next === null ? null : { ...next, [DOC_POSITION]: event.position });
      }
    }
    const ops: WriteOp[] = [];
    for (const [id, data] of changed) {
      const before = loaded.get(id) ?? null;
      if (data === null) {
        if (before) ops.push({ op: 'delete', collection, id, expectedVersion: before.version });
      } else {
        ops.push({ op: 'put', collection, id, data, expectedVersion: before ? before.version : 'absent' });
      }
    }
    if (relevant.length > 0) {
      // The read model's last change, for readers that cache a whole read model (the catalog): written whenever the
      // batch holds an event of the projection, even one skipped by `_position` (a replay after a crash writes it
      // again), never for batches of unrelated events, which only move the checkpoint.
      const lastChange = relevant[relevant.length - 1].event.position;
      ops.push({ op: 'put', collection: CHANGES_COLLECTION, id: collection, data: { position: lastChange } });
    }
    const position = batch[batch.length - 1].position;
    // false = the stored checkpoint is already at or past this batch: these events were not applied by this call.
    // Never a success: a rebuild would skip them, a live projection would move on from a position it did not reach.
    if (!(await this.documents.commitBatch(ops, { name: collection, position }))) {
      throw new CheckpointRefusedError(collection, position, await this.documents.getCheckpoint(collection));
    }
  }

  /** Drop a read-model collection with its checkpoint and its last-change mark. */
  private async dropReadModel(collection: string): Promise<void> {
    await this.documents.dropCollection(collection);
    await this.documents.delete(CHANGES_COLLECTION, collection);
  }

  private async state(name: string): Promise<ProjectionState | undefined> {
    const doc = await this.documents.get<ProjectionState>(STATE_COLLECTION, name);
    return doc?.data;
  }
}

/** A batch whose checkpoint is not ahead of the stored one (another writer, or a stale subscription, got there). */
export class CheckpointRefusedError extends Error {
  constructor(
    readonly collection: string,
    readonly position: number,
    readonly stored: number | undefined,
  ) {
    super(`Checkpoint of ${collection} refused the batch ending at ${position}: it is already at ${String(stored)}`);
    this.name = 'CheckpointRefusedError';
  }
}

export class RebuildInProgressError extends Error {
  constructor(
    readonly projection: string,
    /** the open request, when the rebuild was requested */
    readonly requestId?: string,
  ) {
    super(`A rebuild of ${projection} is already requested or running`);
    this.name = 'RebuildInProgressError';
  }
}

/** The runner stopped while rebuilding: the work is handed back (its requests go back to pending). */
class RebuildStoppedError extends Error {
  constructor(readonly projection: string) {
    super(`runner stopped during the rebuild of ${projection}`);
    this.name = 'RebuildStoppedError';
  }
}

function collectionName(definition: ProjectionDefinition, generation: number): string {
  return `rm_${definition.name.replace(/-/g, '_')}_v${definition.version}_g${generation}`;
}

/**
 * One projection's live subscription. Events are buffered and committed in batches; the subscription
 * only advances once a batch is committed, so a failure restarts it from the stored checkpoint.
 *
 * Each subscription it opens is tagged with a generation: events from an older one (stopped after a failed
 * batch, but still delivering until its store has cancelled it) are ignored, so they can never make a later
 * batch and move the checkpoint past the events that failed.
 */
class LiveProjection {
  private subscription?: Subscription;
  private buffer: StoredEvent[] = [];
  private generation = 0;
  private flushTimer?: NodeJS.Immediate;
  private flushing: Promise<void> = Promise.resolve();
  private failures = 0;
  private stopped = false;
  /** stop() has begun: nothing starts any more */
  private closing = false;
  private restartTimer?: NodeJS.Timeout;
  lastError?: string;

  constructor(
    private readonly definition: ProjectionDefinition,
    readonly collection: string,
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly batchSize: number,
    private readonly options: ProjectionRunnerOptions,
    private readonly apply: (d: ProjectionDefinition, collection: string, events: StoredEvent[]) => Promise<void>,
  ) {}

  async start(): Promise<void> {
    if (this.stopped || this.closing) return;
    const generation = ++this.generation;
    const checkpoint = await this.documents.getCheckpoint(this.collection);
    if (this.stopped || this.closing || generation !== this.generation) return;
    this.buffer = [];
    const current = () => !this.stopped && generation === this.generation;
    this.subscription = this.events.subscribeToAll({
      fromPosition: checkpoint,
      onEvent: async (event) => {
        if (!current()) return; // a stale subscription: never part of a batch
        this.buffer.push(event);
        if (this.buffer.length >= this.batchSize) await this.flush();
        else this.scheduleFlush();
      },
      onCaughtUp: () => {
        if (current()) this.scheduleFlush();
      },
      onDropped: (error, attempt) =>
        this.options.logger?.warn(
          { projection: this.definition.name, attempt, err: error },
          'projection subscription dropped; resubscribing',
        ),
    });
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setImmediate(() => {
      this.flushTimer = undefined;
      void this.flush();
    });
  }

  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.buffer.length === 0 || this.stopped) return;
      const batch = this.buffer;
      const generation = this.generation;
      this.buffer = [];
      try {
        await this.apply(this.definition, this.collection, batch);
        this.failures = 0;
        this.lastError = undefined;
      } catch (error) {
        if (generation !== this.generation) return; // already restarted
        if (error instanceof CheckpointRefusedError) {
          // another writer is ahead of this subscription: carry on from where it got to (not a failure)
          this.options.logger?.warn(
            { projection: this.definition.name, position: error.position, stored: error.stored },
            'projection checkpoint is ahead of this subscription; restarting from it',
          );
          await this.restart(this.options.backoff?.initialMs ?? 100);
          return;
        }
        this.failures += 1;
        this.lastError = error instanceof Error ? error.message : String(error);
        const conflict = error instanceof VersionConflictError;
        this.options.logger?.error(
          { projection: this.definition.name, err: error, attempt: this.failures, conflict },
          'projection batch failed; restarting from the checkpoint',
        );
        const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 100, maxMs: 10_000 };
        await this.restart(Math.min(maxMs, initialMs * 2 ** Math.min(this.failures - 1, 20)));
      }
    });
    return this.flushing;
  }

  private async restart(delay: number): Promise<void> {
    const sub = this.subscription;
    this.subscription = undefined;
    this.generation += 1; // whatever the old subscription still delivers is ignored from now on
    this.buffer = [];
    // Not awaited: we may be inside the subscription's own handler.
    void sub?.stop();
    this.restartTimer = setTimeout(() => void this.start(), delay);
  }

  async stop(): Promise<void> {
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    const sub = this.subscription;
    this.subscription = undefined;
    // the subscription's handler may be waiting on a batch: let that batch (and what is buffered) commit first
    await sub?.stop();
    this.generation += 1;
    await this.flush();
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
  }
}
