import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SettableClock } from '../../src/platform/clock/clock';
import { SqliteDocumentStore } from '../../src/platform/document-store/sqlite-document-store';
import type { EventStore, Subscription, SubscriptionOptions } from '../../src/platform/event-store/event-store.port';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite-event-store';
import { EventSerializer } from '../../src/platform/events/event-serializer';
import type { ProjectionDefinition } from '../../src/platform/projections/projection';
import {
  CheckpointRefusedError,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  RebuildInProgressError,
} from '../../src/platform/projections/projection-runner';
import { DocumentReadModels, sameVersion } from '../../src/platform/projections/read-models';
import { waitFor } from '../support/wait-for';

type Tally = { stream: string; count: number; total: number };

/** A read model per stream: how many Added events and their sum. */
const tally = (version = 1, evolveHook?: () => void): ProjectionDefinition<Tally> => ({
  name: 'tally',
  version,
  eventTypes: ['Added'],
  indexedFields: ['total'],
  documentIds: (event) => [event.streamId],
  evolve: (doc, event, id) => {
    evolveHook?.();
    const amount = event.data.amount as number;
    return { stream: id, count: (doc?.count ?? 0) + 1, total: (doc?.total ?? 0) + amount };
  },
});

describe('ProjectionRunner', () => {
  let dir: string;
  let events: SqliteEventStore;
  let documents: SqliteDocumentStore;
  const serializer = new EventSerializer().register([
    { type: 'Added', version: 1, personalData: [] },
    { type: 'Ignored', version: 1, personalData: [] },
  ]);
  const runners: ProjectionRunner[] = [];
  const runner = (definition: ProjectionDefinition<Tally>, batchSize = 50, options: ProjectionRunnerOptions = {}) => {
    const r = new ProjectionRunner(events, documents, serializer, {
      batchSize,
      backoff: { initialMs: 10, maxMs: 50 },
      pollMs: 20,
      ...options,
    }).register(definition as unknown as ProjectionDefinition);
    runners.push(r);
    return r;
  };
  const add = (stream: string, ...amounts: number[]) =>
    events.appendToStream(
      stream,
      amounts.map((amount) => ({ id: randomUUID(), type: 'Added', data: { amount }, metadata: {} })),
      'any',
    );
  const read = async (r: ProjectionRunner, id: string) => (await documents.get<Tally>(await r.collectionOf('tally'), id))?.data;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runner-'));
    events = new SqliteEventStore(join(dir, 'events.sqlite'));
    documents = new SqliteDocumentStore(join(dir, 'documents.sqlite'));
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await events.close();
    await documents.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches up from position zero, then follows live appends; other event types only move the checkpoint', async () => {
    for (let i = 0; i < 120; i++) await add(`s-${i % 3}`, 1);
    await events.appendToStream('other', [{ id: randomUUID(), type: 'Ignored', data: {}, metadata: {} }], 'any');
    const r = runner(tally());
    await r.start();
    await r.waitForPosition(await events.headPosition());
    expect(await read(r, 's-0')).toMatchObject({ count: 40, total: 40 });
    await add('s-0', 5, 6);
    await r.waitForPosition(await events.headPosition());
    expect(await read(r, 's-0')).toMatchObject({ count: 42, total: 51 });
    const status = await r.status('tally');
    expect(status).toMatchObject({ lagPositions: 0, lagSeconds: 0, running: true });
  });

  it('handling the same events twice changes nothing, and says so (the checkpoint refuses the replay)', async () => {
    await add('s', 1, 2, 3);
    const r = runner(tally());
    await r.initialize();
    const all = await events.readAll();
    const collection = await r.collectionOf('tally');
    const definition = tally() as unknown as ProjectionDefinition;
    await r.applyBatch(definition, collection, all);
    // replays are refused by the checkpoint, loudly (the caller restarts from the stored checkpoint)
    await expect(r.applyBatch(definition, collection, all)).rejects.toThrow(CheckpointRefusedError);
    await expect(r.applyBatch(definition, collection, all.slice(1))).rejects.toThrow(CheckpointRefusedError);
    expect(await read(r, 's')).toMatchObject({ count: 3, total: 6 });
  });

  it('reads the documents of a batch in one getMany and writes them in one commitBatch, each folded over every event', async () => {
    for (let i = 0; i < 60; i++) await add(`s-${i % 4}`, i);
    const r = runner(tally());
    await r.initialize();
    const collection = await r.collectionOf('tally');
    const definition = tally() as unknown as ProjectionDefinition;
    const calls = { get: 0, getMany: 0, commitBatch: 0, ids: [] as number[] };
    const get = jest.spyOn(documents, 'get').mockImplementation(async () => {
      calls.get += 1;
      return null;
    });
    const getMany = documents.getMany.bind(documents);
    jest.spyOn(documents, 'getMany').mockImplementation(async (c, ids) => {
      calls.getMany += 1;
      calls.ids.push(ids.length);
      return getMany(c, ids);
    });
    const commitBatch = documents.commitBatch.bind(documents);
    jest.spyOn(documents, 'commitBatch').mockImplementation(async (ops, checkpoint) => {
      calls.commitBatch += 1;
      return commitBatch(ops, checkpoint);
    });
    const all = await events.readAll();
    await r.applyBatch(definition, collection, all.slice(0, 30));
    await r.applyBatch(definition, collection, all.slice(30));
    jest.restoreAllMocks();
    expect(get).toHaveBeenCalledTimes(0);
    expect(calls).toEqual({ get: 0, getMany: 2, commitBatch: 2, ids: [4, 4] });
    const sum = (k: number) => Array.from({ length: 15 }, (_, j) => 4 * j + k).reduce((a, b) => a + b, 0);
    expect(await read(r, 's-1')).toMatchObject({ count: 15, total: sum(1) });
    expect((await documents.get(collection, 's-1'))?.version).toBe(2);
  });

  it("moves the read model's version with its own events and a rebuild, never with unrelated events", async () => {
    await add('s', 1);
    const r = runner(tally());
    await r.start();
    const readModels = new DocumentReadModels(documents, r);
    await r.waitForPosition(await events.headPosition());
    const first = await readModels.version('tally');
    expect(first.lastChange).toBe(await events.headPosition());

    // a burst of events of other types: the checkpoint follows, the version stays
    for (let i = 0; i < 20; i++)
      await events.appendToStream('other', [{ id: randomUUID(), type: 'Ignored', data: {}, metadata: {} }], 'any');
    await r.waitForPosition(await events.headPosition());
    expect(await readModels.checkpoint('tally')).toBe(await events.headPosition());
    expect(sameVersion(await readModels.version('tally'), first)).toBe(true);

    await add('s', 2);
    await r.waitForPosition(await events.headPosition());
    const second = await readModels.version('tally');
    expect(second.lastChange).toBe(await events.headPosition());
    expect(sameVersion(second, first)).toBe(false);

    // a rebuild fills another collection: another version, even with the same last change
    await r.rebuild('tally');
    const rebuilt = await readModels.version('tally');
    expect(rebuilt.lastChange).toBe(second.lastChange);
    expect(sameVersion(rebuilt, second)).toBe(false);
  });

  it('projections starting together catch up on one read of the log, each from its own checkpoint, then go live', async () => {
    for (let i = 0; i < 90; i++) await add(`s-${i % 3}`, 1);
    const named = (name: string) => ({ ...tally(), name }) as unknown as ProjectionDefinition;
    // one of them has already handled the first 30 events
    const early = new ProjectionRunner(events, documents, serializer, { batchSize: 10 }).register(named('tally-b'));
    await early.initialize();
    await early.applyBatch(named('tally-b'), await early.collectionOf('tally-b'), await events.readAll({ maxCount: 30 }));
    const readAll = jest.spyOn(events, 'readAll');
    const r = new ProjectionRunner(events, documents, serializer, { batchSize: 10, catchUpPageSize: 40, pollMs: 20 }).register(
      named('tally-a'),
      named('tally-b'),
      named('tally-c'),
    );
    runners.push(r);
    await r.start();
    await r.waitForPosition(await events.headPosition());
    // 90 events in pages of 40: 3 reads for the three projections together (not 3 reads each)
    expect(readAll.mock.calls.filter(([o]) => o?.maxCount === 40)).toHaveLength(3);
    readAll.mockRestore();
    for (const name of ['tally-a', 'tally-b', 'tally-c']) {
      expect((await documents.get<Tally>(await r.collectionOf(name), 's-2'))?.data).toMatchObject({ count: 30, total: 30 });
    }
    await add('s-2', 5);
    await r.waitForPosition(await events.headPosition());
    expect((await documents.get<Tally>(await r.collectionOf('tally-c'), 's-2'))?.data).toMatchObject({ count: 31, total: 35 });
    expect((await r.status('tally-a')).running).toBe(true);
  });

  it('resumes from its checkpoint after a crash between batches: nothing lost, nothing counted twice', async () => {
    await add('s', ...Array.from({ length: 30 }, () => 1));
    const first = runner(tally(), 7);
    await first.start();
    await first.waitForPosition(await events.headPosition());
    await first.stop();
    await add('s', ...Array.from({ length: 25 }, () => 1));
    const second = runner(tally(), 7);
    await second.start();
    await second.waitForPosition(await events.headPosition());
    expect(await read(second, 's')).toMatchObject({ count: 55, total: 55 });
  });

  it('a failing batch is retried from the checkpoint and reported, never skipped', async () => {
    await add('s', 1, 1, 1);
    let failures = 2;
    const r = runner(
      tally(1, () => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('read model store unavailable');
        }
      }),
    );
    await r.start();
    await r.waitForPosition(await events.headPosition(), 5000);
    expect(failures).toBe(0);
    expect(await read(r, 's')).toMatchObject({ count: 3, total: 3 });
  });

  it('rebuilds into a new collection from position zero and switches readers to it', async () => {
    await add('a', 1, 2);
    await add('b', 10);
    const clock = new SettableClock('2026-11-16T09:00:00Z');
    const r = runner(tally(), 50, { clock, retireGraceMs: 5000 });
    await r.start();
    await r.waitForPosition(await events.headPosition());
    const before = await r.collectionOf('tally');
    const status = await r.rebuild('tally');
    const after = await r.collectionOf('tally');
    expect(after).not.toBe(before);
    expect(status.checkpoint).toBe(await events.headPosition());
    expect(await read(r, 'a')).toMatchObject({ count: 2, total: 3 });
    // the replaced collection stays readable a moment (other processes cache its name for up to a second)…
    expect(await documents.count(before)).toBe(2);
    clock.advance(5000);
    // …then goes, with its checkpoint
    await waitFor(async () => (await documents.count(before)) === 0, { timeoutMs: 2000, intervalMs: 10 });
    expect(await documents.getCheckpoint(before)).toBeUndefined();
    await add('b', 5);
    await r.waitForPosition(await events.headPosition());
    expect(await read(r, 'b')).toMatchObject({ count: 2, total: 15 });
  });

  it('a rebuild retried after a failure starts clean: every document is back (not 2 of 6)', async () => {
    for (let i = 0; i < 6; i++) await add(`s-${i}`, 1);
    let failOnStream: string | undefined;
    const definition: ProjectionDefinition<Tally> = {
      ...tally(),
      evolve: (doc, event, id) => {
        if (event.streamId === failOnStream) {
          failOnStream = undefined;
          throw new Error('read model store unavailable');
        }
        return tally().evolve(doc, event, id);
      },
    };
    const r = runner(definition, 2);
    await r.start();
    await r.waitForPosition(await events.headPosition());
    failOnStream = 's-4'; // the third page of the rebuild fails, after two pages were committed
    await expect(r.rebuild('tally')).rejects.toThrow('read model store unavailable');
    expect((await r.status('tally')).rebuilding).toBe(false);
    await r.rebuild('tally');
    const collection = await r.collectionOf('tally');
    expect(await documents.count(collection)).toBe(6);
    expect(await read(r, 's-0')).toMatchObject({ count: 1, total: 1 });
  });

  it('never takes a refused commit for a success', async () => {
    await add('s', 1, 2);
    const r = runner(tally());
    await r.initialize();
    const collection = await r.collectionOf('tally');
    const all = await events.readAll();
    // another writer already moved the checkpoint past these events
    await documents.commitBatch([], { name: collection, position: all[all.length - 1].position });
    await expect(r.applyBatch(tally() as unknown as ProjectionDefinition, collection, all)).rejects.toThrow(CheckpointRefusedError);
  });

  it('a new projection version rebuilds at start and takes over when caught up', async () => {
    await add('a', 1, 2, 3);
    const v1 = runner(tally(1));
    await v1.start();
    await v1.waitForPosition(await events.headPosition());
    const oldCollection = await v1.collectionOf('tally');
    await v1.stop();
    const v2 = runner(tally(2));
    await v2.start();
    await waitFor(async () => (await v2.collectionOf('tally')) !== oldCollection, { timeoutMs: 5000, intervalMs: 20 });
    await waitFor(async () => (await v2.status('tally')).version === 2, { timeoutMs: 5000, intervalMs: 20 });
    expect(await read(v2, 'a')).toMatchObject({ count: 3, total: 6 });
  });
});

/**
 * An event store whose subscriptions keep delivering a few events after stop(), as the EventStoreDB client
 * does until its cancel lands (the events already on the wire).
 */
class LeakyEventStore implements EventStore {
  constructor(private readonly inner: EventStore) {}
  subscribeToAll(options: SubscriptionOptions): Subscription {
    let last = options.fromPosition;
    const sub = this.inner.subscribeToAll({
      ...options,
      onEvent: async (event) => {
        last = event.position;
        await options.onEvent(event);
      },
    });
    return {
      get lastPosition() {
        return sub.lastPosition;
      },
      stop: async () => {
        await sub.stop();
        setImmediate(async () => {
          try {
            for (const event of await this.inner.readAll({ fromPosition: last, maxCount: 5 })) await options.onEvent(event);
          } catch {
            // the store closed meanwhile (end of a test)
          }
        });
      },
    };
  }
  appendToStream(...args: Parameters<EventStore['appendToStream']>) {
    return this.inner.appendToStream(...args);
  }
  readStream(...args: Parameters<EventStore['readStream']>) {
    return this.inner.readStream(...args);
  }
  readAll(...args: Parameters<EventStore['readAll']>) {
    return this.inner.readAll(...args);
  }
  headPosition() {
    return this.inner.headPosition();
  }
  ping() {
    return this.inner.ping();
  }
  close() {
    return this.inner.close();
  }
}

describe('ProjectionRunner: stale subscriptions, abandoned rebuilds, rebuilds owned elsewhere', () => {
  let dir: string;
  let events: SqliteEventStore;
  let documents: SqliteDocumentStore;
  const serializer = new EventSerializer().register([{ type: 'Added', version: 1, personalData: [] }]);
  const runners: ProjectionRunner[] = [];
  const clock = new SettableClock('2026-11-16T09:00:00Z');
  const make = (definition: ProjectionDefinition<Tally>, options: ProjectionRunnerOptions = {}, store: EventStore = events) => {
    const r = new ProjectionRunner(store, documents, serializer, {
      batchSize: 3,
      backoff: { initialMs: 10, maxMs: 50 },
      pollMs: 20,
      clock,
      leaseMs: 30_000,
      retireGraceMs: 0,
      ...options,
    }).register(definition as unknown as ProjectionDefinition);
    runners.push(r);
    return r;
  };
  const add = (stream: string, ...amounts: number[]) =>
    events.appendToStream(
      stream,
      amounts.map((amount) => ({ id: randomUUID(), type: 'Added', data: { amount }, metadata: {} })),
      'any',
    );
  const read = async (r: ProjectionRunner, id: string) => (await documents.get<Tally>(await r.collectionOf('tally'), id))?.data;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runner-'));
    events = new SqliteEventStore(join(dir, 'events.sqlite'));
    documents = new SqliteDocumentStore(join(dir, 'documents.sqlite'));
    clock.set('2026-11-16T09:00:00Z');
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await events.close();
    await documents.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never commits a batch from a subscription stopped after a failed batch (events delivered after stop)', async () => {
    await add('s', ...Array.from({ length: 10 }, () => 1));
    let failures = 1;
    const r = make(
      tally(1, () => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('read model store unavailable');
        }
      }),
      {},
      new LeakyEventStore(events),
    );
    await r.start();
    await r.waitForPosition(await events.headPosition(), 5000);
    expect(failures).toBe(0);
    expect(await read(r, 's')).toMatchObject({ count: 10, total: 10 });
  });

  /** What a rebuild killed part-way leaves: its mark (as the previous code wrote it, or with an owner) and a half-filled collection. */
  async function killedRebuild(r: ProjectionRunner, mark: Record<string, unknown>): Promise<string> {
    const state = (await documents.get<Record<string, unknown>>('projection_state', 'tally'))!;
    const half = 'rm_tally_v1_g2';
    await documents.commitBatch([{ op: 'put', collection: half, id: 's-0', data: { stream: 's-0', count: 1, total: 1 } }], {
      name: half,
      position: 1,
    });
    await documents.put(
      'projection_state',
      'tally',
      { ...state.data, rebuilding: { generation: 2, collection: half, ...mark } },
      state.version,
    );
    expect(r.names()).toEqual(['tally']);
    return half;
  }

  it('a rebuild mark left by a killed process expires with its lease: the rebuild is refused only while it is live', async () => {
    for (let i = 0; i < 4; i++) await add(`s-${i}`, 1);
    const r = make(tally());
    await r.initialize();
    await killedRebuild(r, { startedAt: clock.now().toISOString(), owner: 'host:4242:dead', heartbeatAt: clock.now().toISOString() });
    await expect(r.rebuild('tally')).rejects.toThrow(RebuildInProgressError);
    expect(await r.status('tally')).toMatchObject({ rebuilding: true, rebuild: { owner: 'host:4242:dead', stale: false } });
    clock.advance(30_001);
    expect(await r.status('tally')).toMatchObject({ rebuilding: false, rebuild: { stale: true } });
    const status = await r.rebuild('tally');
    expect(status).toMatchObject({ rebuilding: false, checkpoint: await events.headPosition() });
    expect(status.rebuild).toBeUndefined();
    expect(await documents.count(status.collection)).toBe(4);
  });

  it('a new version whose previous rebuild was killed (a mark without owner, as older code wrote) runs again at start', async () => {
    for (let i = 0; i < 4; i++) await add(`s-${i}`, 1);
    const v1 = make(tally(1));
    await v1.initialize();
    await killedRebuild(v1, { startedAt: clock.now().toISOString() });
    clock.advance(60_000);
    const v2 = make(tally(2));
    await v2.start();
    await waitFor(async () => (await v2.status('tally')).version === 2, { timeoutMs: 5000, intervalMs: 20 });
    await v2.waitForPosition(await events.headPosition());
    expect(await documents.count(await v2.collectionOf('tally'))).toBe(4);
    expect(await documents.count('rm_tally_v1_g2')).toBe(0);
    await add('s-0', 5);
    await v2.waitForPosition(await events.headPosition());
    expect(await read(v2, 's-0')).toMatchObject({ count: 2, total: 6 });
  });

  it('the owner follows a collection switched by a rebuild run in another process', async () => {
    await add('a', 1, 2);
    const owner = make(tally());
    await owner.start();
    await owner.waitForPosition(await events.headPosition());
    const other = make(tally()); // e.g. a CLI process, not started
    const status = await other.rebuild('tally');
    await other.stop(); // the CLI exits
    await add('a', 10);
    await owner.waitForPosition(await events.headPosition());
    expect((await documents.get<Tally>(status.collection, 'a'))?.data).toMatchObject({ count: 3, total: 13 });
  });

  it('a rebuild requested in a process that does not own the projections is carried out by the owner', async () => {
    await add('a', 1, 2);
    const owner = make(tally());
    await owner.start();
    await owner.waitForPosition(await events.headPosition());
    const api = make(tally()); // an API process: RUN_PROJECTIONS=false
    await api.initialize();
    expect(await api.ownerAlive()).toBe(true);
    const request = await api.requestRebuild('tally', 'admin');
    await expect(api.requestRebuild('tally')).rejects.toThrow(RebuildInProgressError);
    const done = await api.waitForRebuild(request.id, 5000);
    expect(done).toMatchObject({ status: 'done', owner: owner.ownerId, requestedBy: 'admin' });
    expect(await api.collectionOf('tally')).toBe(done.collection);
    await add('a', 10);
    await owner.waitForPosition(await events.headPosition());
    expect(await read(api, 'a')).toMatchObject({ count: 3, total: 13 });
  });

  /** An event store whose readAll pages take a while: a rebuild that lasts several heartbeats. */
  const slow = (ms: number): EventStore =>
    Object.assign(Object.create(events) as EventStore, {
      readAll: async (options?: Parameters<EventStore['readAll']>[0]) => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return events.readAll(options);
      },
    });

  it('keeps its lease through other writes to the state document, and stops when another runner took it over', async () => {
    for (let i = 0; i < 8; i++) await add(`s-${i}`, 1);
    const r = make(tally(), { batchSize: 1, leaseMs: 60 }, slow(15));
    await r.initialize();
    const rebuilding = r.rebuild('tally');
    await waitFor(async () => (await r.status('tally')).rebuilding, { timeoutMs: 2000, intervalMs: 5 });
    // another write to the state document (e.g. another process dropping a retired collection)
    const state = (await documents.get<Record<string, unknown>>('projection_state', 'tally'))!;
    await documents.put('projection_state', 'tally', { ...state.data, retired: [] }, state.version);
    const status = await rebuilding;
    expect(await documents.count(status.collection)).toBe(8);

    const again = r.rebuild('tally');
    await waitFor(async () => (await r.status('tally')).rebuilding, { timeoutMs: 2000, intervalMs: 5 });
    const marked = (await documents.get<{ rebuilding: Record<string, unknown> }>('projection_state', 'tally'))!;
    await documents.put(
      'projection_state',
      'tally',
      { ...marked.data, rebuilding: { ...marked.data.rebuilding, owner: 'another-runner', heartbeatAt: clock.now().toISOString() } },
      marked.version,
    );
    await expect(again).rejects.toThrow(RebuildInProgressError);
    expect(await r.collectionOf('tally')).toBe(status.collection); // it did not switch
  });

  it('tries a failing rebuild of a new version again with a growing delay, not at every poll', async () => {
    await add('a', 1);
    const v1 = make(tally(1));
    await v1.start();
    await v1.waitForPosition(await events.headPosition());
    await v1.stop();
    let attempts = 0;
    const v2 = make(
      tally(2, () => {
        attempts += 1;
        throw new Error('bug in the new version');
      }),
    );
    await v2.start();
    await new Promise((resolve) => setTimeout(resolve, 400)); // 20 polls
    expect(attempts).toBe(1);
    expect((await v2.status('tally')).version).toBe(1);
  });

  it('without a live owner, requests wait; runRebuildRequests carries them out here', async () => {
    await add('a', 1, 2);
    const cli = make(tally());
    await cli.initialize();
    expect(await cli.ownerAlive()).toBe(false);
    const request = await cli.requestRebuild('tally');
    expect((await cli.waitForRebuild(request.id, 100)).status).toBe('pending');
    await cli.runRebuildRequests();
    expect(await cli.rebuildRequest(request.id)).toMatchObject({ status: 'done' });
    expect(await read(cli, 'a')).toMatchObject({ count: 2, total: 3 });
  });
});
