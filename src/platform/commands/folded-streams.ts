import type { Decider, DomainEvent } from '../domain/decider';
import type { EventStore, StoredEvent } from '../event-store/event-store.port';
import type { EventSerializer } from '../events/event-serializer';

/** Events appended under one idempotency key, and where. */
export interface KeyedAppend {
  events: StoredEvent[];
  position: number;
}

/** A stream's state folded up to a revision, and what its idempotency keys produced. */
export interface Folded<S> {
  state: S;
  /** revision of the last event folded (-1: the stream does not exist) */
  revision: number;
  /** events appended under an idempotency key, by `userId|key` */
  byKey: Map<string, KeyedAppend>;
}

type Kept = Folded<unknown> & { decider: unknown };

/**
 * The one place a stream is read and folded into a decider's state (the command executor and every reader
 * of current state use it; nobody folds a stream by hand).
 *
 * Folded states are kept (per stream and decider, the most recently used ones): the next read of that
 * stream reads only the events appended since, by this process or any other, so a stream that grows all
 * morning (an activity-day's allocation) is not read and folded whole at every request. Deciders are pure,
 * so a kept state is never changed by the code that reads it.
 */
export class FoldedStreams {
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly capacity = 5000,
  ) {}

  /** The state of a stream now, read from where the kept state stopped. */
  async load<E extends DomainEvent, S>(
    streamId: string,
    decider: Pick<Decider<never, E, S>, 'initialState' | 'evolve'>,
  ): Promise<Folded<S>> {
    const kept = this.kept.get(streamId);
    const base: Folded<S> =
      kept && kept.decider === decider ? (kept as Folded<S>) : { state: decider.initialState(), revision: -1, byKey: new Map() };
    const fresh = await this.store.readStream(streamId, base.revision >= 0 ? { fromRevision: base.revision + 1 } : undefined);
    if (fresh.length === 0 && kept && kept.decider === decider) {
      this.touch(streamId, kept);
      return base;
    }
    let state = base.state;
    const byKey = new Map(base.byKey);
    for (const stored of fresh) {
      state = decider.evolve(state, this.serializer.deserialize<E>(stored));
      const key = stored.metadata?.idempotencyKey;
      if (typeof key === 'string') {
        const id = `${String(stored.metadata?.userId)}|${key}`;
        const entry = byKey.get(id) ?? { events: [], position: stored.position };
        byKey.set(id, { events: [...entry.events, stored], position: stored.position });
      }
    }
    const revision = fresh.length > 0 ? fresh[fresh.length - 1].revision : base.revision;
    const folded = { state, revision, byKey };
    this.touch(streamId, { ...folded, decider });
    return folded;
  }

  /** After a successful append the new state is already folded: keep it for the next command on the stream. */
  keep<S>(streamId: string, decider: unknown, folded: Folded<S>): void {
    this.touch(streamId, { ...folded, decider });
  }

  private touch(streamId: string, folded: Kept): void {
    this.kept.delete(streamId);
    this.kept.set(streamId, folded);
    if (this.kept.size > this.capacity) {
      const oldest = this.kept.keys().next().value;
      if (oldest !== undefined) this.kept.delete(oldest);
    }
  }
}
