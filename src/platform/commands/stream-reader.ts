import type { CommandMeta, CommandTarget } from '../domain/command-target';
import type { DomainEvent } from '../domain/decider';
import type { EventStore, StoredEvent } from '../event-store/event-store.port';
import type { EventSerializer } from '../events/event-serializer';
import type { FoldedStreams } from './folded-streams';

/** A stream replayed up to an instant: what an auditor sees. */
export interface Replay<E, S> {
  /** the stored events replayed, in stream order */
  stored: StoredEvent[];
  events: E[];
  state: S;
  /** revision of the last event replayed (-1: none) */
  revision: number;
}

/**
 * Reads the current state of a stream through its command target, from the same folded states the command
 * executor keeps (a read catches up from the kept revision; it never folds the whole stream again), and
 * replays a stream up to an instant for auditors. Nobody else folds a stream.
 */
export class StreamReader {
  constructor(
    private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly streams: FoldedStreams,
  ) {}

  /** The state of the stream now (a copy of its own), and its revision (-1: the stream does not exist). */
  async state<K, C extends CommandMeta, E extends DomainEvent, S, F extends PropertyKey>(
    target: CommandTarget<K, C, E, S, F>,
    key: K,
  ): Promise<{ state: S; revision: number }> {
    const streamId = target.streamId(key);
    const source = { streamId, decider: target.decider, prelude: target.prelude?.(key), snapshotVersion: target.snapshotVersion };
    return this.streams.exclusive(streamId, async () => {
      const folded = await this.streams.load<E, S>(source);
      return { state: structuredClone(folded.state), revision: folded.revision };
    });
  }

  /** The stream replayed from its start up to `until` (an ISO instant, inclusive, on the events' commit time). */
  async replay<K, C extends CommandMeta, E extends DomainEvent, S, F extends PropertyKey>(
    target: CommandTarget<K, C, E, S, F>,
    key: K,
    until?: string,
  ): Promise<Replay<E, S>> {
    const limit = until === undefined ? Number.POSITIVE_INFINITY : Date.parse(until);
    const stored = (await this.store.readStream(target.streamId(key))).filter((e) => Date.parse(e.recordedAt) <= limit);
    const events = stored.map((e) => this.serializer.deserialize<E>(e));
    const state = events.reduce((s, e) => target.decider.evolve(s, e), target.decider.initialState());
    return { stored, events, state, revision: stored.length > 0 ? stored[stored.length - 1].revision : -1 };
  }
}
