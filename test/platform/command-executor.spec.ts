import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SettableClock } from '../../src/platform/clock/clock';
import type { CommandContext } from '../../src/platform/commands/command-context';
import { CommandExecutor } from '../../src/platform/commands/command-executor';
import type { Decider, DomainEvent } from '../../src/platform/domain/decider';
import { DomainError } from '../../src/platform/domain/domain-error';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite-event-store';
import { EventSerializer } from '../../src/platform/events/event-serializer';

type Incremented = DomainEvent<'Incremented', { value: number; at: string }>;
type Increment = { type: 'Increment'; at: string; limit?: number };

/** A counter that refuses to pass its limit: enough to exercise every path of the pipeline. */
const counter: Decider<Increment, Incremented, number> = {
  initialState: () => 0,
  evolve: (state, event) => event.data.value,
  decide: (command, state) => {
    if (command.limit !== undefined && state >= command.limit) {
      throw new DomainError('LIMIT_REACHED', 'Limite atteinte.', 'conflict');
    }
    return [{ type: 'Incremented', data: { value: state + 1, at: command.at } }];
  },
};

const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
  principal: { userId: 'u-1', role: 'parent', familyId: 'fam-1' },
  correlationId: 'corr-1',
  ...overrides,
});

describe('CommandExecutor: read, decide, append with the expected revision', () => {
  let dir: string;
  let store: SqliteEventStore;
  let serializer: EventSerializer;
  // a clock that stands still: two racing copies of one command decide at the same instant
  const clock = new SettableClock('2026-11-28T08:00:00.000Z');
  const executor = (maxAttempts = 10) => new CommandExecutor(store, serializer, { maxAttempts, clock });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'executor-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    serializer = new EventSerializer().register([{ type: 'Incremented', version: 1, personalData: [] }]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends to a new stream and writes the metadata every event carries', async () => {
    const result = await executor().execute({
      streamId: 'counter-a',
      decider: counter,
      command: (at): Increment => ({ type: 'Increment', at }),
      context: context({ causationId: 'cause-9', now: '2026-11-28T08:00:00.000Z' }),
    });
    expect(result.revision).toBe(0);
    expect(result.state).toBe(1);
    const [stored] = await store.readStream('counter-a');
    expect(stored.data).toEqual({ value: 1, at: '2026-11-28T08:00:00.000Z' });
    expect(stored.metadata).toEqual({
      eventId: stored.id,
      correlationId: 'corr-1',
      causationId: 'cause-9',
      userId: 'u-1',
      role: 'parent',
      familyId: 'fam-1',
      recordedAt: '2026-11-28T08:00:00.000Z',
      schemaVersion: 1,
    });
  });

  it('loses no update when many commands race on one stream (conflicts are retried)', async () => {
    const n = 20;
    const results = await Promise.all(
      Array.from({ length: n }, () =>
        executor(50).execute({
          streamId: 'counter-b',
          decider: counter,
          command: (at): Increment => ({ type: 'Increment', at }),
          context: context(),
        }),
      ),
    );
    const values = (await store.readStream('counter-b')).map((e) => e.data.value);
    expect(values).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.revision)).size).toBe(n);
  });

  it('answers CONCURRENT_MODIFICATION (conflict) when the retries are exhausted', async () => {
    await store.appendToStream(
      'counter-c',
      [{ id: '00000000-0000-4000-8000-000000000001', type: 'Incremented', data: { value: 1, at: 'x' }, metadata: {} }],
      'no_stream',
    );
    // A store whose appends always lose the race.
    const losing = Object.create(store) as SqliteEventStore;
    losing.appendToStream = async (streamId, events) => {
      await store.appendToStream(
        streamId,
        events.map((e) => ({ ...e, id: crypto.randomUUID() })),
        'any',
      );
      return store.appendToStream(streamId, events, 0);
    };
    const error = await new CommandExecutor(losing, serializer, { maxAttempts: 3 })
      .execute({ streamId: 'counter-c', decider: counter, command: (at): Increment => ({ type: 'Increment', at }), context: context() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'CONCURRENT_MODIFICATION', kind: 'conflict' });
  });

  it('refuses with 412 semantics when If-Match does not match the stream revision, and writes nothing', async () => {
    await executor().execute({
      streamId: 'counter-d',
      decider: counter,
      command: (at): Increment => ({ type: 'Increment', at }),
      context: context(),
    });
    const error = await executor()
      .execute({
        streamId: 'counter-d',
        decider: counter,
        command: (at): Increment => ({ type: 'Increment', at }),
        context: context({ expectedRevision: 5 }),
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REVISION_MISMATCH', kind: 'precondition_failed' });
    expect(await store.readStream('counter-d')).toHaveLength(1);
    const ok = await executor().execute({
      streamId: 'counter-d',
      decider: counter,
      command: (at): Increment => ({ type: 'Increment', at }),
      context: context({ expectedRevision: 0 }),
    });
    expect(ok.revision).toBe(1);
  });

  it('writes nothing when the decider refuses', async () => {
    const error = await executor()
      .execute({
        streamId: 'counter-e',
        decider: counter,
        command: (at): Increment => ({ type: 'Increment', at, limit: 0 }),
        context: context(),
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LIMIT_REACHED' });
    expect(await store.readStream('counter-e')).toEqual([]);
  });

  it('has one effect for one idempotency key, sequentially and when two copies race', async () => {
    const run = () =>
      executor().execute({
        streamId: 'counter-f',
        decider: counter,
        command: (at): Increment => ({ type: 'Increment', at }),
        context: context({ idempotencyKey: 'key-0001' }),
      });
    const [a, b] = await Promise.all([run(), run()]);
    const c = await run();
    expect(await store.readStream('counter-f')).toHaveLength(1);
    expect(a.events).toEqual(b.events);
    expect(c.events.map((e) => e.data.value)).toEqual([1]);
    // Another key is another command.
    await executor().execute({
      streamId: 'counter-f',
      decider: counter,
      command: (at): Increment => ({ type: 'Increment', at }),
      context: context({ idempotencyKey: 'key-0002' }),
    });
    expect((await store.readStream('counter-f')).map((e) => e.data.value)).toEqual([1, 2]);
  });

  it('keeps folded states between commands and still sees what another process appended meanwhile', async () => {
    const mine = executor();
    const other = executor();
    const inc = (e: CommandExecutor) =>
      e.execute({ streamId: 'counter-g', decider: counter, command: (at): Increment => ({ type: 'Increment', at }), context: context() });
    expect((await inc(mine)).state).toBe(1);
    expect((await inc(other)).state).toBe(2);
    expect((await inc(mine)).state).toBe(3);
    await store.appendToStream(
      'counter-g',
      [{ id: '00000000-0000-4000-8000-0000000000aa', type: 'Incremented', data: { value: 10, at: 'x' }, metadata: {} }],
      'any',
    );
    expect((await inc(mine)).state).toBe(11);
    expect((await store.readStream('counter-g')).map((e) => e.data.value)).toEqual([1, 2, 3, 10, 11]);
  });

  describe('executeMany: several commands on one stream, one append', () => {
    /** The counter with an in-place fold over an object state: a failed batch must not leave its events in the kept state. */
    type Box = { value: number };
    const boxed: Decider<Increment, Incremented, Box> = {
      initialState: () => ({ value: 0 }),
      evolve: (state, event) => ({ value: event.data.value }),
      evolveInPlace: (state, event) => {
        state.value = event.data.value;
        return state;
      },
      decide: (command, state) => counter.decide(command, state.value) as Incremented[],
    };
    const items = (keys: string[], limit?: number) =>
      keys.map((key) => ({
        command: (at: string): Increment => ({ type: 'Increment', at, ...(limit === undefined ? {} : { limit }) }),
        context: context({ idempotencyKey: key }),
      }));

    it('decides each command on the state the previous ones left and stores them all in one append', async () => {
      const before = store.groupCommitStats.commits;
      const result = await executor().executeMany({ streamId: 'many', decider: boxed, items: items(['k1', 'k2', 'k3']) });
      expect(result).toMatchObject({ decided: 3, appended: 3, revision: 2 });
      expect(store.groupCommitStats.commits - before).toBe(1);
      const stored = await store.readStream('many');
      expect(stored.map((e) => e.data.value)).toEqual([1, 2, 3]);
      expect(stored.map((e) => e.metadata.idempotencyKey)).toEqual(['k1', 'k2', 'k3']);
      // the same keys again (a redelivered batch) are skipped; a new one is decided on the kept state
      const again = await executor().executeMany({ streamId: 'many', decider: boxed, items: items(['k2', 'k4']) });
      expect(again).toMatchObject({ decided: 1, appended: 1, revision: 3 });
      expect((await store.readStream('many')).map((e) => e.data.value)).toEqual([1, 2, 3, 4]);
    });

    it('decides the whole batch again after a conflict, on the new state', async () => {
      // another process appends between the batch's read and its append, once
      let raced = false;
      const racing = new Proxy(store, {
        get(target, property, receiver) {
          if (property !== 'appendToStream') return Reflect.get(target, property, receiver) as unknown;
          return async (...args: Parameters<SqliteEventStore['appendToStream']>) => {
            if (!raced && args[0] === 'raced' && args[1].length === 2) {
              raced = true;
              const foreign = {
                id: '00000000-0000-4000-8000-000000000001',
                type: 'Incremented',
                data: { value: 2, at: 'x' },
                metadata: {},
              };
              await target.appendToStream('raced', [foreign], 0);
            }
            return target.appendToStream(...args);
          };
        },
      });
      const retries: number[] = [];
      const exec = new CommandExecutor(racing, serializer, {
        maxAttempts: 5,
        clock,
        onConflictRetry: (_s, attempt) => retries.push(attempt),
      });
      await exec.executeMany({ streamId: 'raced', decider: boxed, items: items(['a']) });
      const result = await exec.executeMany({ streamId: 'raced', decider: boxed, items: items(['b', 'c']) });
      expect(raced).toBe(true);
      expect(retries).toEqual([1]);
      expect(result).toMatchObject({ decided: 2, appended: 2, revision: 3 });
      expect((await store.readStream('raced')).map((e) => e.data.value)).toEqual([1, 2, 3, 4]);
    });

    it('stores nothing when one command of the batch is refused, and keeps the state as stored', async () => {
      const exec = executor();
      await exec.executeMany({ streamId: 'limited', decider: boxed, items: items(['a']) });
      // the second command of this batch passes the limit of 2: the batch fails whole
      await expect(exec.executeMany({ streamId: 'limited', decider: boxed, items: items(['b', 'c'], 2) })).rejects.toMatchObject({
        code: 'LIMIT_REACHED',
      });
      expect(await store.readStream('limited')).toHaveLength(1);
      // the kept state was evolved in place by the failed batch: it is read again, not trusted
      const next = await exec.executeMany({ streamId: 'limited', decider: boxed, items: items(['d'], 2) });
      expect(next).toMatchObject({ decided: 1, appended: 1, revision: 1 });
      expect((await store.readStream('limited')).map((e) => e.data.value)).toEqual([1, 2]);
    });
  });
});
