/**
 * EventStore adapter for EventStoreDB (server runtime), over the official gRPC client @eventstore/db-client v6.
 *
 * Positions. EventStoreDB addresses an event in `$all` by a `{ commit, prepare }` pair of bigints (byte offsets in
 * its transaction log). Events written by normal appends (no legacy explicit transactions) carry commit === prepare,
 * and commit positions strictly increase in commit order, so the commit position alone identifies an event in `$all`
 * (an assumption about the server, checked in CI by the contract suite's position tests). The port exposes it as a
 * plain `number`:
 * - bigint -> number goes through `toPosition`, which throws when the value exceeds Number.MAX_SAFE_INTEGER
 *   (2^53 - 1 bytes, about 9 PB of log, far beyond any realistic store; failing loudly beats silently losing precision);
 * - number -> client position is `{ commit: n, prepare: n }` (see `toClientPosition`).
 *
 * Exclusivity. The port's `fromPosition` is exclusive (a checkpoint is the last handled event). The client's
 * `readAll({ fromPosition })` is inclusive, so the event sitting exactly at that position is skipped here;
 * `subscribeToAll` is expected to start after the position; events at or before the last handled position are
 * skipped anyway, so the subscription is exclusive whichever way the server counts.
 *
 * System events (types starting with '$', e.g. `$metadata`, `$>` links, `$statsCollected`) and events in system
 * streams (names starting with '$') are never returned: the application only knows its own events.
 */
import {
  type AllStreamSubscription,
  ANY,
  type AppendExpectedRevision,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  eventTypeFilter,
  excludeSystemEvents,
  type Filter,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  type Position,
  type ReadPosition,
  type RecordedEvent,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';

import {
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadFamilyOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type Subscription,
  type SubscriptionOptions,
  WrongExpectedRevisionError,
} from './event-store.port';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** events per readAll call to the server (system events included) */
const READ_ALL_PAGE = 512;

/** bigint commit position (or revision) -> number, refusing to lose precision. */
function toPosition(value: bigint, what = 'position'): number {
  if (value < 0n || value > MAX_SAFE) {
    throw new Error(`EventStoreDB ${what} ${value.toString()} does not fit in a JavaScript number (max 2^53 - 1)`);
  }
  return Number(value);
}

/** number (commit position of an event) -> client position; for a normal append commit === prepare. */
function toClientPosition(position: number): Position {
  const p = BigInt(position);
  return { commit: p, prepare: p };
}

function toExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'any':
      return ANY;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) throw new Error(`Invalid expected revision ${String(expected)}`);
      return BigInt(expected);
  }
}

function isSystem(event: RecordedEvent): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

function asRecord(value: unknown): Record<string, unknown> {
  if (value instanceof Uint8Array) {
    // binary payload (not written by this application): try JSON, otherwise expose nothing
    if (value.length === 0) return {};
    try {
      return asRecord(JSON.parse(Buffer.from(value).toString('utf8')));
    } catch {
      return {};
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return {};
}

/**
 * Converts a recorded event; `position` must be known (always the case on `$all`, and on stream reads from
 * servers >= 22.6, which is what this adapter supports).
 */
function toStoredEvent(event: RecordedEvent): StoredEvent {
  if (!event.position) {
    throw new Error(`EventStoreDB returned event ${event.id} without a position (server older than 22.6?)`);
  }
  return {
    id: event.id,
    streamId: event.streamId,
    revision: toPosition(event.revision, 'revision'),
    position: toPosition(event.position.commit),
    type: event.type,
    data: asRecord(event.data),
    metadata: asRecord(event.metadata),
    recordedAt: event.created.toISOString(),
  };
}

function sleep(ms: number, signal: { cancel?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.cancel = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

/** The part of the client this adapter uses (tests hand in a double shaped like it). */
export type EsdbClient = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'> &
  Partial<Pick<EventStoreDBClient, 'createProjection' | 'updateProjection'>>;

/**
 * The family index of the server runtime (EventStore.readFamily): a continuous user projection that links every
 * application event naming a family (`data.familyId`, else `metadata.familyId`, as `familyIdOf` in the port) into
 * that family's link stream `familyindex-<familyId>`. Reading the link stream with `resolveLinkTos` returns the
 * original events in `$all` order (a projection processes `$all` in order), so the read costs the family's
 * events, not a scan of the log. It needs the server's projection subsystem (`--run-projections=all`, or
 * `EVENTSTORE_RUN_PROJECTIONS=All` as in docker-compose.yml) and `emitEnabled`; the adapter creates it on first
 * use (`ensureFamilyIndex`), and updates its query when an existing one differs.
 * Links are written by the projection shortly after the append (asynchronously): a read right after a write
 * may miss its newest events; the auditors' reads this serves tolerate that.
 */
export const FAMILY_INDEX_PROJECTION = 'portail-family-index';
export const FAMILY_INDEX_STREAM_PREFIX = 'familyindex-';
export const FAMILY_INDEX_QUERY = `fromAll().when({
  $any: function (state, event) {
    if (!event.streamId || event.streamId.indexOf('$') === 0 || !event.eventType || event.eventType.indexOf('$') === 0) return state;
    var data = event.body || (event.bodyRaw ? JSON.parse(event.bodyRaw) : null);
    var metadata = event.metadata || (event.metadataRaw ? JSON.parse(event.metadataRaw) : null);
    var familyId = (data && typeof data.familyId === 'string' && data.familyId) || (metadata && typeof metadata.familyId === 'string' && metadata.familyId);
    if (familyId) linkTo('${FAMILY_INDEX_STREAM_PREFIX}' + familyId, event);
    return state;
  }
});`;

export interface EsdbEventStoreOptions {
  /** readiness ping: longest wait for the server's answer (default 2000 ms) */
  pingTimeoutMs?: number;
}

export class EsdbEventStore implements EventStore {
  private readonly client: EsdbClient;
  private readonly subscriptions = new Set<Subscription>();
  private readonly pingTimeoutMs: number;

  /** @param connection e.g. `esdb://localhost:2113?tls=false`, or a client (tests) */
  constructor(connection: string | EsdbClient, options: EsdbEventStoreOptions = {}) {
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 2000;
  }

  async appendToStream(streamId: string, events: EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    // jsonEvent with the caller's id: EventStoreDB's idempotency check recognises a batch of already written ids
    // (retried with the same expected revision) and acknowledges it without writing the events again.
    const data = events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }));
    let result;
    try {
      result = await this.client.appendToStream(streamId, data, { expectedRevision: toExpectedRevision(expectedRevision) });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion === NO_STREAM ? 'no_stream' : toPosition(error.actualVersion, 'revision');
        throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
      }
      throw error;
    }
    const nextExpectedRevision = toPosition(result.nextExpectedRevision, 'revision');
    // The append response carries the position of the write. For a single fresh event that is the event's own
    // position. For several events, or an idempotent retry (the server then reports no position), the position of
    // the last event of the batch is read back by its revision: exact, whatever the server reports.
    if (events.length === 1 && result.position) {
      return { nextExpectedRevision, position: toPosition(result.position.commit) };
    }
    const [last] = await this.readStream(streamId, { fromRevision: nextExpectedRevision, maxCount: 1 });
    if (!last) throw new Error(`Appended to ${streamId} but cannot read back revision ${nextExpectedRevision}`);
    return { nextExpectedRevision, position: last.position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const direction = options.direction ?? 'forwards';
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const read = this.client.readStream(streamId, {
      direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
      fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : direction === 'forwards' ? START : END,
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
    });
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of read) {
        if (resolved.event) events.push(toStoredEvent(resolved.event));
      }
    } catch (error) {
      // an unknown stream is an empty stream for the port
      if (error instanceof StreamNotFoundError || (error as { type?: unknown }).type === ErrorType.STREAM_NOT_FOUND) return [];
      throw error;
    }
    return events;
  }

  /** Through the family index projection (FAMILY_INDEX_QUERY): the family's link stream, links resolved. */
  async readFamily(familyId: string, options: ReadFamilyOptions = {}): Promise<StoredEvent[]> {
    await this.ensureFamilyIndex();
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (maxCount <= 0) return [];
    const read = this.client.readStream(`${FAMILY_INDEX_STREAM_PREFIX}${familyId}`, {
      direction: FORWARDS,
      fromRevision: START,
      resolveLinkTos: true,
      maxCount: Number.MAX_SAFE_INTEGER,
    });
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of read) {
        // a link whose event was deleted (scavenged) resolves to nothing
        const event = resolved.event;
        if (!event || isSystem(event)) continue;
        const stored = toStoredEvent(event);
        if (options.fromPosition !== undefined && stored.position <= options.fromPosition) continue;
        events.push(stored);
        if (events.length >= maxCount) break;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError || (error as { type?: unknown }).type === ErrorType.STREAM_NOT_FOUND) return [];
      throw error;
    } finally {
      await read.cancel();
    }
    return events;
  }

  private familyIndexReady: Promise<void> | undefined;

  /** Creates the family index projection once per process (an existing one gets the current query). */
  ensureFamilyIndex(): Promise<void> {
    this.familyIndexReady ??= (async () => {
      const { createProjection, updateProjection } = this.client;
      if (!createProjection || !updateProjection) throw new Error('This EventStoreDB client cannot manage projections (family index)');
      try {
        await createProjection.call(this.client, FAMILY_INDEX_PROJECTION, FAMILY_INDEX_QUERY, {
          emitEnabled: true,
          trackEmittedStreams: false,
        });
      } catch (error) {
        if (!/exist|conflict/i.test(String((error as Error).message))) throw error;
        await updateProjection.call(this.client, FAMILY_INDEX_PROJECTION, FAMILY_INDEX_QUERY, { emitEnabled: true });
      }
    })().catch((error: unknown) => {
      this.familyIndexReady = undefined;
      throw error;
    });
    return this.familyIndexReady;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (maxCount <= 0) return [];
    // readAll has no server-side filter in this client version, so system events are filtered here and the
    // server's maxCount cannot be the caller's. $all is read in pages (each call stays short, far from the gRPC
    // deadline), each page starting at the last position seen (inclusive on the client, hence skipped).
    const events: StoredEvent[] = [];
    let after = options.fromPosition;
    for (;;) {
      const read = this.client.readAll({
        direction: FORWARDS,
        fromPosition: after !== undefined ? toClientPosition(after) : START,
        maxCount: READ_ALL_PAGE,
      });
      let received = 0;
      let last: number | undefined;
      try {
        for await (const resolved of read) {
          received += 1;
          const event = resolved.event;
          if (!event) continue;
          const position = toPosition(event.position.commit);
          // fromPosition is inclusive on the client, exclusive on the port
          if (after !== undefined && position <= after) continue;
          last = position;
          if (isSystem(event)) continue;
          events.push(toStoredEvent(event));
          if (events.length >= maxCount) return events;
        }
      } finally {
        await read.cancel();
      }
      // a short page is the end of $all
      if (received < READ_ALL_PAGE || last === undefined) return events;
      after = last;
    }
  }

  subscribeToAll(options: SubscriptionOptions): Subscription {
    const subscription = new EsdbCatchUpSubscription(this.client, options, () => this.headPosition());
    this.subscriptions.add(subscription);
    subscription.done.finally(() => this.subscriptions.delete(subscription)).catch(() => undefined);
    return subscription;
  }

  async headPosition(): Promise<number> {
    // $all backwards from the end; the first non-system event is the head (the server also writes its own
    // events, e.g. `$statsCollected`, which must not move the application's head)
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END });
    try {
      for await (const resolved of read) {
        const event = resolved.event;
        if (event && !isSystem(event)) return toPosition(event.position.commit);
      }
    } finally {
      await read.cancel();
    }
    return 0;
  }

  /**
   * One event from the end of $all: cheap, works on an empty store (the server always has system events) and fails
   * when the server cannot be reached.
   *
   * A real deadline, enforced here: the client's streaming reads ignore the `deadline` option (readAll passes
   * `deadline: Infinity` as a call option, which wins over the caller's, see @eventstore/db-client
   * dist/streams/readAll.js and Client#callArguments), so a half-open connection would hang the probe forever.
   * The read is raced against a timer; on timeout it is cancelled (not awaited: cancel() itself waits for the
   * gRPC call to exist) and the ping rejects.
   */
  async ping(): Promise<void> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    read.on('error', () => undefined); // the iterator below reports errors; a late one after a timeout is dropped
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`EventStoreDB did not answer within ${this.pingTimeoutMs} ms`)), this.pingTimeoutMs);
    });
    const probe = (async () => {
      for await (const _ of read) break;
    })();
    try {
      await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
      probe.catch(() => undefined);
      void read.cancel().catch(() => undefined);
      if (!read.destroyed) read.destroy();
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }
}

/**
 * Catch-up subscription to `$all` that survives drops: it resubscribes (with exponential backoff) from the last
 * handled position whenever the gRPC stream errors or ends, or a handler throws.
 */
class EsdbCatchUpSubscription implements Subscription {
  private position: number | undefined;
  /** false until the first event is handled: lastPosition is undefined until then, even with a fromPosition */
  private delivered = false;
  private handledSinceSubscribe = false;
  private stopped = false;
  /** incremented by every subscription lifetime and by stop(): a lifetime delivers only while it is the current one */
  private generation = 0;
  private current: AllStreamSubscription | undefined;
  private readonly backoff: { cancel?: () => void } = {};
  readonly done: Promise<void>;

  constructor(
    private readonly client: EsdbClient,
    private readonly options: SubscriptionOptions,
    private readonly headPosition: () => Promise<number>,
  ) {
    this.position = options.fromPosition;
    this.done = this.run();
  }

  get lastPosition(): number | undefined {
    // the port: position of the last event delivered and handled (undefined before the first)
    return this.delivered ? this.position : undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generation += 1;
    this.backoff.cancel?.();
    const current = this.current;
    if (current) {
      await current.unsubscribe().catch(() => undefined);
      // a cancelled gRPC stream does not always end the Readable: destroy it so the read loop exits (it still
      // lets a running handler finish first, since the loop only checks the stream between events)
      current.destroy();
    }
    await this.done;
  }

  private async run(): Promise<void> {
    const initialMs = this.options.backoff?.initialMs ?? 100;
    const maxMs = this.options.backoff?.maxMs ?? 5000;
    let attempt = 0;
    while (!this.stopped) {
      let failure: unknown;
      this.handledSinceSubscribe = false;
      try {
        await this.consume();
        failure = new Error('EventStoreDB subscription ended');
      } catch (error) {
        failure = error;
      }
      if (this.stopped) return;
      // progress was made since the last drop: start the backoff over
      if (this.handledSinceSubscribe) attempt = 0;
      attempt += 1;
      try {
        this.options.onDropped?.(failure, attempt);
      } catch {
        // a failing observer must not end the resubscription loop
      }
      if (this.stopped) return;
      await sleep(Math.min(maxMs, initialMs * 2 ** (attempt - 1)), this.backoff);
    }
  }

  /**
   * One subscription lifetime: returns when the stream ends or the subscription is stopped, throws on a stream
   * error or a failing handler (the failed event is not counted as handled and is delivered again on resubscribe).
   */
  private async consume(): Promise<void> {
    const generation = ++this.generation;
    const from = this.position;
    const prefixes = this.options.eventTypes?.filter((t) => t.length > 0);
    const filter: Filter = prefixes && prefixes.length > 0 ? eventTypeFilter({ prefixes }) : excludeSystemEvents();

    // Caught-up detection, two ways, whichever comes first:
    // 1. servers >= 23.10 send a CaughtUp message, surfaced by the client as a 'caughtUp' event (see
    //    CatchupSubscription in @eventstore/db-client/dist/types/index.d.ts). It is emitted when the client's
    //    Transform processes the message, possibly while earlier events still wait in the Readable buffer, so the
    //    number of buffered events at that moment is counted down before onCaughtUp fires;
    // 2. fallback for older servers: the head position read just before subscribing; once an event at or beyond it
    //    has been handled (or when there was nothing to replay) everything stored at that time has been delivered.
    const head = await this.headPosition();
    if (this.stopped) return;
    let caughtUp = false;
    let handling = false;
    let bufferedBeforeLive: number | undefined;
    // Unsubscribing cancels the gRPC call only in a later setImmediate (see the client's Subscription#unsubscribe),
    // so events already received, or arriving meanwhile, still come out of the stream after stop(): none of them
    // may reach onEvent. A lifetime that is no longer the current one (stopped, or replaced) delivers nothing.
    const current = (): boolean => !this.stopped && generation === this.generation;
    const fireCaughtUp = (): void => {
      if (caughtUp || !current()) return;
      caughtUp = true;
      this.options.onCaughtUp?.();
    };

    const subscription = this.client.subscribeToAll({
      fromPosition: from !== undefined ? toClientPosition(from) : (START as ReadPosition),
      filter,
    });
    this.current = subscription;
    // errors also reach the read loop below (through the async iterator); this listener only makes sure a late
    // error after the loop has exited is not an unhandled 'error' event
    subscription.on('error', () => undefined);
    subscription.on('caughtUp', () => {
      bufferedBeforeLive = subscription.readableLength;
      if (bufferedBeforeLive === 0 && !handling) fireCaughtUp();
    });
    if (head === 0 || (from !== undefined && from >= head)) fireCaughtUp();

    try {
      for await (const resolved of subscription) {
        if (!current()) break;
        if (bufferedBeforeLive !== undefined && bufferedBeforeLive > 0) bufferedBeforeLive -= 1;
        const event = resolved.event;
        if (event && !isSystem(event)) {
          const position = toPosition(event.position.commit);
          const wanted = !prefixes || prefixes.length === 0 || prefixes.some((p) => event.type.startsWith(p));
          if ((this.position === undefined || position > this.position) && wanted) {
            handling = true;
            try {
              await this.options.onEvent(toStoredEvent(event));
            } finally {
              handling = false;
            }
            this.position = position;
            this.delivered = true;
            this.handledSinceSubscribe = true;
          }
          if (position >= head) fireCaughtUp();
        }
        if (!current()) break;
        if (bufferedBeforeLive === 0) fireCaughtUp();
      }
    } finally {
      this.current = undefined;
      await subscription.unsubscribe().catch(() => undefined);
      if (!subscription.destroyed) subscription.destroy();
    }
  }
}
