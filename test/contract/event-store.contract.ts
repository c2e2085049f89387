/**
 * Contract suite every EventStore adapter must pass (SQLite, EventStoreDB).
 *
 * The same suite runs against a shared EventStoreDB server that already holds other events (including
 * system events, and events of other test runs). Hence every test:
 * - writes only to fresh streams (`test-<uuid>`);
 * - reads `$all` / subscribes from the head position taken *before* its own appends, and filters what it
 *   reads to its own streams;
 * - never assumes positions start at 0 or are dense (positions are only compared).
 */
import { randomUUID } from 'node:crypto';

import {
  EventStore,
  EventToAppend,
  StoredEvent,
  Subscription,
  SubscriptionOptions,
  WrongExpectedRevisionError,
} from '../../src/platform/event-store/event-store.port';
import { sleep, waitFor } from '../support/wait-for';

export function eventStoreContract(adapterName: string, factory: () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    /** subscriptions opened by the running test, stopped after it even when it fails */
    let subscriptions: Subscription[] = [];

    beforeAll(async () => {
      ({ store, cleanup } = await factory());
    });

    afterEach(async () => {
      await Promise.all(subscriptions.map((s) => s.stop()));
      subscriptions = [];
    });

    afterAll(async () => {
      await cleanup();
    });

    const newStream = (): string => `test-${randomUUID()}`;

    const event = (type = 'TestEvent', data: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): EventToAppend => ({
      id: randomUUID(),
      type,
      data,
      metadata,
    });

    const events = (n: number, type = 'TestEvent'): EventToAppend[] => Array.from({ length: n }, (_, i) => event(type, { i }));

    const subscribe = (options: SubscriptionOptions): Subscription => {
      const subscription = store.subscribeToAll(options);
      subscriptions.push(subscription);
      return subscription;
    };

    /** Reads $all after `fromPosition` page by page until the end, keeping the events of `streams`. */
    async function readAllOf(fromPosition: number, streams: Set<string>): Promise<StoredEvent[]> {
      const found: StoredEvent[] = [];
      let from = fromPosition;
      for (;;) {
        const page = await store.readAll({ fromPosition: from, maxCount: 500 });
        if (page.length === 0) return found;
        for (const e of page) if (streams.has(e.streamId)) found.push(e);
        from = page[page.length - 1].position;
      }
    }

    async function expectWrongRevision(promise: Promise<unknown>, streamId: string, actual: number | 'no_stream'): Promise<void> {
      const error: unknown = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      const wrong = error as WrongExpectedRevisionError;
      expect(wrong.streamId).toBe(streamId);
      expect(wrong.actual).toBe(actual);
    }

    describe('appendToStream', () => {
      it("appends to a new stream with 'no_stream', then with the exact revision", async () => {
        const stream = newStream();
        const first = await store.appendToStream(stream, [event()], 'no_stream');
        expect(first.nextExpectedRevision).toBe(0);

        const second = await store.appendToStream(stream, events(2), 0);
        expect(second.nextExpectedRevision).toBe(2);
        expect(second.position).toBeGreaterThan(first.position);

        const stored = await store.readStream(stream);
        expect(stored.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(stored[2].position).toBe(second.position);
      });

      it('rejects a wrong expected revision with the actual revision, and stores nothing', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(2), 'no_stream');

        await expectWrongRevision(store.appendToStream(stream, [event()], 0), stream, 1);
        await expectWrongRevision(store.appendToStream(stream, [event()], 5), stream, 1);
        await expectWrongRevision(store.appendToStream(stream, [event()], 'no_stream'), stream, 1);

        const missing = newStream();
        await expectWrongRevision(store.appendToStream(missing, [event()], 3), missing, 'no_stream');

        const error = await store.appendToStream(stream, [event()], 0).catch((e: unknown) => e);
        expect((error as WrongExpectedRevisionError).expected).toBe(0);

        expect(await store.readStream(stream)).toHaveLength(2);
        expect(await store.readStream(missing)).toEqual([]);
      });

      it("accepts 'any' in every state and requires an existing stream for 'stream_exists'", async () => {
        const stream = newStream();
        await expectWrongRevision(store.appendToStream(stream, [event()], 'stream_exists'), stream, 'no_stream');

        expect((await store.appendToStream(stream, [event()], 'any')).nextExpectedRevision).toBe(0);
        expect((await store.appendToStream(stream, [event()], 'any')).nextExpectedRevision).toBe(1);
        expect((await store.appendToStream(stream, events(2), 'stream_exists')).nextExpectedRevision).toBe(3);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      });

      it('lets exactly one of two appends racing on the same revision win', async () => {
        const stream = newStream();
        await store.appendToStream(stream, [event()], 'no_stream');

        const a = event('Racer', { who: 'a' });
        const b = event('Racer', { who: 'b' });
        const results = await Promise.allSettled([store.appendToStream(stream, [a], 0), store.appendToStream(stream, [b], 0)]);

        const fulfilled = results.filter((r) => r.status === 'fulfilled');
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect((rejected[0].reason as WrongExpectedRevisionError).actual).toBe(1);

        const stored = await store.readStream(stream);
        expect(stored).toHaveLength(2);
        const winner = results[0].status === 'fulfilled' ? a : b;
        expect(stored[1].id).toBe(winner.id);
      });

      it("lets exactly one of two appends racing to create a stream with 'no_stream' win", async () => {
        const stream = newStream();
        const results = await Promise.allSettled([
          store.appendToStream(stream, [event()], 'no_stream'),
          store.appendToStream(stream, [event()], 'no_stream'),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(rejected?.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('stores a batch with known event ids once when it is appended twice with the same expected revision', async () => {
        const stream = newStream();
        const batch = events(2);

        const first = await store.appendToStream(stream, batch, 'no_stream');
        const retry = await store.appendToStream(stream, batch, 'no_stream');
        expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);

        const next = [event()];
        const third = await store.appendToStream(stream, next, 1);
        const thirdRetry = await store.appendToStream(stream, next, 1);
        expect(thirdRetry.nextExpectedRevision).toBe(third.nextExpectedRevision);

        const stored = await store.readStream(stream);
        expect(stored.map((e) => e.id)).toEqual([...batch, ...next].map((e) => e.id));
      });

      it('rejects a retried batch when only some of its event ids were stored after the expected revision', async () => {
        const stream = newStream();
        const [a, b] = events(2);
        await store.appendToStream(stream, [a], 'no_stream');

        // a is stored at revision 0 but b is not: this is not the same batch, so it is a real conflict
        await expectWrongRevision(store.appendToStream(stream, [a, b], 'no_stream'), stream, 0);
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual([a.id]);
      });

      it('appends a batch atomically and contiguously', async () => {
        const stream = newStream();
        const before = await store.headPosition();
        const batch = events(3);
        const result = await store.appendToStream(stream, batch, 'no_stream');
        expect(result.nextExpectedRevision).toBe(2);

        const stored = await store.readStream(stream);
        expect(stored.map((e) => e.id)).toEqual(batch.map((e) => e.id));
        expect(stored.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(stored[2].position).toBe(result.position);

        // contiguous in $all: nothing else between the first and the last event of the batch
        const all: StoredEvent[] = [];
        let from = before;
        while (!all.some((e) => e.position === result.position)) {
          const page = await store.readAll({ fromPosition: from, maxCount: 500 });
          expect(page.length).toBeGreaterThan(0);
          all.push(...page);
          from = page[page.length - 1].position;
        }
        const start = all.findIndex((e) => e.id === batch[0].id);
        const end = all.findIndex((e) => e.id === batch[2].id);
        expect(all.slice(start, end + 1).map((e) => e.id)).toEqual(batch.map((e) => e.id));

        // a batch that fails stores none of its events
        await expectWrongRevision(store.appendToStream(stream, events(3), 0), stream, 2);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('round-trips data, metadata, type, ids and the commit instant', async () => {
        const stream = newStream();
        const data = {
          text: 'Élève inscrit à la cantine — 食堂 🍽️',
          integer: 42,
          decimal: 12.75,
          negative: -3,
          flag: true,
          off: false,
          nothing: null,
          list: [1, 'two', { three: 3 }],
          nested: { child: { id: 'c-1', birthDate: '2018-05-04' } },
        };
        const metadata = { correlationId: randomUUID(), userId: 'u-1', role: 'parent', schemaVersion: 2 };
        const e = event('ChildRegistered', data, metadata);
        const before = await store.headPosition();
        const t0 = Date.now();
        await store.appendToStream(stream, [e], 'no_stream');

        const [stored] = await store.readStream(stream);
        expect(stored.id).toBe(e.id);
        expect(stored.streamId).toBe(stream);
        expect(stored.type).toBe('ChildRegistered');
        expect(stored.revision).toBe(0);
        expect(stored.data).toEqual(data);
        expect(stored.metadata).toEqual(metadata);
        expect(typeof stored.position).toBe('number');
        // an ISO instant close to now (a few minutes of tolerance for a server clock)
        expect(new Date(stored.recordedAt).toISOString()).toBe(stored.recordedAt);
        expect(Math.abs(Date.parse(stored.recordedAt) - t0)).toBeLessThan(5 * 60_000);

        const [fromAll] = await readAllOf(before, new Set([stream]));
        expect(fromAll).toEqual(stored);
      });
    });

    describe('readStream', () => {
      it('reads forwards and backwards, from a revision, with a maximum count', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(5), 'no_stream');
        const revisions = async (options: Parameters<EventStore['readStream']>[1]): Promise<number[]> =>
          (await store.readStream(stream, options)).map((e) => e.revision);

        expect(await revisions(undefined)).toEqual([0, 1, 2, 3, 4]);
        expect(await revisions({ direction: 'forwards' })).toEqual([0, 1, 2, 3, 4]);
        expect(await revisions({ fromRevision: 2 })).toEqual([2, 3, 4]);
        expect(await revisions({ maxCount: 2 })).toEqual([0, 1]);
        expect(await revisions({ fromRevision: 1, maxCount: 2 })).toEqual([1, 2]);
        expect(await revisions({ fromRevision: 9 })).toEqual([]);

        expect(await revisions({ direction: 'backwards' })).toEqual([4, 3, 2, 1, 0]);
        expect(await revisions({ direction: 'backwards', fromRevision: 2 })).toEqual([2, 1, 0]);
        expect(await revisions({ direction: 'backwards', maxCount: 2 })).toEqual([4, 3]);
        expect(await revisions({ direction: 'backwards', fromRevision: 3, maxCount: 2 })).toEqual([3, 2]);
      });

      it('reads an unknown stream as an empty array', async () => {
        expect(await store.readStream(newStream())).toEqual([]);
        expect(await store.readStream(newStream(), { direction: 'backwards' })).toEqual([]);
      });
    });

    describe('readAll and headPosition', () => {
      it('returns events in commit order across interleaved streams, with increasing positions', async () => {
        const streams = [newStream(), newStream(), newStream()];
        const before = await store.headPosition();
        const appended: { id: string; position: number }[] = [];
        const revisions = new Map<string, number>();
        for (let round = 0; round < 3; round++) {
          for (const stream of [streams[1], streams[0], streams[2]]) {
            const batch = events(round === 1 ? 2 : 1);
            const expected = revisions.get(stream) ?? 'no_stream';
            const result = await store.appendToStream(stream, batch, expected);
            revisions.set(stream, result.nextExpectedRevision);
            for (const e of batch) appended.push({ id: e.id, position: result.position });
          }
        }

        const read = await readAllOf(before, new Set(streams));
        expect(read.map((e) => e.id)).toEqual(appended.map((e) => e.id));
        for (let i = 1; i < read.length; i++) expect(read[i].position).toBeGreaterThan(read[i - 1].position);
        // the position returned by an append is the one of its last event
        const lastOfBatches = appended.filter((e, i) => appended[i + 1]?.position !== e.position);
        for (const { id, position } of lastOfBatches) {
          expect(read.find((e) => e.id === id)?.position).toBe(position);
        }
        expect(read.every((e) => e.position > before)).toBe(true);
      });

      it('reads from an exclusive position with a maximum count', async () => {
        const stream = newStream();
        const before = await store.headPosition();
        const batch = events(4);
        await store.appendToStream(stream, batch, 'no_stream');
        const mine = await readAllOf(before, new Set([stream]));
        expect(mine.map((e) => e.id)).toEqual(batch.map((e) => e.id));

        const after = await readAllOf(mine[1].position, new Set([stream]));
        expect(after.map((e) => e.id)).toEqual([batch[2].id, batch[3].id]);

        const page = await store.readAll({ fromPosition: before, maxCount: 2 });
        expect(page).toHaveLength(2);
        expect(page[0].position).toBeGreaterThan(before);
        expect(page[1].position).toBeGreaterThan(page[0].position);
      });

      it('makes the head position grow with appends', async () => {
        const h0 = await store.headPosition();
        const result = await store.appendToStream(newStream(), events(2), 'no_stream');
        const h1 = await store.headPosition();
        expect(h1).toBeGreaterThan(h0);
        expect(h1).toBeGreaterThanOrEqual(result.position);
        await store.appendToStream(newStream(), [event()], 'no_stream');
        expect(await store.headPosition()).toBeGreaterThan(h1);
      });

      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('readFamily', () => {
      /** The server's index may be asynchronous (EventStoreDB links by a projection): wait for `count` events. */
      async function readFamilyOnce(familyId: string, count: number, options: { fromPosition?: number; maxCount?: number } = {}) {
        let read: StoredEvent[] = [];
        await waitFor(
          async () => {
            read = await store.readFamily(familyId, options);
            return read.length >= count;
          },
          { timeoutMs: 10_000, intervalMs: 50 },
        );
        return read;
      }

      it("reads one family's events across its streams in commit order, by data.familyId or else metadata.familyId", async () => {
        const family = `family-under-test-${randomUUID()}`;
        const other = `family-under-test-${randomUUID()}`;
        const [record, planning, allocation] = [newStream(), newStream(), newStream()];
        const a = event('Registered', { name: 'x' }, { familyId: family });
        const b = event('Booked', { day: 1 }, { familyId: family });
        const c = event('Placed', { familyId: family, requestId: 'r1' }, { familyId: 'someone-else' });
        const d = event('Placed', { familyId: other, requestId: 'r2' }, { familyId: family });
        const e = event('Unrelated', {}, {});
        const f = event('Amended', { name: 'y' }, { familyId: family });
        await store.appendToStream(record, [a], 'no_stream');
        await store.appendToStream(planning, [b], 'no_stream');
        await store.appendToStream(allocation, [c, d, e], 'no_stream');
        await store.appendToStream(record, [f], 0);

        const read = await readFamilyOnce(family, 4);
        expect(read.map((x) => x.id)).toEqual([a.id, b.id, c.id, f.id]);
        expect(read.map((x) => x.streamId)).toEqual([record, planning, allocation, record]);
        for (let i = 1; i < read.length; i++) expect(read[i].position).toBeGreaterThan(read[i - 1].position);
        expect(read[2].data).toEqual({ familyId: family, requestId: 'r1' });
        expect((await readFamilyOnce(other, 1)).map((x) => x.id)).toEqual([d.id]);
      });

      it('pages with an exclusive position and a maximum count; an unknown family reads as empty', async () => {
        const family = `family-under-test-${randomUUID()}`;
        const batch = Array.from({ length: 5 }, (_, i) => event('Counted', { familyId: family, i }));
        await store.appendToStream(newStream(), batch, 'no_stream');
        const all = await readFamilyOnce(family, 5);
        expect(all.map((x) => x.id)).toEqual(batch.map((x) => x.id));
        const page = await store.readFamily(family, { fromPosition: all[1].position, maxCount: 2 });
        expect(page.map((x) => x.id)).toEqual([batch[2].id, batch[3].id]);
        expect(await store.readFamily(`nobody-${randomUUID()}`)).toEqual([]);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up from a checkpoint, reports it, then receives live events in commit order', async () => {
        const stream = newStream();
        const other = newStream();
        const before = await store.headPosition();
        const past = events(3);
        await store.appendToStream(stream, past, 'no_stream');

        const received: StoredEvent[] = [];
        const receivedAtCaughtUp: number[] = [];
        const subscription = subscribe({
          fromPosition: before,
          onEvent: async (e) => {
            if (e.streamId === stream || e.streamId === other) received.push(e);
          },
          onCaughtUp: () => receivedAtCaughtUp.push(received.length),
        });

        await waitFor(() => receivedAtCaughtUp.length > 0, { message: 'onCaughtUp' });
        // everything stored before the subscription was delivered before it said it was caught up
        expect(receivedAtCaughtUp[0]).toBe(3);

        const live1 = events(2);
        const live2 = [event()];
        await store.appendToStream(stream, live1, 2);
        await store.appendToStream(other, live2, 'no_stream');
        await waitFor(() => received.length === 6, { message: 'live events' });

        expect(received.map((e) => e.id)).toEqual([...past, ...live1, ...live2].map((e) => e.id));
        for (let i = 1; i < received.length; i++) {
          expect(received[i].position).toBeGreaterThan(received[i - 1].position);
        }
        expect(subscription.lastPosition).toBeDefined();
        expect(subscription.lastPosition!).toBeGreaterThanOrEqual(received[5].position);
        await sleep(50);
        expect(received).toHaveLength(6);
      });

      it('delivers events one by one: the next event waits for the previous handler', async () => {
        const stream = newStream();
        const before = await store.headPosition();
        await store.appendToStream(stream, events(4), 'no_stream');

        let running = 0;
        let maxRunning = 0;
        const handled: number[] = [];
        subscribe({
          fromPosition: before,
          onEvent: async (e) => {
            if (e.streamId !== stream) return;
            running++;
            maxRunning = Math.max(maxRunning, running);
            await sleep(15);
            handled.push(e.revision);
            running--;
          },
        });
        await waitFor(() => handled.length === 4);
        expect(maxRunning).toBe(1);
        expect(handled).toEqual([0, 1, 2, 3]);
      });

      it('resumes from a saved checkpoint after a stop between batches: no event lost, none handled twice', async () => {
        const stream = newStream();
        const before = await store.headPosition();
        const all = events(6);
        await store.appendToStream(stream, all.slice(0, 4), 'no_stream');
        await store.appendToStream(stream, all.slice(4), 3);

        // first run: a projection that saves its checkpoint after every event and "crashes" after 3 of ours
        let checkpoint = before;
        const firstRun: string[] = [];
        let stopping: Promise<void> | undefined;
        const first: Subscription = subscribe({
          fromPosition: before,
          onEvent: async (e) => {
            if (e.streamId === stream) firstRun.push(e.id);
            checkpoint = e.position;
            // stop() may be called from inside a handler (without awaiting it there)
            if (firstRun.length === 3 && !stopping) stopping = first.stop();
          },
        });
        await waitFor(() => stopping !== undefined, { message: 'three events handled' });
        await stopping;
        await sleep(50);
        // no handler call starts once stop() has been called
        expect(firstRun).toEqual(all.slice(0, 3).map((e) => e.id));
        expect(first.lastPosition).toBe(checkpoint);

        // second run from the saved checkpoint
        const secondRun: string[] = [];
        subscribe({
          fromPosition: checkpoint,
          onEvent: async (e) => {
            if (e.streamId === stream) secondRun.push(e.id);
          },
        });
        await waitFor(() => secondRun.length >= 3, { message: 'the remaining events' });
        await sleep(50);
        expect([...firstRun, ...secondRun]).toEqual(all.map((e) => e.id));
      });

      it('drops when a handler throws, reports it, and redelivers the failed event after a backoff', async () => {
        const stream = newStream();
        const before = await store.headPosition();
        const batch = events(3);
        await store.appendToStream(stream, batch, 'no_stream');

        const failure = new Error('projection failed');
        const deliveries: { id: string; at: number }[] = [];
        const handled: string[] = [];
        const drops: { error: unknown; attempt: number; at: number }[] = [];
        let failuresLeft = 3;
        subscribe({
          fromPosition: before,
          backoff: { initialMs: 40, maxMs: 1000 },
          onEvent: async (e) => {
            if (e.streamId !== stream) return;
            deliveries.push({ id: e.id, at: Date.now() });
            if (e.id === batch[1].id && failuresLeft > 0) {
              failuresLeft--;
              throw failure;
            }
            handled.push(e.id);
          },
          onDropped: (error, attempt) => drops.push({ error, attempt, at: Date.now() }),
        });

        await waitFor(() => handled.length === 3, { message: 'all events handled after the failures' });
        expect(handled).toEqual(batch.map((e) => e.id));
        expect(drops.map((d) => d.attempt)).toEqual([1, 2, 3]);
        for (const drop of drops) expect(drop.error).toBe(failure);

        // the event before the failing one was handled once: the resubscription starts after it
        expect(deliveries.filter((d) => d.id === batch[0].id)).toHaveLength(1);
        const retries = deliveries.filter((d) => d.id === batch[1].id).map((d) => d.at);
        expect(retries).toHaveLength(4);
        // exponential backoff: about 40, 80, 160 ms between the attempts (small tolerance for timers)
        for (let k = 1; k < retries.length; k++) {
          expect(retries[k] - retries[k - 1]).toBeGreaterThanOrEqual(40 * 2 ** (k - 1) - 10);
        }
      });

      it('drops on a live event, calls onCaughtUp again after resubscribing, and restarts the attempt count', async () => {
        const stream = newStream();
        const before = await store.headPosition();
        await store.appendToStream(stream, [event()], 'no_stream');

        const handled: string[] = [];
        const attempts: number[] = [];
        let caughtUp = 0;
        const failOnce = new Set<string>();
        subscribe({
          fromPosition: before,
          backoff: { initialMs: 20, maxMs: 100 },
          onEvent: async (e) => {
            if (e.streamId !== stream) return;
            if (failOnce.delete(e.id)) throw new Error(`fails once: ${e.id}`);
            handled.push(e.id);
          },
          onCaughtUp: () => caughtUp++,
          onDropped: (_error, attempt) => attempts.push(attempt),
        });
        await waitFor(() => handled.length === 1 && caughtUp >= 1);

        const live = events(2);
        live.forEach((e) => failOnce.add(e.id));
        const caughtUpBefore = caughtUp;
        await store.appendToStream(stream, live, 0);
        await waitFor(() => handled.length === 3, { message: 'live events redelivered' });
        expect(handled.slice(1)).toEqual(live.map((e) => e.id));
        // two separate drops, each the first after a successful delivery
        expect(attempts).toEqual([1, 1]);
        await waitFor(() => caughtUp > caughtUpBefore, { message: 'onCaughtUp after resubscribing' });
      });

      it('delivers every event of the requested types when filtered by type prefix', async () => {
        const stream = newStream();
        const before = await store.headPosition();
        const wanted = [event('Booking.Created'), event('Booking.Cancelled')];
        await store.appendToStream(stream, [wanted[0], event('Invoice.Issued'), wanted[1]], 'no_stream');

        const received: StoredEvent[] = [];
        let caughtUp = false;
        subscribe({
          fromPosition: before,
          eventTypes: ['Booking.'],
          onEvent: async (e) => {
            if (e.streamId === stream) received.push(e);
          },
          onCaughtUp: () => (caughtUp = true),
        });
        await waitFor(() => caughtUp && received.filter((e) => e.type.startsWith('Booking.')).length === 2);
        expect(received.filter((e) => e.type.startsWith('Booking.')).map((e) => e.id)).toEqual(wanted.map((e) => e.id));
      });

      it('resolves stop() only once the running handler has finished', async () => {
        const stream = newStream();
        const before = await store.headPosition();
        await store.appendToStream(stream, [event()], 'no_stream');

        let started = false;
        let finished = false;
        const subscription = subscribe({
          fromPosition: before,
          onEvent: async (e) => {
            if (e.streamId !== stream) return;
            started = true;
            await sleep(100);
            finished = true;
          },
        });
        await waitFor(() => started);
        await subscription.stop();
        expect(finished).toBe(true);
      });
    });
  });
}
