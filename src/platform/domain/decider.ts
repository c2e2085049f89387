/**
 * The shape of every pure domain decider (no framework, no I/O, no clock: time and ids arrive in the command).
 *   decide(command, state) -> events      (throws DomainError to refuse)
 *   evolve(state, event)   -> state
 */
export interface DomainEvent<T extends string = string, D = Record<string, unknown>> {
  type: T;
  data: D;
}

export interface Decider<C, E extends DomainEvent, S> {
  initialState(): S;
  evolve(state: S, event: E): S;
  decide(command: C, state: S): E[];
}

/** Fold a stream's events into a state. */
export function fold<E extends DomainEvent, S>(decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>, events: E[]): S {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

/**
 * Describes an event type once: its current schema version, the paths in `data` that hold personal data
 * (encrypted per family by the serializer when crypto-shredding lands), and upcasters from older versions.
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
