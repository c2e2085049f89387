import { Inject, Injectable } from '@nestjs/common';

import type { CommandContext } from '../commands/command-context';
import { Commands } from '../commands/stream-command';
import type { JobScheduler } from '../jobs/job-scheduler.port';
import type { ProjectedEvent } from '../projections/projection';
import { JOB_SCHEDULER } from '../tokens';
import type { Workflow, WorkflowOutput } from './workflow';
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
    });
  }

  private async carryOut<F>(workflow: Workflow<F>, output: WorkflowOutput, event: ProjectedEvent): Promise<void> {
    switch (output.kind) {
      case 'command': {
        const context: CommandContext = {
          principal: { userId: workflow.actorId ?? workflow.name, role: 'system' },
          correlationId: event.metadata.correlationId,
          causationId: event.metadata.eventId,
          idempotencyKey: output.idempotencyKey,
          familyId: output.target.familyId(output.key) ?? event.metadata.familyId,
          // time comes from the event: a redelivery decides the same
          now: event.metadata.recordedAt,
        };
        await this.commands.send(output.target, output.key, output.payload as never, context);
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
