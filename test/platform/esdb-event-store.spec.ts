/**
 * EsdbEventStore behaviour that no EventStoreDB server is needed for: a double shaped like the official client
 * (test/support/fake-esdb-client.ts) reproduces how it cancels streams. The adapter's contract suite against a
 * real server is test/contract/event-store.esdb.spec.ts.
 */
import { EsdbEventStore } from '../../src/platform/event-store/esdb-event-store';
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
