import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CommandExecutor } from '../../src/platform/commands/command-executor';
import { SqliteDocumentStore } from '../../src/platform/document-store/sqlite-document-store';
import type { Decider, DomainEvent } from '../../src/platform/domain/decider';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite-event-store';
import { EventSerializer } from '../../src/platform/events/event-serializer';
import type { ProjectedEvent } from '../../src/platform/projections/projection';
import type { WorkflowDefinition } from '../../src/platform/workflows/workflow';
import { WorkflowRunner } from '../../src/platform/workflows/workflow-runner';
import { waitFor } from '../support/wait-for';

type Counted = DomainEvent<'Counted', { source: string }>;
const tally: Decider<{ source: string }, Counted, number> = {
  initialState: () => 0,
  evolve: (n) => n + 1,
  decide: (command) => [{ type: 'Counted', data: { source: command.source } }],
};

describe('WorkflowRunner: at least once, in order, from a checkpoint', () => {
  let dir: string;
  let events: SqliteEventStore;
  let documents: SqliteDocumentStore;
  const serializer = new EventSerializer().register([
    { type: 'Happened', version: 1, personalData: [] },
    { type: 'Other', version: 1, personalData: [] },
    { type: 'Counted', version: 1, personalData: [] },
  ]);
  const runners: WorkflowRunner[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'workflow-'));
    events = new SqliteEventStore(join(dir, 'events.sqlite'));
    documents = new SqliteDocumentStore(join(dir, 'documents.sqlite'));
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await events.close();
    await documents.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A workflow that counts each Happened event on a tally stream, idempotently (key = the event id). */
  function counting(onHandle?: (e: ProjectedEvent) => void): WorkflowDefinition {
    const executor = new CommandExecutor(events, serializer, { maxAttempts: 5 });
    return {
      name: 'tally',
      eventTypes: ['Happened'],
      handle: async (event) => {
        onHandle?.(event);
        await executor.execute({
          streamId: 'tally',
          decider: tally,
          command: () => ({ source: event.metadata.eventId }),
          context: {
            principal: { userId: 'workflow', role: 'system' },
            correlationId: event.metadata.correlationId,
            idempotencyKey: `tally:${event.metadata.eventId}`,
          },
        });
      },
    };
  }
  /** The same tally, decided in batches: one executeMany (one append) per batch the runner hands over. */
  function countingInBatches(onBatch?: (batch: ProjectedEvent[]) => void): WorkflowDefinition {
    const executor = new CommandExecutor(events, serializer, { maxAttempts: 5 });
    return {
      ...counting(),
      handleBatch: async (batch) => {
        onBatch?.(batch);
        await executor.executeMany({
          streamId: 'tally',
          decider: tally,
          items: batch.map((event) => ({
            command: () => ({ source: event.metadata.eventId }),
            context: {
              principal: { userId: 'workflow', role: 'system' },
              correlationId: event.metadata.correlationId,
              idempotencyKey: `tally:${event.metadata.eventId}`,
            },
          })),
        });
      },
    };
  }
  const happen = async (type = 'Happened') => {
    const id = randomUUID();
    await events.appendToStream(`s-${id}`, [{ id, type, data: {}, metadata: { eventId: id, correlationId: id } }], 'no_stream');
  };
  const counted = async () => (await events.readStream('tally')).length;

  it('handles every wanted event once, in commit order, and follows live appends', async () => {
    for (let i = 0; i < 5; i++) await happen();
    for (let i = 0; i < 600; i++) await happen('Other');
    const seen: number[] = [];
    const runner = new WorkflowRunner(events, documents, serializer).register(counting((e) => seen.push(e.position)));
    runners.push(runner);
    await runner.start();
    await happen();
    await runner.waitForPosition(await events.headPosition());
    expect(await counted()).toBe(6);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const [status] = await runner.statuses();
    expect(status.lastError).toBeUndefined();
  });

  it('retries an event whose handler fails, without skipping it or the next ones', async () => {
    await happen();
    await happen();
    let failures = 2;
    const runner = new WorkflowRunner(events, documents, serializer).register(
      counting(() => {
        if (failures-- > 0) throw new Error('store unavailable');
      }),
    );
    runners.push(runner);
    await runner.start();
    await waitFor(async () => (await counted()) === 2, { timeoutMs: 5000 });
  });

  it('after a crash between a handler and its checkpoint, the redelivered event changes nothing', async () => {
    await happen();
    const first = new WorkflowRunner(events, documents, serializer).register(counting());
    runners.push(first);
    await first.start();
    await first.waitForPosition(await events.headPosition());
    await first.stop();
    // The crash: the handler's effect is stored, its checkpoint is not (a store that never saw it).
    const fresh = new SqliteDocumentStore(join(dir, 'documents-2.sqlite'));
    const second = new WorkflowRunner(events, fresh, serializer).register(counting());
    runners.push(second);
    await second.start();
    await second.waitForPosition(await events.headPosition());
    expect(await counted()).toBe(1);
    await second.stop();
    await fresh.close();
  });

  describe('in batches (handleBatch)', () => {
    it('hands over the backlog in batches, in commit order, with one append per batch and the checkpoint past the last', async () => {
      for (let i = 0; i < 1200; i++) await happen(i % 3 === 2 ? 'Other' : 'Happened');
      const batches: number[][] = [];
      const commitsBefore = events.groupCommitStats.commits;
      const runner = new WorkflowRunner(events, documents, serializer).register(
        countingInBatches((batch) => batches.push(batch.map((e) => e.position))),
      );
      runners.push(runner);
      await runner.start();
      await runner.waitForPosition(await events.headPosition());
      const positions = batches.flat();
      expect(positions).toHaveLength(800);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      // far fewer batches than events (the limit is 500 events a batch)
      expect(batches.length).toBeLessThanOrEqual(3);
      const tallied = await events.readStream('tally');
      expect(tallied).toHaveLength(800);
      // one append (one transaction of the event store) per batch
      expect(events.groupCommitStats.commits - commitsBefore).toBe(batches.length);
      // the checkpoint moved past the last batch (the events before it were all handed over)
      expect(await documents.getCheckpoint('workflow_tally')).toBeGreaterThanOrEqual(1200);
    });

    it('follows live appends, and tries a failed batch again whole until it passes, storing each decision once', async () => {
      const runner = new WorkflowRunner(events, documents, serializer);
      let failures = 2;
      const batches: number[] = [];
      runner.register(
        countingInBatches((batch) => {
          batches.push(batch.length);
          if (batch.length === 3 && failures-- > 0) throw new Error('store unavailable');
        }),
      );
      runners.push(runner);
      await runner.start();
      await happen();
      await waitFor(async () => (await counted()) === 1);
      // three appends in one turn: one group commit, so the runner finds them together
      const id = () => randomUUID();
      await Promise.all(
        [id(), id(), id()].map((eventId) =>
          events.appendToStream(
            `s-${eventId}`,
            [{ id: eventId, type: 'Happened', data: {}, metadata: { eventId, correlationId: eventId } }],
            'no_stream',
          ),
        ),
      );
      await waitFor(async () => (await counted()) === 4, { timeoutMs: 5000 });
      expect(batches).toEqual([1, 3, 3, 3]);
      const [status] = await runner.statuses();
      expect(status.lastError).toBeUndefined();
    });
  });
});
