/**
 * Workflows (process managers) react to events with commands and jobs: the place allocator turns a
 * family's ReservationRequested into an allocation decision on the activity-day's stream, a closure closes
 * the days it covers, an offer schedules its expiry…
 *
 * A workflow is written as a pure decision, `decide(event, facts) → outputs`, tested given/when/then
 * (emmett's WorkflowSpecification): the facts it needs (the catalog, the calendar…) are loaded for it, and
 * time is taken from the event (its metadata's `recordedAt`), never from a clock, so a redelivered event
 * decides the same outputs. The platform runs the outputs: commands through the command pipeline (with
 * the output's idempotency key, so a redelivery stores nothing new) and jobs through the JobScheduler
 * (deterministic ids, so a redelivery schedules nothing new).
 *
 * No framework here: `*.workflow.ts` files are domain files.
 */
import type { CommandMeta, CommandTarget, WithoutMeta } from '../domain/command-target';
import type { DomainEvent } from '../domain/decider';
import type { ProjectedEvent } from '../projections/projection';

/** A command for the stream of `target` named by `key`, stored once per idempotency key. */
export interface CommandOutput {
  kind: 'command';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- outputs of one decision go to streams of different types
  target: CommandTarget<any, any, DomainEvent, any, any>;
  key: unknown;
  payload: Record<string, unknown> & { type: string };
  idempotencyKey: string;
}

/** A job to run at an instant, under a deterministic id (scheduled once). */
export interface ScheduleJobOutput {
  kind: 'schedule-job';
  name: string;
  id: string;
  payload: Record<string, unknown>;
  /** ISO instant */
  runAt: string;
}

/** A scheduled job that is no longer wanted. */
export interface CancelJobOutput {
  kind: 'cancel-job';
  name: string;
  id: string;
}

export type WorkflowOutput = CommandOutput | ScheduleJobOutput | CancelJobOutput;

/** The command `payload` for the stream of `target` named by `key`, stored once per `idempotencyKey`. */
export function sendCommand<K, C extends CommandMeta, E extends DomainEvent, S, F extends PropertyKey>(
  target: CommandTarget<K, C, E, S, F>,
  key: K,
  payload: WithoutMeta<C, F>,
  idempotencyKey: string,
): CommandOutput {
  return { kind: 'command', target, key, payload: payload as unknown as CommandOutput['payload'], idempotencyKey };
}

export function scheduleJob(name: string, id: string, payload: Record<string, unknown>, runAt: string): ScheduleJobOutput {
  return { kind: 'schedule-job', name, id, payload, runAt };
}

export function cancelJob(name: string, id: string): CancelJobOutput {
  return { kind: 'cancel-job', name, id };
}

/** A workflow as a pure decision. `F` is what it needs to know besides the event (loaded for it). */
export interface Workflow<F = undefined> {
  /** stable name: its checkpoint is kept under it */
  readonly name: string;
  /** the userId its commands are sent as (role 'system'); default: the name */
  readonly actorId?: string;
  /** the event types it reacts to (others are skipped) */
  readonly eventTypes: readonly string[];
  /**
   * Decide in batches: the runner hands the host every event the workflow wants that is already in the log
   * (up to a bound), the host decides each in order, then sends the commands of the batch that go to one
   * stream as ONE batch (one read, one append), the streams in parallel, then the jobs in order, and the
   * checkpoint moves once per batch. Only for a workflow whose commands depend on the order of its events
   * within one target stream, not across streams (the allocator: each activity-day is independent).
   */
  readonly batched?: boolean;
  decide(event: ProjectedEvent, facts: F): WorkflowOutput[];
}

/**
 * A workflow as the runner drives it: events in commit order, at least once, from a checkpoint. `handle`
 * must be idempotent. Contexts write pure Workflows; the platform's workflow host turns them into these.
 */
export interface WorkflowDefinition {
  name: string;
  eventTypes: string[];
  handle(event: ProjectedEvent): Promise<void>;
  /** When present, the runner hands over events in batches (in commit order) and checkpoints once per batch. */
  handleBatch?(events: ProjectedEvent[]): Promise<void>;
}
