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
});
