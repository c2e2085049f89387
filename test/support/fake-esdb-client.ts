import { PassThrough } from 'node:stream';

import type { EsdbClient } from '../../src/platform/event-store/esdb-event-store';

/**
 * A double of @eventstore/db-client's EventStoreDBClient for what EsdbEventStore uses, shaped like the real one:
 * - readAll / subscribeToAll return object-mode streams of `{ event }` (the client's ReadStream / Subscription are
 *   Transforms piped from the gRPC call);
 * - unsubscribe() / cancel() first wait for the gRPC call to exist, then cancel it in a later setImmediate (as the
 *   client does, see dist/streams/utils/Subscription.js): until then, events keep coming out of the stream.
 * `hangReads` makes every readAll a half-open connection: nothing ever arrives, and cancel() never returns
 * (the real one awaits a gRPC call that never gets created).
 */
export class FakeEsdbClient {
  private readonly log: FakeRecordedEvent[] = [];
  private nextPosition = 100n;
  readonly subscriptions: FakeSubscription[] = [];
  hangReads = false;

  /** createProjection / updateProjection calls (name, query, options); `projectionExists` makes create answer a conflict */
  readonly projectionCalls: { call: 'create' | 'update'; name: string; query: string; options: unknown }[] = [];
  projectionExists = false;

  append(streamId: string, type: string, data: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): FakeRecordedEvent {
    const event: FakeRecordedEvent = {
      streamId,
      id: `00000000-0000-4000-8000-${String(this.log.length).padStart(12, '0')}`,
      revision: BigInt(this.log.filter((e) => e.streamId === streamId).length),
      type,
      data,
      metadata,
      isJson: true,
      created: new Date('2026-01-01T00:00:00Z'),
      position: { commit: this.nextPosition, prepare: this.nextPosition },
    };
    this.nextPosition += 100n;
    this.log.push(event);
    return event;
  }

  readAll(options: { direction?: string; maxCount?: number } = {}): FakeReadStream {
    const stream = new PassThrough({ objectMode: true }) as FakeReadStream;
    if (this.hangReads) {
      stream.cancel = () => new Promise<void>(() => undefined);
      return stream;
    }
    const events = options.direction === 'backwards' ? [...this.log].reverse() : [...this.log];
    for (const event of events.slice(0, options.maxCount ?? events.length)) stream.write({ event });
    stream.end();
    stream.cancel = async () => undefined;
    return stream;
  }

  subscribeToAll(): FakeSubscription {
    const stream = new PassThrough({ objectMode: true }) as FakeSubscription;
    for (const event of this.log) stream.write({ event });
    stream.unsubscribe = async () => {
      await Promise.resolve(); // the gRPC call's promise
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          stream.end();
          resolve();
        }),
      );
    };
    this.subscriptions.push(stream);
    return stream;
  }

  /** An event that reaches an open subscription (live). */
  deliver(subscription: FakeSubscription, event: FakeRecordedEvent): void {
    subscription.write({ event });
  }

  async appendToStream(): Promise<never> {
    throw new Error('not used by these tests');
  }

  async createProjection(name: string, query: string, options: unknown): Promise<void> {
    this.projectionCalls.push({ call: 'create', name, query, options });
    if (this.projectionExists) throw new Error(`Conflict: projection ${name} already exists`);
    this.projectionExists = true;
  }

  async updateProjection(name: string, query: string, options: unknown): Promise<void> {
    this.projectionCalls.push({ call: 'update', name, query, options });
  }

  /**
   * Reads a link stream the way the server answers once the last created or updated projection has run: its
   * query (the JavaScript text the adapter sent) is evaluated over the log with `fromAll` and `linkTo`, and the
   * links of `streamId` come back resolved (`{ event, link }`), in log order. Other streams are not used here.
   */
  readStream(streamId: string, options: { resolveLinkTos?: boolean } = {}): FakeReadStream {
    const last = this.projectionCalls[this.projectionCalls.length - 1];
    if (!last) throw new Error('no projection: the link stream does not exist');
    const links = new Map<string, FakeRecordedEvent[]>();
    let handlers: Record<string, (state: unknown, event: unknown) => unknown> = {};
    const fromAll = () => ({ when: (h: typeof handlers) => (handlers = h) });
    const linkTo = (target: string, event: { original: FakeRecordedEvent }) =>
      links.set(target, [...(links.get(target) ?? []), event.original]);
    new Function('fromAll', 'linkTo', last.query)(fromAll, linkTo);
    for (const original of this.log) {
      handlers.$any(
        {},
        { streamId: original.streamId, eventType: original.type, body: original.data, metadata: original.metadata, original },
      );
    }
    const stream = new PassThrough({ objectMode: true }) as FakeReadStream;
    for (const event of links.get(streamId) ?? [])
      stream.write(options.resolveLinkTos ? { event, link: { type: '$>' } } : { event: { type: '$>' } });
    stream.end();
    stream.cancel = async () => undefined;
    return stream;
  }

  async dispose(): Promise<void> {}

  asClient(): EsdbClient {
    return this as unknown as EsdbClient;
  }
}

export interface FakeRecordedEvent {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  isJson: true;
  created: Date;
  position: { commit: bigint; prepare: bigint };
}

export type FakeReadStream = PassThrough & { cancel(): Promise<void> };
export type FakeSubscription = PassThrough & { unsubscribe(): Promise<void> };
