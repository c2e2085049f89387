/**
 * Property: whatever the interleaving of requests, redeliveries, cancellations, answers to offers,
 * expiry jobs (on time or early), staff decisions, closures and capacity changes, the allocator
 * - never grants more places than the day has (after a capacity decrease below what is held, it grants
 *   no new place until enough are freed),
 * - keeps the waiting list in arrival order and gives every freed place to its head (first come, first served),
 * - keeps every request in exactly one state,
 * - and its events alone rebuild its state.
 */
import fc from 'fast-check';

import type { Actor } from '../../../platform/domain/command-target';
import { fold } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import { assertNever } from '../../../platform/domain/exhaustive';
import { type ValidationMode } from '../family-planning/family-planning.events';
import {
  type AllocationCommand,
  allocationDecider,
  type AllocationState,
  freePlaces,
  heldPlaces,
  isLive,
  type LiveStatus,
} from './allocation.decider';
import { type AllocationEvent } from './allocation.events';

const START = Date.parse('2026-04-01T06:00:00.000Z');
const HOUR = 3600 * 1000;
const STAFF: Actor = { userId: 'agent', role: 'staff' };
const PARENT: Actor = { userId: 'parent', role: 'parent' };
const ALLOCATOR: Actor = { userId: 'allocator', role: 'system' };

type Op =
  | { kind: 'request'; child: number; validation: ValidationMode; places: number; gap: number }
  | { kind: 'redeliver'; pick: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'accept'; pick: number }
  | { kind: 'decline'; pick: number }
  | { kind: 'expire'; pick: number; timing: 'on-time' | 'just-before' | 'whenever' }
  | { kind: 'staff-accept'; pick: number }
  | { kind: 'staff-refuse'; pick: number }
  | { kind: 'close' }
  | { kind: 'capacity'; places: number }
  | { kind: 'tick'; hours: number };

const pick = fc.nat(1000);
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 32,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      child: fc.integer({ min: 1, max: 6 }),
      validation: fc.constantFrom<ValidationMode>('automatic', 'automatic', 'staff'),
      places: fc.integer({ min: 0, max: 10 }),
      gap: fc.integer({ min: 1, max: 5 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('redeliver' as const), pick }) },
  { weight: 14, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick }) },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('accept' as const), pick }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('decline' as const), pick }) },
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('expire' as const),
      pick,
      timing: fc.constantFrom('on-time' as const, 'just-before' as const, 'whenever' as const),
    }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('staff-accept' as const), pick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('staff-refuse' as const), pick }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'close' as const }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('capacity' as const), places: fc.integer({ min: 0, max: 10 }) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('tick' as const), hours: fc.integer({ min: 1, max: 30 }) }) },
);

/** The simulated world around the decider: the log positions, the clock, what was requested. */
type World = {
  state: AllocationState;
  events: AllocationEvent[];
  clock: number;
  position: number;
  windowMs: number;
  /** requestIds in arrival order */
  arrivals: string[];
  allocates: AllocationCommand[];
  everLowered: boolean;
  /** the capacity the day should have: the first one given, then each change */
  places: number | null;
};

/**
 * A request id among `likely` (counted twice: the ones the operation is meant for, e.g. outstanding
 * offers for an answer), every known request, and an unknown id.
 */
function chooseRequest(world: World, n: number, likely: string[] = []): string {
  const candidates = [...likely, ...likely, ...world.arrivals, 'unknown'];
  return candidates[n % candidates.length];
}

const offered = (world: World) => Object.keys(world.state.offers);
const staffUndecided = (world: World) =>
  Object.values(world.state.requests)
    .filter((r) => r.validation === 'staff' && isLive(r.status) && !r.staffApproved)
    .map((r) => r.requestId);
const live = (world: World) =>
  Object.values(world.state.requests)
    .filter((r) => isLive(r.status))
    .map((r) => r.requestId);

function familyOf(world: World, requestId: string): string {
  return world.state.requests[requestId]?.familyId ?? 'f-unknown';
}

function commandFor(world: World, op: Exclude<Op, { kind: 'tick' }>): AllocationCommand | null {
  const now = new Date(world.clock).toISOString();
  const terms = { at: now, actor: ALLOCATOR, offerWindowMs: world.windowMs };
  switch (op.kind) {
    case 'request': {
      world.position += op.gap;
      const requestId = `r${world.arrivals.length + 1}`;
      world.arrivals.push(requestId);
      const command: AllocationCommand = {
        type: 'Allocate',
        request: { requestId, familyId: `f${op.child}`, childId: `c${op.child}`, position: world.position, validation: op.validation },
        places: op.places,
        ...terms,
      };
      world.allocates.push(command);
      return command;
    }
    case 'redeliver':
      return world.allocates.length === 0 ? null : world.allocates[op.pick % world.allocates.length];
    case 'cancel':
      return { type: 'Cancel', requestId: chooseRequest(world, op.pick, live(world)), ...terms };
    case 'accept': {
      const requestId = chooseRequest(world, op.pick, offered(world));
      return { type: 'AcceptOffer', requestId, familyId: familyOf(world, requestId), at: now, actor: PARENT };
    }
    case 'decline': {
      const requestId = chooseRequest(world, op.pick, offered(world));
      return { type: 'DeclineOffer', requestId, familyId: familyOf(world, requestId), ...terms, actor: PARENT };
    }
    case 'expire': {
      const requestId = chooseRequest(world, op.pick, offered(world));
      const expiresAt = world.state.offers[requestId];
      // The job runs at expiresAt (the clock moves there), a moment before (clock skew between
      // processes), or whenever (a stale or early delivery at the current clock).
      if (op.timing === 'on-time' && expiresAt) world.clock = Math.max(world.clock, Date.parse(expiresAt));
      if (op.timing === 'just-before' && expiresAt) world.clock = Math.max(world.clock, Date.parse(expiresAt) - 1);
      return { type: 'ExpireOffer', requestId, at: new Date(world.clock).toISOString(), actor: ALLOCATOR, offerWindowMs: world.windowMs };
    }
    case 'staff-accept':
      return { type: 'AcceptByStaff', requestId: chooseRequest(world, op.pick, staffUndecided(world)), at: now, actor: STAFF };
    case 'staff-refuse':
      return {
        type: 'RefuseByStaff',
        requestId: chooseRequest(world, op.pick, staffUndecided(world)),
        reason: 'Dossier incomplet',
        ...terms,
        actor: STAFF,
      };
    case 'close':
      return { type: 'Close', reason: 'Fermeture exceptionnelle', at: now, actor: STAFF };
    case 'capacity':
      return { type: 'ChangeCapacity', places: op.places, ...terms };
    default:
      return assertNever(op);
  }
}

/** Commands that must never be refused: the consumer's, the closure workflow's, and valid capacity changes. */
const NEVER_REFUSED: readonly AllocationCommand['type'][] = ['Allocate', 'Cancel', 'Close', 'ChangeCapacity'];

function holders(state: AllocationState): Set<string> {
  return new Set([...state.allocated, ...state.pendingStaff, ...Object.keys(state.offers)]);
}

const LIST_OF: Record<LiveStatus, (s: AllocationState) => string[]> = {
  allocated: (s) => s.allocated,
  'awaiting-staff': (s) => s.pendingStaff,
  offered: (s) => Object.keys(s.offers),
  waiting: (s) => s.waiting,
};

function isSubsequence(sub: string[], of: string[]): boolean {
  let i = 0;
  for (const item of of) if (i < sub.length && sub[i] === item) i++;
  return i === sub.length;
}

/**
 * Plain checks in the hot loop (jest's `expect` is slow for tens of thousands of steps); fast-check
 * reports the failing message with the shrunk sequence of operations.
 */
function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Applies the events one at a time, checking first-come-first-served at each grant of a place. */
function applyChecked(before: AllocationState, events: AllocationEvent[]): AllocationState {
  let state = before;
  events.forEach((event, index) => {
    const acceptedOffer = events[index - 1]?.type === 'OfferAccepted';
    if (event.type === 'PlaceOffered') {
      // a freed place goes to the head of the queue, and only if a place is really free
      check(state.waiting[0] === event.data.requestId, `offer to ${event.data.requestId}, queue head ${state.waiting[0]}`);
      check(freePlaces(state) > 0, `offer to ${event.data.requestId} without a free place`);
    }
    if (event.type === 'PlaceAllocated' && !acceptedOffer) {
      // a newcomer gets a place directly only if nobody waits and a place is free
      check(state.requests[event.data.requestId] === undefined, `direct allocation of a known request ${event.data.requestId}`);
      check(state.waiting.length === 0, `${event.data.requestId} allocated while ${state.waiting.join(',')} wait`);
      check(freePlaces(state) > 0, `${event.data.requestId} allocated without a free place`);
    }
    if (event.type === 'OfferExpired') {
      const expiresAt = state.offers[event.data.requestId];
      check(expiresAt !== undefined && event.data.expiredAt >= expiresAt, `offer of ${event.data.requestId} expired early`);
    }
    if (event.type === 'OfferAccepted') {
      const expiresAt = state.offers[event.data.requestId];
      check(expiresAt !== undefined && event.data.acceptedAt < expiresAt, `offer of ${event.data.requestId} accepted late`);
    }
    if (event.type === 'DayClosed') check(!state.closed, 'the day was closed twice');
    if (event.type === 'PlaceAllocated' && acceptedOffer) {
      check(state.offers[event.data.requestId] !== undefined, `${event.data.requestId} accepted an offer it did not have`);
    }
    state = allocationDecider.evolve(state, event);
    // the events mean what they say
    if (event.type === 'PlaceReleased' || event.type === 'RemovedFromWaitingList') {
      check(state.requests[event.data.requestId]?.status === event.data.reason, `${event.type} left ${event.data.requestId} live`);
    }
    if (event.type === 'RequestRefusedByStaff' && events[index + 1]?.type !== 'PlaceReleased') {
      check(state.requests[event.data.requestId]?.status === 'refused-by-staff', `refused ${event.data.requestId} still live`);
    }
  });
  // an ended request stays ended
  for (const slot of Object.values(before.requests)) {
    if (!isLive(slot.status)) check(state.requests[slot.requestId]?.status === slot.status, `${slot.requestId} came back`);
  }
  return state;
}

function checkInvariants(world: World, before: AllocationState): void {
  const { state } = world;
  check(state.places === world.places, `capacity ${state.places}, expected ${world.places}`);
  const places = state.places ?? 0;
  const held = heldPlaces(state);

  // 1. never more than the places; over it only after a decrease, and then no new holder
  check(world.everLowered || held <= places, `${held} places held for ${places}`);
  if (held > places) {
    const previous = holders(before);
    for (const id of holders(state)) check(previous.has(id), `${id} got a place while ${held} were held for ${places}`);
  }

  // 2. every request in exactly one state; the lists mirror the live statuses, without duplicates
  const listed = [...state.allocated, ...state.pendingStaff, ...Object.keys(state.offers), ...state.waiting];
  const listedSet = new Set(listed);
  check(listedSet.size === listed.length, `a request is in two lists: ${JSON.stringify(listed)}`);
  for (const [status, list] of Object.entries(LIST_OF) as [LiveStatus, (s: AllocationState) => string[]][]) {
    for (const id of list(state)) check(state.requests[id]?.status === status, `${id} listed as ${status}`);
  }
  for (const slot of Object.values(state.requests)) {
    check(
      isLive(slot.status) === listedSet.has(slot.requestId),
      `${slot.requestId} is ${slot.status} but listed: ${listedSet.has(slot.requestId)}`,
    );
  }

  // 3. the waiting list is in arrival order
  check(isSubsequence(state.waiting, world.arrivals), `queue out of arrival order: ${state.waiting.join(',')}`);
  // and nobody waits while a place is free (freed places are offered at once)
  check(state.waiting.length === 0 || freePlaces(state) === 0, 'a place is free while families wait');

  // 4. every request recorded is known, once
  check(
    Object.keys(state.requests).length === world.arrivals.length && world.arrivals.every((id) => id in state.requests),
    'a recorded request is unknown to the allocator',
  );

  // 5. a closed day holds nobody
  check(!state.closed || listed.length === 0, 'a closed day still holds requests');
}

function run(ops: Op[], windowDays: number): World {
  const world: World = {
    state: allocationDecider.initialState(),
    events: [],
    clock: START,
    position: 0,
    windowMs: windowDays * 24 * HOUR,
    arrivals: [],
    allocates: [],
    everLowered: false,
    places: null,
  };
  for (const op of ops) {
    world.clock += 60 * 1000;
    if (op.kind === 'tick') {
      world.clock += op.hours * HOUR;
      continue;
    }
    const command = commandFor(world, op);
    if (!command) continue;
    const before = world.state;
    let events: AllocationEvent[] = [];
    try {
      events = allocationDecider.decide(command, before);
    } catch (error) {
      // a refusal, never a crash, and only of what people ask (or an early expiry job)
      check(error instanceof DomainError, `${command.type} crashed: ${String(error)}`);
      check(!NEVER_REFUSED.includes(command.type), `${command.type} refused: ${error.code}`);
      if (command.type === 'ExpireOffer') {
        check(error.code === 'OFFER_NOT_EXPIRED', `expiry refused: ${error.code}`);
        check(world.clock < Date.parse(before.offers[command.requestId]), 'an expiry due was refused');
      }
    }
    // a request seen twice is ignored
    check(op.kind !== 'redeliver' || events.length === 0, `a redelivered request decided ${events.length} events`);
    if (command.type === 'ChangeCapacity' && before.places !== null && command.places < before.places) world.everLowered = true;
    if (command.type === 'ChangeCapacity' || (command.type === 'Allocate' && world.places === null)) world.places = command.places;
    world.state = applyChecked(before, events);
    world.events.push(...events);
    checkInvariants(world, before);
  }
  return world;
}

describe('allocation: random interleavings (fast-check)', () => {
  it('never over-allocates, keeps the waiting list in order, and keeps each request in one state', () => {
    fc.assert(
      fc.property(
        fc.array(opArbitrary, { minLength: 1, maxLength: 80, size: 'max' }),
        fc.integer({ min: 1, max: 14 }),
        (ops, windowDays) => {
          const world = run(ops, windowDays);
          // the events alone rebuild the state (nothing is decided in evolve that the log does not say)
          expect(fold(allocationDecider, world.events)).toEqual(world.state);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('with the capacity never lowered, the places held never exceed the places, and all freed places go to the queue', () => {
    const noDecrease = opArbitrary.filter((op) => op.kind !== 'capacity');
    fc.assert(
      fc.property(fc.array(noDecrease, { minLength: 1, maxLength: 80, size: 'max' }), (ops) => {
        const world = run(ops, 2);
        const { state } = world;
        expect(heldPlaces(state)).toBeLessThanOrEqual(state.places ?? 0);
        // work-conserving: places are free only when nobody waits
        if (freePlaces(state) > 0) expect(state.waiting).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
