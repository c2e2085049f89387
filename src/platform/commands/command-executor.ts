import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { Decider, DomainEvent, fold } from '../domain/decider';
import { DomainError } from '../domain/domain-error';
import { EventStore, WrongExpectedRevisionError } from '../event-store/event-store.port';
import { EventSerializer } from '../events/event-serializer';
import type { EventMetadata } from '../projections/projection';
import type { CommandContext } from './command-context';

/** Namespace for event ids derived from an idempotency key (any fixed UUID works; never change it). */
const IDEMPOTENT_EVENT_NAMESPACE = '6f1c1a8e-6c1b-4d8e-9a63-2d6f0f2f4b17';

export interface ExecuteRequest<C, E extends DomainEvent, S> {
  streamId: string;
  decider: Decider<C, E, S>;
  /** built from the instant the command is accepted (time comes in with the command, deciders read no clock) */
  command: (now: string) => C;
  context: CommandContext;
}

export interface ExecuteResult<E, S> {
  events: E[];
  state: S;
  /** stream revision after the command (-1: the stream still does not exist) */
  revision: number;
  /** global position of the last event appended (undefined when nothing was appended) */
  position?: number;
}

export interface CommandExecutorOptions {
  /** attempts of the whole read-decide-append step on a concurrency conflict */
  maxAttempts: number;
  clock?: () => Date;
  onConflictRetry?: (streamId: string, attempt: number) => void;
}

/**
 * Runs one command: read the stream, fold the state, decide, append with the revision read.
 * A concurrent append to the same stream makes the append fail; the whole step is retried a bounded
 * number of times (the decision is taken again on the new state), then answered as 409.
 */
export class CommandExecutor {
  constructor(
    private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly options: CommandExecutorOptions,
  ) {}

  async execute<C, E extends DomainEvent, S>(request: ExecuteRequest<C, E, S>): Promise<ExecuteResult<E, S>> {
    const { streamId, decider, context } = request;
    const now = context.now ?? (this.options.clock ?? (() => new Date()))().toISOString();
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store.readStream(streamId);
      const revision = stored.length === 0 ? -1 : stored[stored.length - 1].revision;
      if (context.expectedRevision !== undefined && context.expectedRevision !== revision) {
        throw preconditionFailed(context.expectedRevision, revision);
      }
      const state = fold(decider, stored.map((e) => this.serializer.deserialize<E>(e)));
      if (context.idempotencyKey) {
        // The same key already produced events on this stream (a retry after a crash or a lost answer):
        // answer with what was stored instead of deciding again.
        const firstId = this.eventId(context, streamId, 0);
        const done = stored.filter((e) => e.metadata?.idempotencyKey === context.idempotencyKey && e.metadata?.userId === context.principal.userId);
        if (done.some((e) => e.id === firstId)) {
          return { events: done.map((e) => this.serializer.deserialize<E>(e)), state, revision, position: done[done.length - 1].position };
        }
      }
      const events = decider.decide(request.command(now), state);
      if (events.length === 0) return { events, state, revision };

      const toAppend = events.map((event, index) =>
        this.serializer.serialize(event, this.metadata(context, streamId, index, now)),
      );
      try {
        const result = await this.store.appendToStream(streamId, toAppend, revision === -1 ? 'no_stream' : revision);
        const newState = events.reduce((s, e) => decider.evolve(s, e), state);
        return { events, state: newState, revision: result.nextExpectedRevision, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (context.expectedRevision !== undefined) {
          throw preconditionFailed(context.expectedRevision, error.actual === 'no_stream' ? -1 : error.actual);
        }
        if (attempt >= this.options.maxAttempts) {
          throw new DomainError(
            'CONCURRENT_MODIFICATION',
            'Le dossier a été modifié en même temps par une autre demande. Veuillez réessayer.',
            'conflict',
            { streamId, attempts: attempt },
          );
        }
        this.options.onConflictRetry?.(streamId, attempt);
        await jitter(attempt);
      }
    }
  }

  /**
   * With an idempotency key, event ids depend only on the caller, the key, the stream and the event's index
   * in the command's output: two racing copies of one request append the same ids (the store keeps them
   * once), and a later copy finds them in the stream.
   */
  private eventId(context: CommandContext, streamId: string, index: number): string {
    return context.idempotencyKey
      ? uuidv5(`${context.principal.userId}|${context.idempotencyKey}|${streamId}|${index}`, IDEMPOTENT_EVENT_NAMESPACE)
      : randomUUID();
  }

  private metadata(context: CommandContext, streamId: string, index: number, now: string): EventMetadata {
    return {
      eventId: this.eventId(context, streamId, index),
      correlationId: context.correlationId,
      causationId: context.causationId ?? context.correlationId,
      userId: context.principal.userId,
      role: context.principal.role,
      familyId: context.familyId ?? context.principal.familyId,
      recordedAt: now,
      ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
    };
  }
}

function preconditionFailed(expected: number, actual: number): DomainError {
  return new DomainError(
    'REVISION_MISMATCH',
    'Le dossier a changé depuis votre dernière lecture. Rechargez-le avant de recommencer.',
    'precondition_failed',
    { expectedRevision: expected, currentRevision: actual },
  );
}

function jitter(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(50, 5 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
