import type { DocumentStore } from '../document-store/document-store.port';
import type { Decider, DomainEvent } from '../domain/decider';
import type { EventStore, StoredEvent } from '../event-store/event-store.port';
import type { EventSerializer } from '../events/event-serializer';

/** Events appended under one idempotency key, and where. */
export interface KeyedAppend {
  events: StoredEvent[];
  position: number;
}

/** A stream's state folded up to a revision, and what its recent idempotency keys produced. */
export interface Folded<S> {
  state: S;
  /** revision of the last event folded (-1: the stream does not exist) */
  revision: number;
  /** events appended under an idempotency key since the state was loaded, by `userId|key` (the most recent ones) */
  byKey: Map<string, KeyedAppend>;
}

/**
 * Where a state comes from: the stream, its decider, and optionally
 * - a closed stream folded before it (`prelude`: a previous layout of the same data, e.g. a family's planning
 *   before it was split by school year), filtered to the events that belong to this stream's state;
 * - a snapshot schema version: the state is then kept in a snapshot beside the stream every
 *   `snapshotEvery` events, and a cold read starts from it (a snapshot is a cache: a snapshot of another
 *   version, or one whose last event is not in the stream any more, is ignored).
 */
export interface StreamSource<E extends DomainEvent, S> {
  streamId: string;
  decider: Pick<Decider<never, E, S>, 'initialState' | 'evolve' | 'evolveInPlace'>;
  prelude?: { streamId: string; includes(event: StoredEvent): boolean };
  snapshotVersion?: number;
}

export interface FoldedStreamsOptions {
  /** how many folded states to keep (most recently used); default 5000 */
  capacity?: number;
  /** where snapshots are kept (a collection of the document store); none: never snapshot */
  snapshots?: DocumentStore;
  /** events between two snapshots of a stream; default 500 */
  snapshotEvery?: number;
  onSnapshotError?: (streamId: string, error: unknown) => void;
}

/** The idempotency index keeps this many keys per stream (older retries are answered by the stores' own idempotency). */
const KEYS_KEPT = 1000;
export const SNAPSHOT_COLLECTION = 'stream_snapshots';

interface Kept<S> extends Folded<S> {
  decider: unknown;
  /** revision of the last snapshot written or read (-1: none) */
  snapshotRevision: number;
}

interface SnapshotDocument {
  version: number;
  revision: number;
  /** id of the event at `revision`: a snapshot whose event is not in the stream any more is stale */
  eventId: string;
  state: unknown;
}

/**
 * The one place a stream is read and folded into a decider's state: the command executor and every reader of
 * current state use it; nobody folds a stream by hand.
 *
 * Folded states are kept (per stream and decider, the most recently used ones): the next read of that stream
 * reads only the events appended since, by this process or any other. The state is owned here and evolved
 * in place (deciders' `evolve` may update the state it is given and return it), so folding n events costs
 * O(n) whatever the state holds. Every use of a kept state runs under the stream's lock (`exclusive`): one
 * command at a time per stream in this process, and a catch-up never interleaves with an append's update.
 */
export class FoldedStreams {
  private readonly kept = new Map<string, Kept<unknown>>();
  private readonly locks = new Map<string, Promise<void>>();
  private readonly capacity: number;
  private readonly snapshotEvery: number;

  constructor(
    private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly options: FoldedStreamsOptions = {},
  ) {
    this.capacity = options.capacity ?? 5000;
    this.snapshotEvery = options.snapshotEvery ?? 500;
  }

  /** Runs `work` alone on the stream (in this process): the folded state is not touched by anyone else meanwhile. */
  async exclusive<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(streamId) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.locks.set(streamId, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.locks.get(streamId) === tail) this.locks.delete(streamId);
    }
  }

  /**
   * The state of a stream now (call under `exclusive`): the kept state caught up with the events appended
   * since, or a cold read (snapshot, prelude, stream). The returned object is the kept state itself.
   */
  async load<E extends DomainEvent, S>(source: StreamSource<E, S>): Promise<Folded<S>> {
    const { streamId, decider } = source;
    let entry = this.kept.get(streamId) as Kept<S> | undefined;
    if (!entry || entry.decider !== decider) entry = await this.cold(source);
    const fresh = await this.store.readStream(streamId, { fromRevision: entry.revision + 1 });
    this.fold(entry, decider, fresh);
    this.touch(streamId, entry);
    this.maybeSnapshot(source, entry);
    return entry;
  }

  /** After a successful append (under `exclusive`): fold the appended events into the kept state. */
  appended<E extends DomainEvent, S>(source: StreamSource<E, S>, entry: Folded<S>, events: StoredEvent[], idempotencyKey?: string): void {
    this.fold(entry as Kept<S>, source.decider, events, idempotencyKey);
    this.touch(source.streamId, entry as Kept<S>);
    this.maybeSnapshot(source, entry as Kept<S>);
  }

  /**
   * After a successful batched append (under `exclusive`): the caller already evolved `state` with the
   * events (it decided the batch on it); keep it, with the revision and the idempotency keys of `events`.
   */
  decided<E extends DomainEvent, S>(source: StreamSource<E, S>, entry: Folded<S>, state: S, events: StoredEvent[]): void {
    const kept = entry as Kept<S>;
    kept.state = state;
    for (const stored of events) {
      kept.revision = stored.revision;
      const key = stored.metadata?.idempotencyKey;
      if (typeof key === 'string') this.remember(kept.byKey, `${String(stored.metadata?.userId)}|${key}`, stored);
    }
    this.touch(source.streamId, kept);
    this.maybeSnapshot(source, kept);
  }

  /** Drops the kept state of a stream (call under `exclusive`): the next load reads it again. */
  forget(streamId: string): void {
    this.kept.delete(streamId);
  }

  private fold<E extends DomainEvent, S>(
    entry: Kept<S>,
    decider: StreamSource<E, S>['decider'],
    events: StoredEvent[],
    idempotencyKey?: string,
  ): void {
    for (const stored of events) {
      if (stored.revision <= entry.revision) continue; // already folded
      entry.state = (decider.evolveInPlace ?? decider.evolve)(entry.state, this.serializer.deserialize<E>(stored));
      entry.revision = stored.revision;
      const key = idempotencyKey ?? stored.metadata?.idempotencyKey;
      if (typeof key === 'string') this.remember(entry.byKey, `${String(stored.metadata?.userId)}|${key}`, stored);
    }
  }

  private remember(byKey: Map<string, KeyedAppend>, id: string, stored: StoredEvent): void {
    const entry = byKey.get(id);
    if (entry) entry.events.push(stored);
    else byKey.set(id, { events: [stored], position: stored.position });
    byKey.get(id)!.position = stored.position;
    if (byKey.size > KEYS_KEPT) byKey.delete(byKey.keys().next().value as string);
  }

  /** A state read from nothing: the snapshot if it is valid, else the prelude's events. */
  private async cold<E extends DomainEvent, S>(source: StreamSource<E, S>): Promise<Kept<S>> {
    const { decider } = source;
    const entry: Kept<S> = { state: decider.initialState(), revision: -1, byKey: new Map(), decider, snapshotRevision: -1 };
    const snapshot = await this.snapshotOf(source);
    if (snapshot) {
      entry.state = snapshot.state as S;
      entry.revision = snapshot.revision;
      entry.snapshotRevision = snapshot.revision;
      return entry;
    }
    if (source.prelude) {
      const earlier = (await this.store.readStream(source.prelude.streamId)).filter((e) => source.prelude!.includes(e));
      for (const stored of earlier) entry.state = decider.evolve(entry.state, this.serializer.deserialize<E>(stored));
    }
    return entry;
  }

  private async snapshotOf<E extends DomainEvent, S>(source: StreamSource<E, S>): Promise<SnapshotDocument | undefined> {
    const snapshots = this.options.snapshots;
    if (!snapshots || source.snapshotVersion === undefined) return undefined;
    const document = await snapshots.get<SnapshotDocument>(SNAPSHOT_COLLECTION, source.streamId).catch(() => null);
    if (!document || document.data.version !== source.snapshotVersion) return undefined;
    const [at] = await this.store.readStream(source.streamId, { fromRevision: document.data.revision, maxCount: 1 });
    return at?.id === document.data.eventId ? document.data : undefined;
  }

  private maybeSnapshot<E extends DomainEvent, S>(source: StreamSource<E, S>, entry: Kept<S>): void {
    const snapshots = this.options.snapshots;
    if (!snapshots || source.snapshotVersion === undefined) return;
    if (entry.revision - entry.snapshotRevision < this.snapshotEvery) return;
    const revision = entry.revision;
    entry.snapshotRevision = revision;
    // A copy taken now (the state moves on); written in the background: a snapshot is only a cache.
    const state = JSON.parse(JSON.stringify(entry.state)) as unknown;
    void this.store
      .readStream(source.streamId, { fromRevision: revision, maxCount: 1 })
      .then(([at]) => {
        if (!at) return;
        const data: SnapshotDocument = { version: source.snapshotVersion!, revision, eventId: at.id, state };
        return snapshots.put(SNAPSHOT_COLLECTION, source.streamId, data as unknown as Record<string, unknown>).then(() => undefined);
      })
      .catch((error: unknown) => this.options.onSnapshotError?.(source.streamId, error));
  }

  private touch(streamId: string, entry: Kept<unknown>): void {
    this.kept.delete(streamId);
    this.kept.set(streamId, entry);
    if (this.kept.size > this.capacity) {
      const oldest = this.kept.keys().next().value;
      if (oldest !== undefined) this.kept.delete(oldest);
    }
  }
}
