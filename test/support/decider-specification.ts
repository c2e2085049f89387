/**
 * Given / when / then for pure deciders (after emmett's DeciderSpecification):
 *
 *   DeciderSpecification.for(decider).given([events]).when(command).then([expected events]);
 *   DeciderSpecification.for(decider).given([events]).when(command).thenAnswers([expected events], answer);
 *   DeciderSpecification.for(decider).given([events]).when(command).thenThrows('CODE');
 *
 * `then` also folds the produced events into the state and returns it, so a test can check what the
 * events mean; `thenThrows` returns the DomainError for checks of its message or kind.
 *
 * The state handed to `decide` is a deeply frozen copy: a decider that changed the state it was given (which
 * the stream reader keeps between commands) fails here instead of corrupting a kept state. `evolve` may
 * update the state it is given in place (the reader owns it).
 */
import { type Decider, type Decision, decisionOf, type DomainEvent, fold } from '../../src/platform/domain/decider';
import { DomainError, type DomainErrorKind } from '../../src/platform/domain/domain-error';

/** Freezes a value and everything it holds. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

type AnyDecider<C, E extends DomainEvent, S> = Decider<C, E, S, E[] | Decision<E>>;

export class DeciderSpecification<C, E extends DomainEvent, S> {
  private constructor(private readonly decider: AnyDecider<C, E, S>) {}

  static for<C, E extends DomainEvent, S>(decider: AnyDecider<C, E, S>): DeciderSpecification<C, E, S> {
    return new DeciderSpecification(decider);
  }

  given(events: E[]): { when(command: C): DeciderOutcome<C, E, S> } {
    return {
      when: (command: C) => new DeciderOutcome(this.decider, fold(this.decider, events), command),
    };
  }
}

export class DeciderOutcome<C, E extends DomainEvent, S> {
  constructor(
    private readonly decider: AnyDecider<C, E, S>,
    private readonly state: S,
    private readonly command: C,
  ) {}

  /** Decides on a deeply frozen copy of the state: a decider that changed it would throw here. */
  private decide(): Decision<E> {
    return decisionOf(this.decider.decide(this.command, deepFreeze(structuredClone(this.state))));
  }

  /** Asserts the exact events, then returns the state they lead to. */
  then(expected: E[]): S {
    const { events } = this.decide();
    expect(events).toEqual(expected);
    return events.reduce((state, event) => this.decider.evolve(state, event), this.state);
  }

  /** Asserts the exact events and the answer given beside them, then returns the state they lead to. */
  thenAnswers(expected: E[], answer: unknown): S {
    const decision = this.decide();
    expect(decision.events).toEqual(expected);
    expect(decision.answer).toEqual(answer);
    return decision.events.reduce((state, event) => this.decider.evolve(state, event), this.state);
  }

  /** Asserts a refusal with this code (and kind, when given): a DomainError, and no events. */
  thenThrows(code: string, kind?: DomainErrorKind): DomainError {
    let events: E[] | undefined;
    let error: unknown;
    try {
      events = this.decide().events;
    } catch (caught) {
      error = caught;
    }
    if (events !== undefined) {
      throw new Error(`Expected the refusal ${code}, but the decider produced: ${JSON.stringify(events, null, 2)}`);
    }
    expect(error).toBeInstanceOf(DomainError);
    const domainError = error as DomainError;
    expect(domainError.code).toBe(code);
    if (kind) expect(domainError.kind).toBe(kind);
    return domainError;
  }
}
