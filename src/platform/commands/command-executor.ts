import { randomUUID } from 'node:crypto';

import { v5 as uuidv5 } from 'uuid';

import { type Clock, SystemClock } from '../clock/clock';
import { Decider, Decision, decisionOf, DomainEvent } from '../domain/decider';
import { DomainError } from '../domain/domain-error';
import { AppendResult, EventStore, EventToAppend, StoredEvent, WrongExpectedRevisionError } from '../event-store/event-store.port';
import { EventSerializer } from '../events/event-serializer';
import type { EventMetadata } from '../projections/projection';
import type { CommandContext } from './command-context';
import { FoldedStreams, type StreamSource } from './folded-streams';

const SYSTEM_CLOCK = new SystemClock();

/** Namespace for event ids derived from an idempotency key (any fixed UUID works; never change it). */
const IDEMPOTENT_EVENT_NAMESPACE = '6f1c1a8e-6c1b-4d8e-9a63-2d6f0f2f4b17';

export interface ExecuteRequest<C, E extends DomainEvent, S> {
  streamId: string;
  decider: Decider<C, E, S, E[] | Decision<E>>;
  /** a closed stream folded before this one, and the snapshot schema version (see StreamSource) */
  prelude?: StreamSource<E, S>['prelude'];
  snapshotVersion?: number;
  /** built from the instant the command is accepted (time comes in with the command, deciders read no clock) */
  command: (now: string) => C;
  context: CommandContext;
}

export interface ExecuteResult<E, S, A = unknown> {
  events: E[];
  state: S;
  /** stream revision after the command (-1: the stream still does not exist) */
  revision: number;
  /** global position of the last event appended (undefined when nothing was appended) */
  position?: number;
  /** what the decision answered beside its events (undefined for a replayed idempotent command) */
  answer?: A;
}

export interface ExecuteManyRequest<C, E extends DomainEvent, S> {
  streamId: string;
  decider: Decider<C, E, S, E[] | Decision<E>>;
  prelude?: StreamSource<E, S>['prelude'];
  snapshotVersion?: number;
  /** in order; each built from its own instant (its context's `now`, else the clock) */
  items: { command: (now: string) => C; context: CommandContext }[];
}

export interface ExecuteManyResult {
  /** commands decided (those already stored under their idempotency key are skipped) */
  decided: number;
  /** events appended, all in one append */
  appended: number;
  /** stream revision after the batch (-1: the stream still does not exist) */
  revision: number;
  /** global position of the last event appended (undefined when nothing was appended) */
  position?: number;
}

/* `ExecuteResult.state` is the stream's kept state as it is right after the command: read what you need from
   it at once (later commands on the stream go on evolving it). */

export interface CommandExecutorOptions {
  /** attempts of the whole read-decide-append step on a concurrency conflict */
  maxAttempts: number;
  /** where the instant of a command comes from when the context does not carry one (default: the system clock) */
  clock?: Clock;
  onConflictRetry?: (streamId: string, attempt: number) => void;
}

/**
 * Runs one command: read the stream (folded state kept between commands), decide, append with the
 * revision read. A concurrent append to the same stream makes the append fail; the whole step is retried a
 * bounded number of times (the decision is taken again on the new state), then answered as 409.
 */
export class CommandExecutor {
  constructor(
    private readonly store: EventStore,
    private readonly serializer: EventSerializer,
    private readonly options: CommandExecutorOptions,
    /** the folded states shared with the stream reader (one cache per process) */
    private readonly streams: FoldedStreams = new FoldedStreams(store, serializer),
  ) {}

  async execute<C, E extends DomainEvent, S>(request: ExecuteRequest<C, E, S>): Promise<ExecuteResult<E, S>> {
    const { streamId, decider, context } = request;
    const source: StreamSource<E, S> = { streamId, decider, prelude: request.prelude, snapshotVersion: request.snapshotVersion };
    const now = context.now ?? (this.options.clock ?? SYSTEM_CLOCK).now().toISOString();
    return this.streams.exclusive(streamId, async () => {
      for (let attempt = 1; ; attempt++) {
        const folded = await this.streams.load(source);
        const { revision } = folded;
        if (context.expectedRevision !== undefined && context.expectedRevision !== revision) {
          throw preconditionFailed(context.expectedRevision, revision);
        }
        if (context.idempotencyKey) {
          // The same key already produced events on this stream (a retry after a crash or a lost answer):
          // answer with what was stored instead of deciding again.
          const done = folded.byKey.get(`${context.principal.userId}|${context.idempotencyKey}`);
          if (done && done.events[0]?.id === this.eventId(context, streamId, 0)) {
            const events = done.events.map((e) => this.serializer.deserialize<E>(e));
            return { events, state: folded.state, revision, position: done.position };
          }
        }
        const { events, answer } = decisionOf(decider.decide(request.command(now), folded.state));
        if (events.length === 0) return { events, state: folded.state, revision, answer };

        const toAppend = events.map((event, index) => this.serializer.serialize(event, this.metadata(context, streamId, index, now)));
        try {
          const result = await this.store.appendToStream(streamId, toAppend, revision === -1 ? 'no_stream' : revision);
          const stored = storedAs(streamId, toAppend, result);
          this.streams.appended(source, folded, stored, context.idempotencyKey);
          return { events, state: folded.state, revision: result.nextExpectedRevision, position: result.position, answer };
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          if (context.expectedRevision !== undefined) {
            throw preconditionFailed(context.expectedRevision, error.actual === 'no_stream' ? -1 : error.actual);
          }
          await this.afterConflict(streamId, attempt);
        }
      }
    });
  }

  /**
   * Runs several commands on ONE stream as one batch (the place allocator's decisions): read the stream once,
   * decide each command in order on the state the previous ones left (a command whose idempotency key is
   * already in the stream is skipped), and append all their events in ONE append with the revision read. A
   * conflict decides the whole batch again on the new state (bounded attempts, as `execute`). Each command's
   * events carry its own context (ids from its own idempotency key, its own instant and causation).
   *
   * The state is evolved in place when the decider can (`evolveInPlace`): the batch is decided on the kept
   * state itself, not on a copy per event; if the append fails, the kept state is dropped and read again.
   * A command the decider refuses fails the whole batch (nothing is appended).
   */
  async executeMany<C, E extends DomainEvent, S>(request: ExecuteManyRequest<C, E, S>): Promise<ExecuteManyResult> {
    const { streamId, decider, items } = request;
    const source: StreamSource<E, S> = { streamId, decider, prelude: request.prelude, snapshotVersion: request.snapshotVersion };
    const evolve = decider.evolveInPlace ?? decider.evolve;
    return this.streams.exclusive(streamId, async () => {
      for (let attempt = 1; ; attempt++) {
        const folded = await this.streams.load(source);
        const { revision } = folded;
        let state = folded.state;
        const toAppend: EventToAppend[] = [];
        let decided = 0;
        try {
          for (const item of items) {
            const { context } = item;
            if (context.idempotencyKey) {
              const done = folded.byKey.get(`${context.principal.userId}|${context.idempotencyKey}`);
              if (done && done.events[0]?.id === this.eventId(context, streamId, 0)) continue;
            }
            const now = context.now ?? (this.options.clock ?? SYSTEM_CLOCK).now().toISOString();
            const { events } = decisionOf(decider.decide(item.command(now), state));
            decided += 1;
            events.forEach((event, index) => {
              state = evolve(state, event);
              toAppend.push(this.serializer.serialize(event, this.metadata(context, streamId, index, now)));
            });
          }
          if (toAppend.length === 0) return { decided, appended: 0, revision };
          const result = await this.store.appendToStream(streamId, toAppend, revision === -1 ? 'no_stream' : revision);
          const stored = storedAs(streamId, toAppend, result);
          this.streams.decided(source, folded, state, stored);
          return { decided, appended: toAppend.length, revision: result.nextExpectedRevision, position: result.position };
        } catch (error) {
          // the kept state may have been evolved with events that are not stored: read it again next time
          if (state !== folded.state || decider.evolveInPlace) this.streams.forget(streamId);
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          await this.afterConflict(streamId, attempt);
        }
      }
    });
  }

  /** A conflict: give up as 409 after the last attempt, else wait a little before deciding again. */
  private async afterConflict(streamId: string, attempt: number): Promise<void> {
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

/** The events of an append as stored (the command's instant, in their metadata, stands for the commit instant). */
function storedAs(streamId: string, appended: EventToAppend[], result: AppendResult): StoredEvent[] {
  const first = result.nextExpectedRevision - appended.length + 1;
  return appended.map((e, i): StoredEvent => ({
    ...e,
    streamId,
    revision: first + i,
    position: result.position,
    recordedAt: String(e.metadata.recordedAt),
  }));
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
