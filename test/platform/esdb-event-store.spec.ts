/**
 * EsdbEventStore behaviour that no EventStoreDB server is needed for: a double shaped like the official client
 * (test/support/fake-esdb-client.ts) reproduces how it cancels streams. The adapter's contract suite against a
 * real server is test/contract/event-store.esdb.spec.ts.
 */
import { EsdbEventStore, FAMILY_INDEX_PROJECTION, FAMILY_INDEX_QUERY } from '../../src/platform/event-store/esdb-event-store';
import type { StoredEvent } from '../../src/platform/event-store/event-store.port';
import { FakeEsdbClient } from '../support/fake-esdb-client';
import { waitFor } from '../support/wait-for';

describe('EsdbEventStore with a client double', () => {
  it('delivers nothing after stop(), even events that come out of the stream before the client cancels it', async () => {
    const fake = new FakeEsdbClient();
    fake.append('a', 'Added');
    fake.append('a', 'Added');
    const store = new EsdbEventStore(fake.asClient());
    const delivered: number[] = [];
    const subscription = store.subscribeToAll({
      onEvent: async (event: StoredEvent) => {
        delivered.push(event.position);
      },
    });
    await waitFor(() => delivered.length === 2, { timeoutMs: 2000, intervalMs: 5 });
    const stopping = subscription.stop();
    // a live event arrives while the client is still cancelling the call (it does so in a later setImmediate)
    fake.deliver(fake.subscriptions[0], fake.append('a', 'Added'));
    await stopping;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(delivered).toEqual([100, 200]);
    expect(subscription.lastPosition).toBe(200);
    await store.close();
  });

  it('stops a handler in flight from being followed by another event', async () => {
    const fake = new FakeEsdbClient();
    fake.append('a', 'Added');
    fake.append('a', 'Added');
    const store = new EsdbEventStore(fake.asClient());
    const delivered: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const subscription = store.subscribeToAll({
      onEvent: async (event) => {
        delivered.push(event.position);
        if (delivered.length === 1) await gate;
      },
    });
    await waitFor(() => delivered.length === 1, { timeoutMs: 2000, intervalMs: 5 });
    const stopping = subscription.stop();
    release();
    await stopping;
    expect(delivered).toEqual([100]);
    await store.close();
  });

  it('gives the readiness ping a real deadline: a half-open connection makes it fail, not hang', async () => {
    const fake = new FakeEsdbClient();
    fake.hangReads = true;
    const store = new EsdbEventStore(fake.asClient(), { pingTimeoutMs: 100 });
    const started = performance.now();
    await expect(store.ping()).rejects.toThrow(/did not answer within 100 ms/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('answers the ping when the server answers', async () => {
    const fake = new FakeEsdbClient();
    fake.append('a', 'Added');
    const store = new EsdbEventStore(fake.asClient(), { pingTimeoutMs: 100 });
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe('EsdbEventStore.readFamily with a client double', () => {
  it("creates the family index projection once, and reads a family's events through its links, in log order", async () => {
    const fake = new FakeEsdbClient();
    const a = fake.append('family-f1', 'FamilyRegistered', { name: 'x' }, { familyId: 'f1' });
    fake.append('family-f2', 'FamilyRegistered', { name: 'y' }, { familyId: 'f2' });
    const c = fake.append('allocation-a-2027-01-13', 'PlaceAllocated', { familyId: 'f1', requestId: 'r' }, { familyId: 'f2' });
    fake.append('catalog', 'ActivityCreated', {}, {});
    fake.append('$stats', '$statsCollected', { familyId: 'f1' }, {});
    const e = fake.append('planning-f1-2026-2027', 'ReservationRequested', {}, { familyId: 'f1' });
    const store = new EsdbEventStore(fake.asClient());
    const read = await store.readFamily('f1');
    expect(read.map((x) => x.id)).toEqual([a.id, c.id, e.id]);
    expect(read.map((x) => x.position)).toEqual([100, 300, 600]);
    expect((await store.readFamily('f1', { fromPosition: 100, maxCount: 1 })).map((x) => x.id)).toEqual([c.id]);
    expect(await store.readFamily('nobody')).toEqual([]);
    expect(fake.projectionCalls.map((p) => [p.call, p.name, p.options])).toEqual([
      ['create', FAMILY_INDEX_PROJECTION, { emitEnabled: true, trackEmittedStreams: false }],
    ]);
    await store.close();
  });

  it('updates the query of an index projection that already exists', async () => {
    const fake = new FakeEsdbClient();
    fake.projectionExists = true;
    fake.append('family-f1', 'FamilyRegistered', {}, { familyId: 'f1' });
    const store = new EsdbEventStore(fake.asClient());
    expect(await store.readFamily('f1')).toHaveLength(1);
    expect(fake.projectionCalls.map((p) => p.call)).toEqual(['create', 'update']);
    expect(fake.projectionCalls[1].query).toBe(FAMILY_INDEX_QUERY);
    await store.close();
  });
});
