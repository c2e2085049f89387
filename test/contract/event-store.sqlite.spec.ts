import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { StoredEvent, WrongExpectedRevisionError } from '../../src/platform/event-store/event-store.port';
import { DuplicateEventIdError, SqliteEventStore } from '../../src/platform/event-store/sqlite-event-store';
import Database from '../../src/platform/sqlite/sqlite-driver';
import { sleep, waitFor } from '../support/wait-for';
import { eventStoreContract } from './event-store.contract';

const directories: string[] = [];

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'event-store-'));
  directories.push(dir);
  return join(dir, 'events.db');
}

afterAll(() => {
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

eventStoreContract('SQLite', async () => {
  const store = new SqliteEventStore(tempFile());
  return { store, cleanup: () => store.close() };
});

describe('SqliteEventStore specifics', () => {
  const event = (type = 'Test') => ({ id: randomUUID(), type, data: {}, metadata: {} });

  it('numbers positions from 1 in commit order, and reports 0 as the head of an empty store', async () => {
    const store = new SqliteEventStore(tempFile());
    try {
      expect(await store.headPosition()).toBe(0);
      expect((await store.appendToStream('a', [event(), event()], 'no_stream')).position).toBe(2);
      expect((await store.appendToStream('b', [event()], 'no_stream')).position).toBe(3);
      expect((await store.readAll()).map((e) => e.position)).toEqual([1, 2, 3]);
    } finally {
      await store.close();
    }
  });

  it('returns the original result to a retried batch', async () => {
    const store = new SqliteEventStore(tempFile());
    try {
      const batch = [event(), event()];
      const first = await store.appendToStream('s', batch, 'no_stream');
      await store.appendToStream('s', [event()], 1);
      expect(await store.appendToStream('s', batch, 'no_stream')).toEqual(first);
      expect(await store.appendToStream('s', batch, 'any')).toEqual(first);
      expect(await store.readStream('s')).toHaveLength(3);
    } finally {
      await store.close();
    }
  });

  it('refuses event ids already stored in another stream, storing nothing', async () => {
    const store = new SqliteEventStore(tempFile());
    try {
      const shared = event();
      await store.appendToStream('a', [shared], 'no_stream');
      await expect(store.appendToStream('b', [event(), shared], 'no_stream')).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(store.appendToStream('a', [shared], 'any')).resolves.toEqual({ nextExpectedRevision: 0, position: 1 });
      expect(await store.readStream('b')).toEqual([]);
      expect(await store.headPosition()).toBe(1);
      const duplicateInBatch = event();
      await expect(store.appendToStream('c', [duplicateInBatch, duplicateInBatch], 'no_stream')).rejects.toThrow(/unique/);
    } finally {
      await store.close();
    }
  });

  describe('group commit', () => {
    it('writes 100 concurrent appends to different streams in far fewer than 100 transactions, each answered as stored', async () => {
      const store = new SqliteEventStore(tempFile());
      try {
        const before = store.groupCommitStats.commits;
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) => store.appendToStream(`group-${i}`, [event(), event()], 'no_stream')),
        );
        const transactions = store.groupCommitStats.commits - before;
        expect(transactions).toBeGreaterThanOrEqual(1);
        expect(transactions).toBeLessThanOrEqual(5);
        // every append got its own revisions and the positions of its own events, in queue order
        expect(results.map((r) => r.nextExpectedRevision)).toEqual(Array.from({ length: 100 }, () => 1));
        expect(results.map((r) => r.position)).toEqual(Array.from({ length: 100 }, (_, i) => 2 * i + 2));
        expect(await store.headPosition()).toBe(200);
        for (const [i, result] of results.entries()) {
          expect((await store.readStream(`group-${i}`)).map((e) => e.position)).toEqual([result.position - 1, result.position]);
        }
      } finally {
        await store.close();
      }
    });

    it('fails a conflicting append of a group alone: the others of the same transaction are stored', async () => {
      const store = new SqliteEventStore(tempFile());
      try {
        await store.appendToStream('taken', [event()], 'no_stream');
        await store.appendToStream('dup-source', [event()], 'no_stream');
        const [stored] = await store.readStream('dup-source');
        const before = store.groupCommitStats.commits;
        const outcomes = await Promise.allSettled([
          store.appendToStream('first', [event()], 'no_stream'),
          store.appendToStream('taken', [event()], 'no_stream'), // wrong expected revision
          store.appendToStream('second', [event(), event()], 'no_stream'),
          store.appendToStream('dup', [event(), { ...event(), id: stored.id }], 'no_stream'), // second event's id is taken
          store.appendToStream('first', [event()], 0), // sees the first append of the same group
          store.appendToStream('third', [event()], 'no_stream'),
        ]);
        expect(store.groupCommitStats.commits - before).toBe(1);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
        expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
        // the failed appends stored nothing (not even the first event of 'dup'), the others everything
        expect(await store.readStream('taken')).toHaveLength(1);
        expect(await store.readStream('dup')).toEqual([]);
        expect((await store.readStream('first')).map((e) => e.revision)).toEqual([0, 1]);
        expect(await store.readStream('second')).toHaveLength(2);
        expect(await store.readStream('third')).toHaveLength(1);
        expect((await store.readAll()).map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      } finally {
        await store.close();
      }
    });

    it('answers an append only after its group is committed: a failed COMMIT rejects the whole group', async () => {
      const file = tempFile();
      const store = new SqliteEventStore(file, { pollIntervalMs: 60_000 });
      // another connection holds the write lock: BEGIN IMMEDIATE of the group times out (busy_timeout shortened)
      const other = new Database(file);
      try {
        (store as unknown as { db: Database.Database }).db.pragma('busy_timeout = 50');
        other.exec('BEGIN IMMEDIATE');
        const outcomes = await Promise.allSettled([
          store.appendToStream('a', [event()], 'no_stream'),
          store.appendToStream('b', [event()], 'no_stream'),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
        other.exec('ROLLBACK');
        expect(await store.headPosition()).toBe(0);
        await expect(store.appendToStream('a', [event()], 'no_stream')).resolves.toEqual({ nextExpectedRevision: 0, position: 1 });
      } finally {
        other.close();
        await store.close();
      }
    });

    it('commits the appends still queued when the store is closed', async () => {
      const file = tempFile();
      const store = new SqliteEventStore(file);
      const pending = store.appendToStream('s', [event()], 'no_stream');
      await store.close();
      await expect(pending).resolves.toEqual({ nextExpectedRevision: 0, position: 1 });
      const reopened = new SqliteEventStore(file);
      try {
        expect(await reopened.readStream('s')).toHaveLength(1);
      } finally {
        await reopened.close();
      }
    });
  });

  it('keeps events across a reopen', async () => {
    const file = tempFile();
    const first = new SqliteEventStore(file);
    await first.appendToStream('s', [event(), event()], 'no_stream');
    await first.close();
    const second = new SqliteEventStore(file);
    try {
      expect((await second.readStream('s')).map((e) => e.revision)).toEqual([0, 1]);
      expect((await second.appendToStream('s', [event()], 1)).position).toBe(3);
    } finally {
      await second.close();
    }
  });

  it('wakes a subscription at once on an append through another instance on the same file', async () => {
    const file = tempFile();
    // a poll interval far longer than the wait below: only the in-process notification can deliver in time
    const reader = new SqliteEventStore(file, { pollIntervalMs: 60_000 });
    // another spelling of the same file: the notifier is keyed by the resolved path
    const writer = new SqliteEventStore(relative(process.cwd(), file));
    const received: StoredEvent[] = [];
    let caughtUp = false;
    const subscription = reader.subscribeToAll({
      onEvent: async (e) => {
        received.push(e);
      },
      onCaughtUp: () => (caughtUp = true),
    });
    try {
      await waitFor(() => caughtUp);
      await sleep(20);
      await writer.appendToStream('s', [event()], 'no_stream');
      await waitFor(() => received.length === 1, { timeoutMs: 1000 });
    } finally {
      await subscription.stop();
      await writer.close();
      await reader.close();
    }
  });

  it('sees writes from another process by polling', async () => {
    const file = tempFile();
    const store = new SqliteEventStore(file, { pollIntervalMs: 30 });
    const received: StoredEvent[] = [];
    let caughtUp = false;
    const subscription = store.subscribeToAll({
      onEvent: async (e) => {
        received.push(e);
      },
      onCaughtUp: () => (caughtUp = true),
    });
    // a raw connection stands for another process: it does not go through the in-process notifier
    const foreign = new Database(file);
    try {
      await waitFor(() => caughtUp);
      foreign
        .prepare(
          "INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, 'x', 0, 'Foreign', '{}', '{}', ?)",
        )
        .run(randomUUID(), new Date().toISOString());
      await waitFor(() => received.length === 1, { timeoutMs: 2000 });
      expect(received[0].type).toBe('Foreign');
    } finally {
      foreign.close();
      await subscription.stop();
      await store.close();
    }
  });

  it('catches up over several pages in order', async () => {
    const store = new SqliteEventStore(tempFile());
    try {
      for (let i = 0; i < 6; i++) {
        await store.appendToStream(
          `s-${i}`,
          Array.from({ length: 200 }, () => event()),
          'no_stream',
        );
      }
      const positions: number[] = [];
      const subscription = store.subscribeToAll({
        fromPosition: 7,
        onEvent: async (e) => {
          positions.push(e.position);
        },
      });
      await waitFor(() => positions.length === 1193);
      await subscription.stop();
      expect(positions).toEqual(Array.from({ length: 1193 }, (_, i) => i + 8));
    } finally {
      await store.close();
    }
  });

  it('keeps resubscribing while a handler fails, and close() stops its subscriptions', async () => {
    const store = new SqliteEventStore(tempFile());
    const attempts: number[] = [];
    try {
      store.subscribeToAll({
        fromPosition: 0,
        backoff: { initialMs: 5, maxMs: 20 },
        onEvent: async () => {
          throw new Error('always');
        },
        onDropped: (_e, attempt) => attempts.push(attempt),
      });
      await store.appendToStream('s', [event()], 'no_stream');
      await waitFor(() => attempts.length >= 5);
      expect(attempts.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await store.close();
    }
    const count = attempts.length;
    await sleep(60);
    expect(attempts.length).toBe(count);
  });

  it('drops when a read fails and recovers once the database is readable again', async () => {
    const file = tempFile();
    const store = new SqliteEventStore(file, { pollIntervalMs: 10 });
    const received: StoredEvent[] = [];
    const errors: unknown[] = [];
    const subscription = store.subscribeToAll({
      backoff: { initialMs: 10, maxMs: 40 },
      onEvent: async (e) => {
        received.push(e);
      },
      onDropped: (error) => errors.push(error),
    });
    const admin = new Database(file);
    try {
      await store.appendToStream('s', [event()], 'no_stream');
      await waitFor(() => received.length === 1);
      // another process breaks the schema for a while (stands for any read failure)
      admin.exec('ALTER TABLE events RENAME TO events_away');
      await waitFor(() => errors.length >= 2, { message: 'read failures reported' });
      admin.exec('ALTER TABLE events_away RENAME TO events');
      await store.appendToStream('s', [event()], 0);
      await waitFor(() => received.length === 2, { message: 'delivery after recovery' });
      expect(received.map((e) => e.revision)).toEqual([0, 1]);
    } finally {
      admin.close();
      await subscription.stop();
      await store.close();
    }
  });
});
