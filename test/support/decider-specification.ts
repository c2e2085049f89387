/**
 * Given / when / then for pure deciders (after emmett's DeciderSpecification):
 *
 *   DeciderSpecification.for(decider).given([events]).when(command).then([expected events]);
 *   DeciderSpecification.for(decider).given([events]).when(command).thenThrows('CODE');
 *
 * `then` also folds the produced events into the state and returns it, so a test can check what the
 * events mean; `thenThrows` returns the DomainError for checks of its message or kind.
 */
import { type Decider, type DomainEvent, fold } from '../../src/platform/domain/decider';
import { DomainError, type DomainErrorKind } from '../../src/platform/domain/domain-error';

export class DeciderSpecification<C, E extends DomainEvent, S> {
  private constructor(private readonly decider: Decider<C, E, S>) {}

  static for<C, E extends DomainEvent, S>(decider: Decider<C, E, S>): DeciderSpecification<C, E, S> {
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
    private readonly decider: Decider<C, E, S>,
    private readonly state: S,
    private readonly command: C,
  ) {}

  /** Asserts the exact events, then returns the state they lead to. */
  then(expected: E[]): S {
    const events = this.decider.decide(this.command, this.state);
    expect(events).toEqual(expected);
    return events.reduce((state, event) => this.decider.evolve(state, event), this.state);
  }

  /** Asserts a refusal with this code (and kind, when given): a DomainError, and no events. */
  thenThrows(code: string, kind?: DomainErrorKind): DomainError {
    let events: E[] | undefined;
    let error: unknown;
    try {
      events = this.decider.decide(this.command, this.state);
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
