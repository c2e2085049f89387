/**
 * The shape of every pure domain decider (no framework, no I/O, no clock: time and ids arrive in the command).
 *   decide(command, state) -> events, or { events, answer }   (throws DomainError to refuse)
 *   evolve(state, event)   -> state
 *
 * A decision may carry an answer beside its events (a bulk request answers day by day). The answer is what
 * the caller is told; the events are what is stored.
 */
export interface DomainEvent<T extends string = string, D = Record<string, unknown>> {
  type: T;
  data: D;
}

/** Events with an answer for the caller. */
export interface Decision<E, A = unknown> {
  events: E[];
  answer: A;
}

/** `R` is what decide returns: events (the default), or a Decision when some commands answer beside their events. */
export interface Decider<C, E extends DomainEvent, S, R extends E[] | Decision<E> = E[]> {
  initialState(): S;
  evolve(state: S, event: E): S;
  decide(command: C, state: S): R;
  /**
   * Optional: the same fold as `evolve`, but updating the state it is given (and returning it) instead of a
   * copy. The platform folds a stream's kept state with it (FoldedStreams, batched commands), so that a state
   * with many entries is not copied at every event; `evolve` stays the pure reference the tests fold with.
   */
  evolveInPlace?(state: S, event: E): S;
}

/** The events and the answer of a decision, whichever form the decider returned. */
export function decisionOf<E>(result: E[] | Decision<E>): Decision<E, unknown> {
  return Array.isArray(result) ? { events: result, answer: undefined } : result;
}

/** Fold a stream's events into a state. */
export function fold<E extends DomainEvent, S>(decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>, events: E[]): S {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

/**
 * Describes an event type once: its current schema version, the paths in `data` that hold personal data
 * (encrypted per family by the serializer when crypto-shredding lands), and upcasters from older versions.
 * Contexts declare them through an event table (event-table.ts), never by hand.
 */
export interface EventTypeDefinition {
  type: string;
  /** current schema version (1 for a first version) */
  version: number;
  /** dotted paths in data holding personal data, e.g. ["guardian.lastName", "guardian.address"] */
  personalData: string[];
  /** upcasters keyed by the version they read: upcast[1] turns v1 data into v2 data */
  upcast?: Record<number, (data: Record<string, unknown>) => Record<string, unknown>>;
}
