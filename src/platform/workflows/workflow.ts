import type { ProjectedEvent } from '../projections/projection';

/**
 * A workflow (process manager) reacts to events with commands or jobs: e.g. the place allocator turns a
 * family's ReservationRequested into an allocation decision on the activity-day's stream.
 * The runner delivers events in commit order, at least once, from a checkpoint: `handle` must be
 * idempotent (pass `idempotencyKey` to the commands it sends: the event ids then derive from it and a
 * redelivered event changes nothing).
 */
export interface WorkflowDefinition {
  name: string;
  eventTypes: string[];
  handle(event: ProjectedEvent): Promise<void>;
}
