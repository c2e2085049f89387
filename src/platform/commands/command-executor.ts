import { randomUUID } from 'node:crypto';

import { v5 as uuidv5 } from 'uuid';

import { type Clock, SystemClock } from '../clock/clock';
import { Decider, DomainEvent } from '../domain/decider';
import { DomainError } from '../domain/domain-error';
import { EventStore, EventToAppend, StoredEvent, WrongExpectedRevisionError } from '../event-store/event-store.port';
import { EventSerializer } from '../events/event-serializer';
import type { EventMetadata } from '../projections/projection';
import type { CommandContext } from './command-context';

const SYSTEM_CLOCK = new SystemClock();

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
  /** where the instant of a command comes from when the context does not carry one (default: the system clock) */
  clock?: Clock;
  onConflictRetry?: (streamId: string, attempt: number) => void;
  /** how many folded stream states to keep (most recently used); default 5000 */
  keptStreams?: number;
}

/**
 * Runs one command: read the stream, fold the state, decide, append with the revision read.
 * A concurrent append to the same stream makes the append fail; the whole step is retried a bounded
 * number of times (the decision is taken again on the new state), then answered as 409.
 */
interface Folded<S> {
  state: S;
  revision: number;
  /** events appended under an idempotency key, by `userId|key` */
  byKey: Map<string, { events: StoredEvent[]; position: number }>;
}

export class CommandExecutor {
  private readonly folded = new Map<string, Folded<unknown> & { decider: unknown }>();

  constructor(
    private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly options: CommandExecutorOptions,
  ) {}

  async execute<C, E extends DomainEvent, S>(request: ExecuteRequest<C, E, S>): Promise<ExecuteResult<E, S>> {
    const { streamId, decider, context } = request;
    const now = context.now ?? (this.options.clock ?? SYSTEM_CLOCK).now().toISOString();
    for (let attempt = 1; ; attempt++) {
      const { state, revision, byKey } = await this.load(streamId, decider);
      if (context.expectedRevision !== undefined && context.expectedRevision !== revision) {
        throw preconditionFailed(context.expectedRevision, revision);
      }
      if (context.idempotencyKey) {
        // The same key already produced events on this stream (a retry after a crash or a lost answer):
        // answer with what was stored instead of deciding again.
        const done = byKey.get(`${context.principal.userId}|${context.idempotencyKey}`);
        if (done && done.events[0]?.id === this.eventId(context, streamId, 0)) {
          return { events: done.events.map((e) => this.serializer.deserialize<E>(e)), state, revision, position: done.position };
        }
      }
      const events = decider.decide(request.command(now), state);
      if (events.length === 0) return { events, state, revision };

      const toAppend = events.map((event, index) => this.serializer.serialize(event, this.metadata(context, streamId, index, now)));
      try {
        const result = await this.store.appendToStream(streamId, toAppend, revision === -1 ? 'no_stream' : revision);
        const newState = events.reduce((s, e) => decider.evolve(s, e), state);
        this.keep(streamId, decider, newState, result.nextExpectedRevision, byKey, context, toAppend, result.position, now);
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
   * The state of a stream. Folded states are kept (per stream and decider, the most recently used ones):
   * the next command on that stream reads only the events appended since, by this process or any other,
   * so a stream that grows all morning (an activity-day's allocation) is not read and folded whole at
   * every request. Deciders are pure, so a kept state is never changed by the code that reads it.
   */
  private async load<E extends DomainEvent, S>(streamId: string, decider: Decider<unknown, E, S>): Promise<Folded<S>> {
    const kept = this.folded.get(streamId);
    const base: Folded<S> =
      kept && kept.decider === decider
        ? (kept as Folded<S> & { decider: unknown })
        : { state: decider.initialState(), revision: -1, byKey: new Map() };
    const fresh = await this.store.readStream(streamId, base.revision >= 0 ? { fromRevision: base.revision + 1 } : undefined);
    if (fresh.length === 0 && kept) {
      this.touch(streamId, kept);
      return base;
    }
    let state = base.state;
    const byKey = new Map(base.byKey);
    for (const stored of fresh) {
      state = decider.evolve(state, this.serializer.deserialize<E>(stored));
      const key = stored.metadata?.idempotencyKey;
      if (typeof key === 'string') {
        const id = `${String(stored.metadata?.userId)}|${key}`;
        const entry = byKey.get(id) ?? { events: [], position: stored.position };
        byKey.set(id, { events: [...entry.events, stored], position: stored.position });
      }
    }
    const revision = fresh.length > 0 ? fresh[fresh.length - 1].revision : base.revision;
    const folded = { state, revision, byKey, decider };
    this.touch(streamId, folded);
    return folded;
  }

  /**
   * After a successful append the new state is already folded: keep it, so the next command on the
   * stream (the allocator's, typically) does not fold the same events again.
   */
  private keep<S>(
    streamId: string,
    decider: unknown,
    state: S,
    revision: number,
    byKey: Map<string, { events: StoredEvent[]; position: number }>,
    context: CommandContext,
    appended: EventToAppend[],
    position: number,
    recordedAt: string,
  ): void {
    let keys = byKey;
    if (context.idempotencyKey) {
      keys = new Map(byKey);
      const stored = appended.map((e, i): StoredEvent => ({
        ...e,
        streamId,
        revision: revision - appended.length + 1 + i,
        position,
        recordedAt,
      }));
      keys.set(`${context.principal.userId}|${context.idempotencyKey}`, { events: stored, position });
    }
    this.touch(streamId, { state, revision, byKey: keys, decider });
  }

  private touch(streamId: string, folded: Folded<unknown> & { decider: unknown }): void {
    this.folded.delete(streamId);
    this.folded.set(streamId, folded);
    if (this.folded.size > (this.options.keptStreams ?? 5000)) {
      const oldest = this.folded.keys().next().value;
      if (oldest !== undefined) this.folded.delete(oldest);
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
