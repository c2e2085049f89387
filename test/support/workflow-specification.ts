/**
 * Given / when / then for pure workflows (after emmett's WorkflowSpecification):
 *
 *   WorkflowSpecification.for(workflow).given(facts).when(event).then([expected outputs]);
 *
 * `projected(type, data, at)` builds the event as the runner delivers it.
 */
import type { EventMetadata, ProjectedEvent } from '../../src/platform/projections/projection';
import type { Workflow, WorkflowOutput } from '../../src/platform/workflows/workflow';

export interface ProjectedOptions {
  streamId?: string;
  position?: number;
  revision?: number;
  eventId?: string;
  /** the instant the command was accepted (metadata.recordedAt): workflows take their time from it */
  recordedAt?: string;
  metadata?: Partial<EventMetadata>;
}

export function projected(type: string, data: Record<string, unknown>, options: ProjectedOptions = {}): ProjectedEvent {
  const recordedAt = options.recordedAt ?? '2026-04-01T08:00:00.000Z';
  const eventId = options.eventId ?? 'ev-1';
  return {
    type,
    data,
    streamId: options.streamId ?? 'stream-1',
    revision: options.revision ?? 0,
    position: options.position ?? 1,
    recordedAt,
    metadata: {
      eventId,
      correlationId: `corr-${eventId}`,
      causationId: `corr-${eventId}`,
      userId: 'someone',
      role: 'parent',
      recordedAt,
      ...options.metadata,
    },
  };
}

export class WorkflowSpecification<F> {
  private constructor(private readonly workflow: Workflow<F>) {}

  static for<F>(workflow: Workflow<F>): WorkflowSpecification<F> {
    return new WorkflowSpecification(workflow);
  }

  given(facts: F): { when(event: ProjectedEvent): { then(expected: WorkflowOutput[]): void; outputs(): WorkflowOutput[] } } {
    return {
      when: (event) => {
        const outputs = () => {
          if (!this.workflow.eventTypes.includes(event.type)) return [];
          return this.workflow.decide(event, facts);
        };
        return {
          then: (expected) => expect(outputs()).toEqual(expected),
          outputs,
        };
      },
    };
  }
}
