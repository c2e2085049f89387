import { type Clock, SystemClock } from '../clock/clock';
import type { Document, DocumentStore, WriteOp } from '../document-store/document-store.port';
import { VersionConflictError } from '../document-store/document-store.port';
import type { EventStore, StoredEvent, Subscription } from '../event-store/event-store.port';
import type { EventSerializer } from '../events/event-serializer';
import type { ProjectedEvent, ProjectionDefinition } from './projection';

/** Where a projection's live documents are: kept in the `projection_state` collection. */
interface ProjectionState extends Record<string, unknown> {
  name: string;
  version: number;
  generation: number;
  collection: string;
  /** set while a rebuild fills a new collection */
  rebuilding?: { generation: number; collection: string; startedAt: string };
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
  rebuilding: boolean;
  running: boolean;
  lastError?: string;
}

export interface ProjectionRunnerOptions {
  /** events per read-model transaction while catching up */
  batchSize?: number;
  logger?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** retry delays when a batch fails (ms) */
  backoff?: { initialMs: number; maxMs: number };
  /** for rebuild marks and lag in seconds (default: the system clock) */
  clock?: Clock;
}

const SYSTEM_CLOCK = new SystemClock();
const STATE_COLLECTION = 'projection_state';
const DOC_POSITION = '_position';

/**
 * Runs projections from the event log into the DocumentStore.
 * - one catch-up subscription per projection, from its checkpoint; events are applied in batches and each
 *   batch is committed with the checkpoint (commitBatch), so a crash anywhere replays to the same result;
 * - every document keeps the position of the last event applied to it, so an event seen twice changes nothing;
 * - a rebuild fills a new collection from position zero and takes over once caught up;
 * - a failing batch restarts the subscription from the stored checkpoint with a growing delay, never silently.
 */
export class ProjectionRunner {
  private readonly definitions = new Map<string, ProjectionDefinition>();
  private readonly live = new Map<string, LiveProjection>();
  private readonly activeCache = new Map<string, { collection: string; readAt: number }>();
  private readonly batchSize: number;
  private stopped = false;

  constructor(
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly serializer: EventSerializer,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
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

  /** Prepare state documents and collections; starts a rebuild for any projection whose version changed. */
  async initialize(): Promise<void> {
    await this.documents.ensureCollection(STATE_COLLECTION, []);
    for (const definition of this.definitions.values()) {
      const state = await this.state(definition.name);
      if (!state) {
        const collection = collectionName(definition, 1);
        await this.documents.ensureCollection(collection, definition.indexedFields);
        await this.documents.put(STATE_COLLECTION, definition.name, {
          name: definition.name,
          version: definition.version,
          generation: 1,
          collection,
        } satisfies ProjectionState);
      } else {
        await this.documents.ensureCollection(state.collection, definition.indexedFields);
      }
    }
  }

  /** Start live projection of every registered read model (the process that owns projections calls it). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.initialize();
    for (const definition of this.definitions.values()) {
      const state = (await this.state(definition.name))!;
      if (state.version !== definition.version) {
        // New code for this read model: serve the old collection until the new version has caught up.
        void this.rebuild(definition.name).catch((error) =>
          this.options.logger?.error({ projection: definition.name, err: error }, 'projection rebuild failed'),
        );
        continue;
      }
      this.startLive(definition, state.collection);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.live.values()].map((p) => p.stop()));
    this.live.clear();
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

  /**
   * Rebuild a projection from position zero into a new collection, then switch readers to it and drop the
   * old one. Live projection continues on the old collection until the switch.
   */
  async rebuild(name: string): Promise<ProjectionStatus> {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`Unknown projection ${name}`);
    const state = (await this.state(name))!;
    if (state.rebuilding) throw new RebuildInProgressError(name);
    const generation = state.generation + 1;
    const collection = collectionName(definition, generation);
    await this.documents.dropCollection(collection);
    await this.documents.ensureCollection(collection, definition.indexedFields);
    const marked = await this.documents.get<ProjectionState>(STATE_COLLECTION, name);
    await this.documents.put(
      STATE_COLLECTION,
      name,
      { ...state, rebuilding: { generation, collection, startedAt: this.now().toISOString() } },
      marked!.version,
    );
    try {
      // Catch up in pages until the head does not move any more.
      let checkpoint = 0;
      for (;;) {
        const page = await this.events.readAll({ fromPosition: checkpoint, maxCount: this.batchSize });
        if (page.length === 0) break;
        await this.applyBatch(definition, collection, page);
        checkpoint = page[page.length - 1].position;
        if (this.stopped) throw new Error('runner stopped during rebuild');
      }
      const old = this.live.get(name);
      await old?.stop();
      this.live.delete(name);
      const current = await this.documents.get<ProjectionState>(STATE_COLLECTION, name);
      await this.documents.put(
        STATE_COLLECTION,
        name,
        { name, version: definition.version, generation, collection } satisfies ProjectionState,
        current!.version,
      );
      this.activeCache.delete(name);
      if (!this.stopped) this.startLive(definition, collection);
      if (state.collection !== collection) await this.documents.dropCollection(state.collection);
      return this.status(name);
    } catch (error) {
      const current = await this.documents.get<ProjectionState>(STATE_COLLECTION, name);
      if (current?.data.rebuilding) {
        const { rebuilding: _dropped, ...rest } = current.data;
        await this.documents.put(STATE_COLLECTION, name, rest, current.version);
      }
      throw error;
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
    return {
      name,
      version: state.version,
      collection: state.collection,
      checkpoint,
      head,
      lagPositions: Math.max(0, head - checkpoint),
      lagSeconds,
      rebuilding: Boolean(state.rebuilding),
      running: Boolean(live),
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

  /** Apply events to a collection and move its checkpoint, in one commitBatch. */
  async applyBatch(definition: ProjectionDefinition, collection: string, batch: StoredEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const wanted = new Set(definition.eventTypes);
    const loaded = new Map<string, Document | null>();
    const changed = new Map<string, Record<string, unknown> | null>();
    for (const stored of batch) {
      if (!wanted.has(stored.type)) continue;
      const event: ProjectedEvent = this.serializer.toProjected(stored);
      for (const id of definition.documentIds(event)) {
        if (!loaded.has(id)) loaded.set(id, await this.documents.get(collection, id));
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
    const position = batch[batch.length - 1].position;
    // false = the stored checkpoint is already at or past this batch: these events were not applied by this call.
    // Never a success: a rebuild would skip them, a live projection would move on from a position it did not reach.
    if (!(await this.documents.commitBatch(ops, { name: collection, position }))) {
      throw new CheckpointRefusedError(collection, position, await this.documents.getCheckpoint(collection));
    }
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
  constructor(readonly projection: string) {
    super(`A rebuild of ${projection} is already running`);
  }
}

function collectionName(definition: ProjectionDefinition, generation: number): string {
  return `rm_${definition.name.replace(/-/g, '_')}_v${definition.version}_g${generation}`;
}

/**
 * One projection's live subscription. Events are buffered and committed in batches; the subscription
 * only advances once a batch is committed, so a failure restarts it from the stored checkpoint.
 */
class LiveProjection {
  private subscription?: Subscription;
  private buffer: StoredEvent[] = [];
  private flushTimer?: NodeJS.Immediate;
  private flushing: Promise<void> = Promise.resolve();
  private failures = 0;
  private stopped = false;
  private restartTimer?: NodeJS.Timeout;
  lastError?: string;

  constructor(
    private readonly definition: ProjectionDefinition,
    private readonly collection: string,
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly batchSize: number,
    private readonly options: ProjectionRunnerOptions,
    private readonly apply: (d: ProjectionDefinition, collection: string, events: StoredEvent[]) => Promise<void>,
  ) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const checkpoint = await this.documents.getCheckpoint(this.collection);
    this.buffer = [];
    this.subscription = this.events.subscribeToAll({
      fromPosition: checkpoint,
      onEvent: async (event) => {
        this.buffer.push(event);
        if (this.buffer.length >= this.batchSize) await this.flush();
        else this.scheduleFlush();
      },
      onCaughtUp: () => this.scheduleFlush(),
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
      this.buffer = [];
      try {
        await this.apply(this.definition, this.collection, batch);
        this.failures = 0;
        this.lastError = undefined;
      } catch (error) {
        this.failures += 1;
        this.lastError = error instanceof Error ? error.message : String(error);
        const conflict = error instanceof VersionConflictError;
        this.options.logger?.error(
          { projection: this.definition.name, err: error, attempt: this.failures, conflict },
          'projection batch failed; restarting from the checkpoint',
        );
        await this.restart();
      }
    });
    return this.flushing;
  }

  private async restart(): Promise<void> {
    const sub = this.subscription;
    this.subscription = undefined;
    this.buffer = [];
    // Not awaited: we may be inside the subscription's own handler.
    void sub?.stop();
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 100, maxMs: 10_000 };
    const delay = Math.min(maxMs, initialMs * 2 ** Math.min(this.failures - 1, 20));
    this.restartTimer = setTimeout(() => void this.start(), delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.flushTimer) clearImmediate(this.flushTimer);
    await this.subscription?.stop();
    this.stopped = false;
    await this.flush();
    this.stopped = true;
  }
}
