/**
 * The allocator's state is kept and folded in place by the platform (evolveInPlace), so that a day with
 * thousands of requests is not copied at every event. Property: over random histories,
 * - folding in place gives exactly the state the pure `evolve` gives (the one the property tests fold with),
 * - `decide` never changes the state it is given (it is deep-frozen here: any write would throw),
 * - and `evolve` never changes the state it is given either.
 */
import fc from 'fast-check';

import type { Actor } from '../../../platform/domain/command-target';
import { DomainError } from '../../../platform/domain/domain-error';
import { type AllocationCommand, allocationDecider, type AllocationState } from './allocation.decider';

const START = Date.parse('2026-04-01T06:00:00.000Z');
const ALLOCATOR: Actor = { userId: 'allocator', role: 'system' };
const STAFF: Actor = { userId: 'agent', role: 'staff' };
const PARENT: Actor = { userId: 'parent', role: 'parent' };
const WINDOW_MS = 2 * 24 * 3600 * 1000;

type Op =
  | { kind: 'request'; staff: boolean; places: number }
  | { kind: 'cancel' | 'accept' | 'decline' | 'expire' | 'staff-accept' | 'staff-refuse'; pick: number }
  | { kind: 'capacity'; places: number }
  | { kind: 'close' };

const pick = fc.nat(1000);
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({ kind: fc.constant('request' as const), staff: fc.boolean(), places: fc.integer({ min: 0, max: 6 }) }),
  },
  ...(['cancel', 'accept', 'decline', 'expire', 'staff-accept', 'staff-refuse'] as const).map((kind) => ({
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant(kind), pick }),
  })),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('capacity' as const), places: fc.integer({ min: 0, max: 6 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'close' as const }) },
);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function commandFor(op: Op, state: AllocationState, step: number): AllocationCommand {
  const at = new Date(START + step * 60_000 + (op.kind === 'expire' ? WINDOW_MS : 0)).toISOString();
  const terms = { at, actor: ALLOCATOR, offerWindowMs: WINDOW_MS };
  const ids = Object.keys(state.requests);
  const chosen = 'pick' in op && ids.length > 0 ? state.requests[ids[op.pick % ids.length]] : undefined;
  const requestId = chosen?.requestId ?? 'unknown';
  const familyId = chosen?.familyId ?? 'unknown';
  switch (op.kind) {
    case 'request':
      return {
        type: 'Allocate',
        request: {
          requestId: `r${step}`,
          familyId: `f${step}`,
          childId: `c${step}`,
          position: step,
          validation: op.staff ? 'staff' : 'automatic',
        },
        places: op.places,
        ...terms,
      };
    case 'cancel':
      return { type: 'Cancel', requestId, ...terms };
    case 'accept':
      return { type: 'AcceptOffer', requestId, familyId, at, actor: PARENT };
    case 'decline':
      return { type: 'DeclineOffer', requestId, familyId, ...terms, actor: PARENT };
    case 'expire':
      return { type: 'ExpireOffer', requestId, ...terms };
    case 'staff-accept':
      return { type: 'AcceptByStaff', requestId, at, actor: STAFF };
    case 'staff-refuse':
      return { type: 'RefuseByStaff', requestId, reason: 'Dossier incomplet', ...terms, actor: STAFF };
    case 'capacity':
      return { type: 'ChangeCapacity', places: op.places, ...terms };
    case 'close':
      return { type: 'Close', reason: 'Fermeture exceptionnelle', at, actor: STAFF };
  }
}

describe('allocation: the state folded in place', () => {
  it('equals the pure fold, and neither decide nor evolve changes the state it is given', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 60 }), (ops) => {
        let pure = allocationDecider.initialState();
        const kept = allocationDecider.initialState();
        ops.forEach((op, step) => {
          let decided: ReturnType<typeof allocationDecider.decide> = [];
          try {
            decided = allocationDecider.decide(commandFor(op, pure, step), deepFreeze(structuredClone(pure)));
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
          for (const event of decided) {
            const frozen = deepFreeze(pure);
            pure = allocationDecider.evolve(frozen, event);
            allocationDecider.evolveInPlace!(kept, event);
          }
          expect(kept).toEqual(pure);
        });
      }),
      { numRuns: 500 },
    );
  });
});
