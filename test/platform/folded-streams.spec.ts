import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SettableClock } from '../../src/platform/clock/clock';
import { CommandExecutor } from '../../src/platform/commands/command-executor';
import { FoldedStreams, SNAPSHOT_COLLECTION } from '../../src/platform/commands/folded-streams';
import { SqliteDocumentStore } from '../../src/platform/document-store/sqlite-document-store';
import type { Decider, DomainEvent } from '../../src/platform/domain/decider';
import type { EventStore, ReadStreamOptions, StoredEvent } from '../../src/platform/event-store/event-store.port';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite-event-store';
import { EventSerializer } from '../../src/platform/events/event-serializer';
import { waitFor } from '../support/wait-for';

type Added = DomainEvent<'Added', { item: string }>;
type Add = { type: 'Add'; item: string; at: string };
type Bag = { items: Record<string, true>; count: number };

/** A bag that grows with every event, evolved in place like the project's deciders; it counts its evolve calls. */
function bagDecider(): Decider<Add, Added, Bag> & { evolved: number } {
  const decider = {
    evolved: 0,
    initialState: (): Bag => ({ items: {}, count: 0 }),
    evolve(state: Bag, event: Added): Bag {
      decider.evolved += 1;
      state.items[event.data.item] = true;
      state.count += 1;
      return state;
    },
    decide: (command: Add, state: Bag): Added[] => (state.items[command.item] ? [] : [{ type: 'Added', data: { item: command.item } }]),
  };
  return decider;
}

/** The store, counting the events read back by stream. */
function counting(store: EventStore): EventStore & { read: number } {
  const counted = Object.create(store) as EventStore & { read: number };
  counted.read = 0;
  counted.readStream = async (streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> => {
    const events = await store.readStream(streamId, options);
    counted.read += events.length;
    return events;
  };
  return counted;
}

describe('FoldedStreams: one kept state per stream, folded in place, with snapshots and a prelude', () => {
  let dir: string;
  let events: SqliteEventStore;
  let documents: SqliteDocumentStore;
  const serializer = new EventSerializer().register([{ type: 'Added', version: 1, personalData: [] }]);
  const clock = new SettableClock('2026-11-16T08:00:00.000Z');
  const context = { principal: { userId: 'u', role: 'staff' as const }, correlationId: 'c' };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'folded-'));
    events = new SqliteEventStore(join(dir, 'events.sqlite'));
    documents = new SqliteDocumentStore(join(dir, 'documents.sqlite'));
    await documents.ensureCollection(SNAPSHOT_COLLECTION, []);
  });
  afterEach(async () => {
    await events.close();
    await documents.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const add = (executor: CommandExecutor, decider: Decider<Add, Added, Bag>, item: string, streamId = 'bag-1') =>
    executor.execute({ streamId, decider, command: (at) => ({ type: 'Add', item, at }), context, snapshotVersion: 1 });

  it('folds each event once: n commands on a stream cost n evolutions, not n²', async () => {
    const decider = bagDecider();
    const executor = new CommandExecutor(events, serializer, { maxAttempts: 3, clock }, new FoldedStreams(events, serializer));
    for (let i = 0; i < 300; i++) await add(executor, decider, `item-${i}`);
    expect(decider.evolved).toBe(300);
    const result = await add(executor, decider, 'item-0');
    expect(result.events).toEqual([]);
    expect(result.state.count).toBe(300);
  });

  it('runs the commands of one stream one at a time in a process: concurrent commands never conflict', async () => {
    const decider = bagDecider();
    let conflicts = 0;
    const executor = new CommandExecutor(
      events,
      serializer,
      { maxAttempts: 1, clock, onConflictRetry: () => conflicts++ },
      new FoldedStreams(events, serializer),
    );
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => add(executor, decider, `item-${i}`)));
    expect(results.every((r) => r.events.length === 1)).toBe(true);
    expect(conflicts).toBe(0);
    expect(await events.readStream('bag-1')).toHaveLength(50);
    expect(decider.evolved).toBe(50);
  });

  it('keeps a snapshot every n events, and a restarted process starts from it, reading only what follows', async () => {
    const decider = bagDecider();
    const streams = new FoldedStreams(events, serializer, { snapshots: documents, snapshotEvery: 100 });
    const executor = new CommandExecutor(events, serializer, { maxAttempts: 3, clock }, streams);
    for (let i = 0; i < 250; i++) await add(executor, decider, `item-${i}`);
    // every 100 events: after revisions 99 and 199
    await waitFor(async () => (await documents.get<{ revision: number }>(SNAPSHOT_COLLECTION, 'bag-1'))?.data.revision === 199);

    // the restart: a new process, a new cache
    const store = counting(events);
    const restarted = bagDecider();
    const cold = new CommandExecutor(
      store,
      serializer,
      { maxAttempts: 3, clock },
      new FoldedStreams(store, serializer, { snapshots: documents }),
    );
    const result = await add(cold, restarted, 'item-250');
    expect(result.state.count).toBe(251);
    // the snapshot's own event (to check it still stands) and the 50 that follow it; then the new one
    expect(store.read).toBe(51);
    expect(restarted.evolved).toBe(51);
  });

  it('ignores a snapshot of another schema version, or one whose event is not in the stream any more', async () => {
    const decider = bagDecider();
    const streams = new FoldedStreams(events, serializer, { snapshots: documents, snapshotEvery: 10 });
    const executor = new CommandExecutor(events, serializer, { maxAttempts: 3, clock }, streams);
    for (let i = 0; i < 20; i++) await add(executor, decider, `item-${i}`);
    await waitFor(async () => (await documents.get<{ revision: number }>(SNAPSHOT_COLLECTION, 'bag-1'))?.data.revision === 19);

    const versionTwo = bagDecider();
    const read = new CommandExecutor(
      events,
      serializer,
      { maxAttempts: 3, clock },
      new FoldedStreams(events, serializer, { snapshots: documents }),
    );
    const otherVersion = await read.execute({
      streamId: 'bag-1',
      decider: versionTwo,
      command: (at) => ({ type: 'Add', item: 'new', at }),
      context,
      snapshotVersion: 2,
    });
    expect(otherVersion.state.count).toBe(21);
    expect(versionTwo.evolved).toBe(21); // folded from the stream, not from the snapshot

    // A snapshot that does not match the stream (a log restored from an older backup, a replaced stream)
    const snapshot = (await documents.get<Record<string, unknown>>(SNAPSHOT_COLLECTION, 'bag-1'))!;
    await documents.put(SNAPSHOT_COLLECTION, 'bag-1', {
      ...snapshot.data,
      eventId: '00000000-0000-4000-8000-000000000000',
      state: { items: {}, count: 999 },
    });
    const stale = bagDecider();
    const again = new CommandExecutor(
      events,
      serializer,
      { maxAttempts: 3, clock },
      new FoldedStreams(events, serializer, { snapshots: documents }),
    );
    const fromStream = await add(again, stale, 'newer');
    expect(fromStream.state.count).toBe(22);
  });

  it('folds the events of a closed stream that belong to this one first (a previous layout), and never writes there', async () => {
    const append = (streamId: string, item: string, revision: number | 'no_stream') =>
      events.appendToStream(streamId, [serializer.serialize({ type: 'Added', data: { item } }, meta(item))], revision);
    await append('old-bag', 'kept-1', 'no_stream');
    await append('old-bag', 'other', 0);
    await append('old-bag', 'kept-2', 1);
    const decider = bagDecider();
    const executor = new CommandExecutor(events, serializer, { maxAttempts: 3, clock }, new FoldedStreams(events, serializer));
    const prelude = { streamId: 'old-bag', includes: (e: StoredEvent) => String(e.data.item).startsWith('kept') };
    const first = await executor.execute({
      streamId: 'bag-2',
      decider,
      prelude,
      command: (at) => ({ type: 'Add', item: 'kept-1', at }),
      context,
    });
    expect(first.events).toEqual([]); // already there, through the prelude
    const second = await executor.execute({
      streamId: 'bag-2',
      decider,
      prelude,
      command: (at) => ({ type: 'Add', item: 'new', at }),
      context,
    });
    expect(second.state.items).toEqual({ 'kept-1': true, 'kept-2': true, new: true });
    expect(await events.readStream('old-bag')).toHaveLength(3);
    expect((await events.readStream('bag-2')).map((e) => e.data.item)).toEqual(['new']);
  });
});

function meta(_id: string) {
  return {
    eventId: randomUUID(),
    correlationId: 'c',
    causationId: 'c',
    userId: 'u',
    role: 'staff',
    recordedAt: '2026-11-16T08:00:00.000Z',
  };
}
