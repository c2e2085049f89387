/**
 * EventStore port: the only way the application writes and reads events.
 * Adapters: SQLite (embedded, better-sqlite3) and EventStoreDB (@eventstore/db-client).
 * Every adapter passes the same contract suite (test/contract/event-store.contract.ts).
 *
 * Conventions (same as EventStoreDB so both adapters behave alike):
 * - stream revisions start at 0 (the first event of a stream has revision 0);
 * - global positions are strictly increasing numbers in commit order; they are opaque (not dense):
 *   compare them, never compute with them. `fromPosition` is exclusive (a checkpoint is the position of
 *   the last event already handled);
 * - an append is atomic: all its events are stored, contiguously, or none.
 */

/** Expected revision for an append: no stream yet, any state, or the exact revision of the last event. */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | number;

/** An event as the application hands it to the store (already serialized by the EventSerializer). */
export interface EventToAppend {
  /** UUID. Deterministic when a retry could re-send the same event: appending known ids twice stores them once. */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** An event read back from the store. */
export interface StoredEvent {
  id: string;
  streamId: string;
  /** revision of this event in its stream (0-based) */
  revision: number;
  /** global position in commit order (opaque, increasing) */
  position: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** ISO instant at which the store committed the event */
  recordedAt: string;
}

export interface AppendResult {
  /** revision of the last event of the stream after the append */
  nextExpectedRevision: number;
  /** global position of the last appended event */
  position: number;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** inclusive; default: start (forwards) or end (backwards) */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** exclusive: events strictly after this position; default: from the beginning */
  fromPosition?: number;
  maxCount?: number;
}

/**
 * Reading one family's events across all its streams (record, planning, allocation decisions about its requests,
 * accounts, access log…): the events whose `data.familyId`, or else `metadata.familyId`, names the family.
 * Adapters index this (SQLite: an indexed family column; EventStoreDB: a by-family link stream kept by a
 * server projection), so the read costs the family's events, never a scan of the whole log.
 */
export interface ReadFamilyOptions {
  /** exclusive: events strictly after this global position (a cursor); default: from the beginning */
  fromPosition?: number;
  maxCount?: number;
}

/** The family an event concerns, as the stores index it: `data.familyId`, else `metadata.familyId`. */
export function familyIdOf(event: { data: Record<string, unknown>; metadata: Record<string, unknown> }): string | undefined {
  const fromData = event.data?.familyId;
  if (typeof fromData === 'string' && fromData) return fromData;
  const fromMetadata = event.metadata?.familyId;
  return typeof fromMetadata === 'string' && fromMetadata ? fromMetadata : undefined;
}

export interface SubscriptionOptions {
  /** exclusive checkpoint; undefined = from the very beginning */
  fromPosition?: number;
  /** called with each event in commit order; the next event is not delivered before the promise resolves */
  onEvent: (event: StoredEvent) => Promise<void>;
  /** called when the subscription has delivered everything stored at the time and is now live */
  onCaughtUp?: () => void;
  /**
   * called when the subscription dropped and will resubscribe (after a backoff) from its last delivered position.
   * `error` is what onEvent threw (as is) or the read failure; `attempt` counts consecutive drops: 1, 2, 3…, back to 1
   * once an event has been handled or the subscription has caught up again. The backoff before resubscribing is
   * min(maxMs, initialMs * 2^(attempt-1)).
   */
  onDropped?: (error: unknown, attempt: number) => void;
  /** backoff for resubscription: initial and maximum delay in ms (defaults 100 / 5000) */
  backoff?: { initialMs?: number; maxMs?: number };
  /** optional filter on event type prefixes (delivering fewer events is an optimisation only) */
  eventTypes?: string[];
}

export interface Subscription {
  /**
   * stop delivering: no onEvent call starts once stop() has been called; resolves once no handler call is running.
   * It may be called from inside onEvent, but not awaited there (that handler call is what it waits for).
   */
  stop(): Promise<void>;
  /** position of the last event delivered and handled (undefined before the first) */
  readonly lastPosition: number | undefined;
}

export interface EventStore {
  appendToStream(streamId: string, events: EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream; an unknown stream reads as an empty array. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** Events of all streams in commit order. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** One family's events across all its streams, in commit order (see ReadFamilyOptions). */
  readFamily(familyId: string, options?: ReadFamilyOptions): Promise<StoredEvent[]>;
  /** Catch-up subscription to all streams: replays from the checkpoint, then continues live, resubscribing with backoff when it drops. */
  subscribeToAll(options: SubscriptionOptions): Subscription;
  /** Position of the last committed event (0 when the store is empty). */
  headPosition(): Promise<number>;
  /** Cheap reachability check for readiness probes; throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown by appendToStream when the expected revision does not match the stream. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** actual revision of the last event, or 'no_stream' */
    readonly actual: number | 'no_stream',
  ) {
    super(`Wrong expected revision on ${streamId}: expected ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}
