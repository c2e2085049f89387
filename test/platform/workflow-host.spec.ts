/**
 * WorkflowHost for a batched workflow: the commands a batch decides go to their streams as one batch per
 * stream, in the order decided, and the streams are sent in parallel (so that their appends meet in one group
 * commit on SQLite, and run concurrently on EventStoreDB), then the jobs in order.
 */
import type { CommandContext } from '../../src/platform/commands/command-context';
import type { Commands } from '../../src/platform/commands/stream-command';
import { type CommandMeta, commandTarget } from '../../src/platform/domain/command-target';
import type { Decider, DomainEvent } from '../../src/platform/domain/decider';
import type { JobScheduler } from '../../src/platform/jobs/job-scheduler.port';
import type { ProjectedEvent } from '../../src/platform/projections/projection';
import type { WorkflowDefinition } from '../../src/platform/workflows/workflow';
import { scheduleJob, sendCommand, type Workflow } from '../../src/platform/workflows/workflow';
import { WorkflowHost } from '../../src/platform/workflows/workflow-host';
import type { WorkflowRunner } from '../../src/platform/workflows/workflow-runner';
import { projected } from '../support/workflow-specification';

type Noted = DomainEvent<'Noted', { note: string }>;
type Note = CommandMeta & { type: 'Note'; note: string };
const notes: Decider<Note, Noted, number> = {
  initialState: () => 0,
  evolve: (n) => n + 1,
  decide: (command) => [{ type: 'Noted', data: { note: command.note } }],
};
const board = commandTarget({ category: 'board', decider: notes, streamId: (day: string) => `board-${day}` });

const workflow: Workflow<undefined> = {
  name: 'noting',
  eventTypes: ['Asked'],
  batched: true,
  decide: (event) => {
    const { day, note } = event.data as { day: string; note: string };
    return [
      sendCommand(board, day, { type: 'Note', note }, `noting:${event.metadata.eventId}`),
      scheduleJob('remind', `remind-${event.metadata.eventId}`, {}, '2026-04-02T08:00:00.000Z'),
    ];
  },
};

describe('WorkflowHost: a batched workflow', () => {
  it('sends one batch per stream in the order decided, the streams in parallel, then the jobs in order', async () => {
    const batches: { streamId: string; notes: string[]; keys: (string | undefined)[] }[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const release: (() => void)[] = [];
    const commands = {
      sendBatch: async (target: typeof board, key: string, items: { payload: { note: string }; context: CommandContext }[]) => {
        batches.push({
          streamId: target.streamId(key),
          notes: items.map((i) => i.payload.note),
          keys: items.map((i) => i.context.idempotencyKey),
        });
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        // every stream's batch waits until both are in flight: parallel, or this never resolves
        await new Promise<void>((resolve) => {
          release.push(resolve);
          if (release.length === 2) release.forEach((r) => r());
        });
        inFlight -= 1;
        return { decided: items.length, appended: items.length, revision: 0 };
      },
    } as unknown as Commands;
    const jobs: string[] = [];
    const scheduler = {
      schedule: async (_name: string, id: string) => {
        jobs.push(id);
      },
      cancel: async () => undefined,
    } as unknown as JobScheduler;
    let definition: WorkflowDefinition | undefined;
    const runner = { register: (d: WorkflowDefinition) => (definition = d) } as unknown as WorkflowRunner;

    new WorkflowHost(runner, commands, scheduler).register(workflow, async () => undefined);
    const asked = (eventId: string, day: string, note: string): ProjectedEvent => projected('Asked', { day, note }, { eventId });
    await definition!.handleBatch!([asked('e1', 'mon', 'a'), asked('e2', 'tue', 'b'), asked('e3', 'mon', 'c')]);

    expect(batches).toEqual([
      { streamId: 'board-mon', notes: ['a', 'c'], keys: ['noting:e1', 'noting:e3'] },
      { streamId: 'board-tue', notes: ['b'], keys: ['noting:e2'] },
    ]);
    expect(mostInFlight).toBe(2);
    expect(jobs).toEqual(['remind-e1', 'remind-e2', 'remind-e3']);
  });
});
