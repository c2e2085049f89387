import { Inject, Injectable } from '@nestjs/common';

import type { CommandContext } from '../commands/command-context';
import { Commands } from '../commands/stream-command';
import type { JobScheduler } from '../jobs/job-scheduler.port';
import type { ProjectedEvent } from '../projections/projection';
import { JOB_SCHEDULER } from '../tokens';
import type { CommandOutput, Workflow, WorkflowOutput } from './workflow';
import { WorkflowRunner } from './workflow-runner';

/**
 * Hosts the contexts' pure workflows on the runner: for each event, load the facts, decide, and carry out
 * the outputs in order (commands through the pipeline, jobs through the scheduler). A failure anywhere
 * makes the runner retry the event (outputs already carried out are idempotent).
 */
@Injectable()
export class WorkflowHost {
  constructor(
    private readonly runner: WorkflowRunner,
    private readonly commands: Commands,
    @Inject(JOB_SCHEDULER) private readonly jobs: JobScheduler,
  ) {}

  register<F>(workflow: Workflow<F>, facts: (event: ProjectedEvent) => Promise<F>): void {
    this.runner.register({
      name: workflow.name,
      eventTypes: [...workflow.eventTypes],
      handle: async (event) => {
        const outputs = workflow.decide(event, await facts(event));
        for (const output of outputs) await this.carryOut(workflow, output, event);
      },
      ...(workflow.batched ? { handleBatch: (events: ProjectedEvent[]) => this.handleBatch(workflow, facts, events) } : {}),
    });
  }

  /**
   * A batch of events (see Workflow.batched): decide each in order; the commands to one stream go as one
   * batch in the order decided, the streams in parallel (their appends meet in the event store's group
   * commit); then the jobs, in order. A failure fails the batch, which the runner hands over again: what
   * was already carried out is stored once (idempotency keys, deterministic job ids).
   */
  private async handleBatch<F>(
    workflow: Workflow<F>,
    facts: (event: ProjectedEvent) => Promise<F>,
    events: ProjectedEvent[],
  ): Promise<void> {
    const streams = new Map<string, { output: CommandOutput; items: { payload: Record<string, unknown>; context: CommandContext }[] }>();
    const jobs: { output: WorkflowOutput; event: ProjectedEvent }[] = [];
    for (const event of events) {
      for (const output of workflow.decide(event, await facts(event))) {
        if (output.kind !== 'command') {
          jobs.push({ output, event });
          continue;
        }
        const streamId = output.target.streamId(output.key);
        let stream = streams.get(streamId);
        if (!stream) streams.set(streamId, (stream = { output, items: [] }));
        stream.items.push({ payload: output.payload, context: this.contextOf(workflow, output, event) });
      }
    }
    await Promise.all([...streams.values()].map(({ output, items }) => this.commands.sendBatch(output.target, output.key, items as never)));
    for (const { output, event } of jobs) await this.carryOut(workflow, output, event);
  }

  private contextOf<F>(workflow: Workflow<F>, output: CommandOutput, event: ProjectedEvent): CommandContext {
    return {
      principal: { userId: workflow.actorId ?? workflow.name, role: 'system' },
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.eventId,
      idempotencyKey: output.idempotencyKey,
      familyId: output.target.familyId(output.key) ?? event.metadata.familyId,
      // time comes from the event: a redelivery decides the same
      now: event.metadata.recordedAt,
    };
  }

  private async carryOut<F>(workflow: Workflow<F>, output: WorkflowOutput, event: ProjectedEvent): Promise<void> {
    switch (output.kind) {
      case 'command': {
        await this.commands.send(output.target, output.key, output.payload as never, this.contextOf(workflow, output, event));
        return;
      }
      case 'schedule-job':
        await this.jobs.schedule(output.name, output.id, output.payload, { runAt: new Date(output.runAt) });
        return;
      case 'cancel-job':
        await this.jobs.cancel(output.name, output.id);
        return;
    }
  }
}
