import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { Actor } from '../../../platform/domain/command-target';
import { fold } from '../../../platform/domain/decider';
import { type ValidationMode } from '../family-planning/family-planning.events';
import {
  type Allocate,
  allocationDecider,
  type AllocationRequest,
  type AllocationState,
  freePlaces,
  heldPlaces,
  offerWindowMs,
} from './allocation.decider';
import { type AllocationEvent, type PlaceReleaseReason } from './allocation.events';

const spec = DeciderSpecification.for(allocationDecider);

const NOW = '2026-04-01T08:00:00.000Z';
const LATER = '2026-04-02T10:00:00.000Z';
const WINDOW = offerWindowMs(); // 2 days
const EXPIRES = '2026-04-03T08:00:00.000Z';
const AFTER_EXPIRY = '2026-04-03T08:00:00.001Z';
const STAFF: Actor = { userId: 'agent.siej', role: 'staff' };
const PARENT: Actor = { userId: 'jean.dupont', role: 'parent' };
/** the place allocator, which sends the consumer-fed commands */
const ALLOCATOR: Actor = { userId: 'allocator', role: 'system' };
/** a family answering an offer */
const family = (userId: string): Actor => ({ userId, role: 'parent' });

/** Request n of family n (child n), arrived at global position n * 10. */
function req(n: number, validation: ValidationMode = 'automatic', position = n * 10): AllocationRequest {
  return { requestId: `r${n}`, familyId: `f${n}`, childId: `c${n}`, position, validation };
}
const ref = (r: AllocationRequest) => ({ requestId: r.requestId, familyId: r.familyId, childId: r.childId });

function allocate(r: AllocationRequest, places = 2): Allocate {
  return { type: 'Allocate', request: r, places, offerWindowMs: WINDOW, at: NOW, actor: ALLOCATOR };
}

// --- events ---------------------------------------------------------------------------------------------

const capacity = (places: number, previous: number | null = null): AllocationEvent => ({
  type: 'CapacityChanged',
  data: { places, previous },
});
const allocated = (r: AllocationRequest, awaitingStaff = false): AllocationEvent => ({
  type: 'PlaceAllocated',
  data: { ...ref(r), position: r.position, validation: r.validation, awaitingStaff },
});
const waitListed = (r: AllocationRequest, rank: number): AllocationEvent => ({
  type: 'RequestWaitListed',
  data: { ...ref(r), position: r.position, validation: r.validation, rank },
});
const offered = (r: AllocationRequest, offeredAt = NOW, expiresAt = EXPIRES): AllocationEvent => ({
  type: 'PlaceOffered',
  data: { ...ref(r), offeredAt, expiresAt },
});
const released = (r: AllocationRequest, reason: PlaceReleaseReason, closureReason?: string): AllocationEvent => ({
  type: 'PlaceReleased',
  data: { ...ref(r), reason, ...(closureReason ? { closureReason } : {}) },
});
const removed = (r: AllocationRequest, reason: 'cancelled' | 'closure', closureReason?: string): AllocationEvent => ({
  type: 'RemovedFromWaitingList',
  data: { ...ref(r), reason, ...(closureReason ? { closureReason } : {}) },
});
const offerAccepted = (r: AllocationRequest, at = LATER): AllocationEvent => ({
  type: 'OfferAccepted',
  data: { ...ref(r), acceptedAt: at, by: `parent-${r.familyId}` },
});
const offerExpired = (r: AllocationRequest, at = AFTER_EXPIRY): AllocationEvent => ({
  type: 'OfferExpired',
  data: { ...ref(r), expiredAt: at },
});
const staffAccepted = (r: AllocationRequest): AllocationEvent => ({
  type: 'RequestAcceptedByStaff',
  data: { ...ref(r), acceptedAt: LATER, acceptedBy: STAFF.userId },
});
const dayClosed = (reason = 'Grève du personnel'): AllocationEvent => ({
  type: 'DayClosed',
  data: { reason, closedAt: LATER, closedBy: STAFF.userId },
});

const [r1, r2, r3, r4] = [req(1), req(2), req(3), req(4)];

/** Two places: r1 and r2 allocated, r3 and r4 waiting. */
const FULL_WITH_QUEUE: AllocationEvent[] = [capacity(2), allocated(r1), allocated(r2), waitListed(r3, 1), waitListed(r4, 2)];

/** The lists of the state, for compact checks. */
function lists(state: AllocationState) {
  return {
    places: state.places,
    allocated: state.allocated,
    pendingStaff: state.pendingStaff,
    offered: Object.keys(state.offers),
    waiting: state.waiting,
  };
}

describe('allocation decider', () => {
  describe('Allocate (from the ordered consumer)', () => {
    it('on a new day, records the capacity of the activity, then allocates the first place', () => {
      const state = spec
        .given([])
        .when(allocate(r1, 2))
        .then([capacity(2), allocated(r1)]);
      expect(lists(state)).toEqual({ places: 2, allocated: ['r1'], pendingStaff: [], offered: [], waiting: [] });
      expect(state.requests.r1).toMatchObject({ status: 'allocated', position: 10, familyId: 'f1' });
    });

    it('allocates while a place is free and nobody waits, ignoring the places of the command once the day has a capacity', () => {
      spec
        .given([capacity(2), allocated(r1)])
        .when(allocate(r2, 50))
        .then([allocated(r2)]);
    });

    it('puts the request on the waiting list when the day is full, in arrival order', () => {
      spec
        .given([capacity(2), allocated(r1), allocated(r2)])
        .when(allocate(r3))
        .then([waitListed(r3, 1)]);
      const state = spec
        .given([capacity(2), allocated(r1), allocated(r2), waitListed(r3, 1)])
        .when(allocate(r4))
        .then([waitListed(r4, 2)]);
      expect(state.waiting).toEqual(['r3', 'r4']);
    });

    it('queues a request by its log position even if it is handled late (the queue stays in arrival order)', () => {
      const early = req(5, 'automatic', 25); // arrived between r2 and r3
      const state = spec
        .given(FULL_WITH_QUEUE)
        .when(allocate(early))
        .then([waitListed(early, 1)]);
      expect(state.waiting).toEqual(['r5', 'r3', 'r4']);
    });

    it('a day with no places queues every request', () => {
      const state = spec
        .given([])
        .when(allocate(r1, 0))
        .then([capacity(0), waitListed(r1, 1)]);
      expect(freePlaces(state)).toBe(0);
    });

    it('an outstanding offer holds its place: a newcomer waits behind', () => {
      const given = [capacity(1), allocated(r1), waitListed(r2, 1), released(r1, 'cancelled'), offered(r2)];
      spec
        .given(given)
        .when(allocate(r3))
        .then([waitListed(r3, 1)]);
    });

    it('with staff validation, holds the place in arrival order while staff decide', () => {
      const s1 = req(1, 'staff');
      const state = spec
        .given([capacity(1)])
        .when(allocate(s1))
        .then([allocated(s1, true)]);
      expect(lists(state)).toMatchObject({ allocated: [], pendingStaff: ['r1'] });
      expect(state.requests.r1.status).toBe('awaiting-staff');
      // ... and the held place counts: the next one waits
      spec
        .given([capacity(1), allocated(s1, true)])
        .when(allocate(req(2, 'staff')))
        .then([waitListed(req(2, 'staff'), 1)]);
    });

    it('ignores a request it has already seen (redelivery), whatever became of it', () => {
      spec
        .given([capacity(2), allocated(r1)])
        .when(allocate(r1))
        .then([]);
      spec.given(FULL_WITH_QUEUE).when(allocate(r3)).then([]);
      spec
        .given([capacity(1), allocated(r1), released(r1, 'cancelled')])
        .when(allocate(r1))
        .then([]);
    });

    it('rejects a request that reaches a closed day, with the closure reason', () => {
      const state = spec
        .given([capacity(2), dayClosed('Journée pédagogique')])
        .when(allocate(r1))
        .then([
          {
            type: 'RequestRejected',
            data: { ...ref(r1), position: 10, validation: 'automatic', reason: 'day-closed', closureReason: 'Journée pédagogique' },
          },
        ]);
      expect(state.requests.r1.status).toBe('rejected');
      expect(heldPlaces(state)).toBe(0);
    });

    it('refuses an invalid capacity for a new day', () => {
      spec.given([]).when(allocate(r1, -1)).thenThrows('INVALID_PLACES', 'invalid');
      spec.given([]).when(allocate(r1, 1.5)).thenThrows('INVALID_PLACES', 'invalid');
    });
  });

  describe('Cancel (from the ordered consumer)', () => {
    const cancel = (r: AllocationRequest) => ({
      type: 'Cancel' as const,
      requestId: r.requestId,
      at: NOW,
      actor: ALLOCATOR,
      offerWindowMs: WINDOW,
    });

    it('releases a booked place; with nobody waiting nothing else happens', () => {
      const state = spec
        .given([capacity(2), allocated(r1)])
        .when(cancel(r1))
        .then([released(r1, 'cancelled')]);
      expect(state.requests.r1.status).toBe('cancelled');
      expect(freePlaces(state)).toBe(2);
    });

    it('offers the freed place to the first waiting family, held for the reply window', () => {
      const state = spec
        .given(FULL_WITH_QUEUE)
        .when(cancel(r2))
        .then([released(r2, 'cancelled'), offered(r3)]);
      expect(lists(state)).toEqual({ places: 2, allocated: ['r1'], pendingStaff: [], offered: ['r3'], waiting: ['r4'] });
      expect(state.offers.r3).toBe(EXPIRES);
    });

    it('removes a waiting request from the queue without offering anything', () => {
      const state = spec
        .given(FULL_WITH_QUEUE)
        .when(cancel(r3))
        .then([removed(r3, 'cancelled')]);
      expect(state.waiting).toEqual(['r4']);
    });

    it('cancelling an outstanding offer passes the place on to the next one', () => {
      spec
        .given([...FULL_WITH_QUEUE, released(r1, 'cancelled'), offered(r3)])
        .when(cancel(r3))
        .then([released(r3, 'cancelled'), offered(r4)]);
    });

    it('cancelling a request awaiting staff frees its place', () => {
      const s1 = req(1, 'staff');
      spec
        .given([capacity(1), allocated(s1, true), waitListed(r2, 1)])
        .when(cancel(s1))
        .then([released(s1, 'cancelled'), offered(r2)]);
    });

    it('ignores an unknown request and a request already over (at-least-once delivery)', () => {
      spec
        .given(FULL_WITH_QUEUE)
        .when(cancel(req(9)))
        .then([]);
      spec
        .given([capacity(1), allocated(r1), released(r1, 'cancelled')])
        .when(cancel(r1))
        .then([]);
    });
  });

  describe('AcceptOffer (from the family)', () => {
    const OFFERED = [...FULL_WITH_QUEUE, released(r1, 'cancelled'), offered(r3)];
    const accept = (r: AllocationRequest, now = LATER, familyId = r.familyId) => ({
      type: 'AcceptOffer' as const,
      requestId: r.requestId,
      familyId,
      at: now,
      actor: family(`parent-${r.familyId}`),
    });

    it('books the offered place within the window', () => {
      const state = spec
        .given(OFFERED)
        .when(accept(r3))
        .then([offerAccepted(r3), allocated(r3)]);
      expect(lists(state)).toEqual({ places: 2, allocated: ['r2', 'r3'], pendingStaff: [], offered: [], waiting: ['r4'] });
    });

    it('with staff validation, the accepted place waits for staff unless staff approved the request beforehand', () => {
      const s3 = req(3, 'staff');
      const given = [capacity(1), allocated(r1), waitListed(s3, 1), released(r1, 'cancelled'), offered(s3)];
      spec
        .given(given)
        .when(accept(s3))
        .then([offerAccepted(s3), allocated(s3, true)]);
      spec
        .given([...given, staffAccepted(s3)])
        .when(accept(s3))
        .then([offerAccepted(s3), allocated(s3, false)]);
    });

    it('refuses once the window is over, even before the expiry job ran', () => {
      const error = spec.given(OFFERED).when(accept(r3, EXPIRES)).thenThrows('OFFER_EXPIRED', 'conflict');
      expect(error.message).toContain('délai');
      spec
        .given([...OFFERED, offerExpired(r3), released(r3, 'offer-expired')])
        .when(accept(r3))
        .thenThrows('OFFER_EXPIRED');
    });

    it("refuses another family's request as not found", () => {
      spec
        .given(OFFERED)
        .when(accept(r3, LATER, 'f4'))
        .thenThrows('REQUEST_NOT_FOUND', 'not_found');
      spec
        .given(OFFERED)
        .when(accept(req(9)))
        .thenThrows('REQUEST_NOT_FOUND', 'not_found');
    });

    it('refuses when no place is offered, and a second answer', () => {
      spec.given(OFFERED).when(accept(r4)).thenThrows('NO_OFFER', 'conflict');
      spec
        .given([...OFFERED, offerAccepted(r3), allocated(r3)])
        .when(accept(r3))
        .thenThrows('OFFER_ALREADY_ANSWERED', 'conflict');
    });
  });

  describe('DeclineOffer (from the family)', () => {
    it('releases the place and offers it to the next one', () => {
      const state = spec
        .given([...FULL_WITH_QUEUE, released(r1, 'cancelled'), offered(r3)])
        .when({ type: 'DeclineOffer', requestId: 'r3', familyId: 'f3', actor: family('parent-f3'), at: LATER, offerWindowMs: WINDOW })
        .then([
          { type: 'OfferDeclined', data: { ...ref(r3), declinedAt: LATER, by: 'parent-f3' } },
          released(r3, 'offer-declined'),
          offered(r4, LATER, '2026-04-04T10:00:00.000Z'),
        ]);
      expect(state.requests.r3.status).toBe('offer-declined');
      expect(lists(state)).toMatchObject({ offered: ['r4'], waiting: [] });
    });
  });

  describe('ExpireOffer (the job, at least once)', () => {
    const OFFERED = [...FULL_WITH_QUEUE, released(r1, 'cancelled'), offered(r3)];
    const expire = (r: AllocationRequest, now = AFTER_EXPIRY) => ({
      type: 'ExpireOffer' as const,
      requestId: r.requestId,
      at: now,
      actor: ALLOCATOR,
      offerWindowMs: WINDOW,
    });

    it('ends the offer and offers the place to the next one', () => {
      const state = spec
        .given(OFFERED)
        .when(expire(r3))
        .then([offerExpired(r3), released(r3, 'offer-expired'), offered(r4, AFTER_EXPIRY, '2026-04-05T08:00:00.001Z')]);
      expect(state.requests.r3.status).toBe('offer-expired');
    });

    it('ignores an offer already answered, ended or unknown, and a second delivery', () => {
      spec
        .given([...OFFERED, offerAccepted(r3), allocated(r3)])
        .when(expire(r3))
        .then([]);
      spec
        .given([...OFFERED, released(r3, 'offer-declined')])
        .when(expire(r3))
        .then([]);
      spec
        .given([...OFFERED, released(r3, 'cancelled')])
        .when(expire(r3))
        .then([]);
      spec
        .given([...OFFERED, offerExpired(r3), released(r3, 'offer-expired')])
        .when(expire(r3))
        .then([]);
      spec
        .given(OFFERED)
        .when(expire(req(9)))
        .then([]);
      spec.given(OFFERED).when(expire(r4)).then([]);
    });

    it('refuses a delivery before the end of the window, so that the job is retried', () => {
      const error = spec.given(OFFERED).when(expire(r3, LATER)).thenThrows('OFFER_NOT_EXPIRED', 'conflict');
      expect(error.details).toEqual({ expiresAt: EXPIRES });
    });
  });

  describe('AcceptByStaff / RefuseByStaff', () => {
    const [s1, s2, s3] = [req(1, 'staff'), req(2, 'staff'), req(3, 'staff')];
    /** one place held by s1 for staff, s2 waiting */
    const PENDING = [capacity(1), allocated(s1, true), waitListed(s2, 1)];
    const acceptBy = (r: AllocationRequest, actor = STAFF) => ({
      type: 'AcceptByStaff' as const,
      requestId: r.requestId,
      at: LATER,
      actor,
    });
    const refuseBy = (r: AllocationRequest, reason = 'Enfant non inscrit à cette activité', actor = STAFF) => ({
      type: 'RefuseByStaff' as const,
      requestId: r.requestId,
      reason,
      actor,
      at: LATER,
      offerWindowMs: WINDOW,
    });

    it('accepting a request that holds a place books it', () => {
      const state = spec
        .given(PENDING)
        .when(acceptBy(s1))
        .then([staffAccepted(s1)]);
      expect(lists(state)).toMatchObject({ allocated: ['r1'], pendingStaff: [], waiting: ['r2'] });
    });

    it('accepting a waiting request pre-approves it: it stays in the queue at its rank', () => {
      const state = spec
        .given(PENDING)
        .when(acceptBy(s2))
        .then([staffAccepted(s2)]);
      expect(state.requests.r2).toMatchObject({ status: 'waiting', staffApproved: true });
    });

    it('refusing a request that holds a place frees it for the next one', () => {
      const state = spec
        .given(PENDING)
        .when(refuseBy(s1))
        .then([
          {
            type: 'RequestRefusedByStaff',
            data: { ...ref(s1), reason: 'Enfant non inscrit à cette activité', refusedAt: LATER, refusedBy: STAFF.userId },
          },
          released(s1, 'refused-by-staff'),
          offered(s2, LATER, '2026-04-04T10:00:00.000Z'),
        ]);
      expect(state.requests.r1.status).toBe('refused-by-staff');
    });

    it('refusing a waiting request takes it out of the queue', () => {
      const state = spec
        .given([...PENDING, waitListed(s3, 2)])
        .when(refuseBy(s2, '  Dossier incomplet  '))
        .then([
          { type: 'RequestRefusedByStaff', data: { ...ref(s2), reason: 'Dossier incomplet', refusedAt: LATER, refusedBy: STAFF.userId } },
        ]);
      expect(state.waiting).toEqual(['r3']);
      expect(state.requests.r2.status).toBe('refused-by-staff');
    });

    it('requires a reason for a refusal', () => {
      spec.given(PENDING).when(refuseBy(s1, '   ')).thenThrows('REFUSAL_REASON_REQUIRED', 'invalid');
      spec
        .given(PENDING)
        .when(refuseBy(s1, 'x'.repeat(501)))
        .thenThrows('REFUSAL_REASON_REQUIRED', 'invalid');
    });

    it('is reserved to staff', () => {
      spec.given(PENDING).when(acceptBy(s1, PARENT)).thenThrows('STAFF_ONLY', 'forbidden');
      spec
        .given(PENDING)
        .when(refuseBy(s1, 'Non', PARENT))
        .thenThrows('STAFF_ONLY', 'forbidden');
    });

    it('refuses unknown requests, automatic activities, decided or ended requests', () => {
      spec
        .given(PENDING)
        .when(acceptBy(req(9, 'staff')))
        .thenThrows('REQUEST_NOT_FOUND', 'not_found');
      spec
        .given([capacity(1), allocated(r1)])
        .when(acceptBy(r1))
        .thenThrows('NO_STAFF_VALIDATION', 'conflict');
      spec
        .given([...PENDING, staffAccepted(s1)])
        .when(acceptBy(s1))
        .thenThrows('REQUEST_ALREADY_DECIDED', 'conflict');
      spec
        .given([...PENDING, staffAccepted(s1)])
        .when(refuseBy(s1))
        .thenThrows('REQUEST_ALREADY_DECIDED', 'conflict');
      spec
        .given([...PENDING, staffAccepted(s2)])
        .when(refuseBy(s2))
        .thenThrows('REQUEST_ALREADY_DECIDED', 'conflict');
      spec
        .given([...PENDING, released(s1, 'cancelled')])
        .when(acceptBy(s1))
        .thenThrows('REQUEST_NO_LONGER_ACTIVE', 'conflict');
    });
  });

  describe('Close', () => {
    const close = (reason = 'Grève du personnel') => ({ type: 'Close' as const, reason, at: LATER, actor: STAFF });

    it('releases every live request in arrival order (held places and the queue), with the reason', () => {
      const s2 = req(2, 'staff');
      // r1 booked, s2 awaiting staff, r3 offered, r4 and r5 waiting
      const given = [
        capacity(3),
        allocated(r1),
        allocated(s2, true),
        allocated(r3),
        waitListed(r4, 1),
        waitListed(req(5), 2),
        released(r3, 'cancelled'),
        offered(r4),
      ];
      const reason = 'Grève du personnel';
      const state = spec
        .given(given)
        .when(close(`  ${reason} `))
        .then([
          dayClosed(reason),
          released(r1, 'closure', reason),
          released(s2, 'closure', reason),
          released(r4, 'closure', reason),
          removed(req(5), 'closure', reason),
        ]);
      expect(lists(state)).toEqual({ places: 3, allocated: [], pendingStaff: [], offered: [], waiting: [] });
      expect(state.closed).toBe(true);
      expect(state.requests.r3.status).toBe('cancelled'); // ended before: untouched
    });

    it('a day already closed is left alone (at-least-once)', () => {
      spec
        .given([capacity(1), dayClosed()])
        .when(close())
        .then([]);
    });

    it('requires a reason', () => {
      spec
        .given([capacity(1)])
        .when(close(' '))
        .thenThrows('CLOSURE_REASON_REQUIRED', 'invalid');
    });

    it('more places on a closed day offer nothing', () => {
      spec
        .given([capacity(1), allocated(r1), waitListed(r2, 1), dayClosed(), released(r1, 'closure'), removed(r2, 'closure')])
        .when({ type: 'ChangeCapacity', places: 5, at: LATER, actor: STAFF, offerWindowMs: WINDOW })
        .then([capacity(5, 1)]);
    });
  });

  describe('ChangeCapacity', () => {
    const change = (places: number) => ({ type: 'ChangeCapacity' as const, places, at: NOW, actor: STAFF, offerWindowMs: WINDOW });

    it('sets the capacity of a new day', () => {
      spec
        .given([])
        .when(change(12))
        .then([capacity(12, null)]);
    });

    it('more places are offered to the waiting list in order', () => {
      const r5 = req(5);
      const state = spec
        .given([...FULL_WITH_QUEUE, waitListed(r5, 3)])
        .when(change(4))
        .then([capacity(4, 2), offered(r3), offered(r4)]);
      expect(lists(state)).toEqual({ places: 4, allocated: ['r1', 'r2'], pendingStaff: [], offered: ['r3', 'r4'], waiting: ['r5'] });
    });

    it('fewer places never take back a place: it only stops granting them until enough are freed', () => {
      const [r5, r6] = [req(5), req(6)];
      const given = [capacity(3), allocated(r1), allocated(r2), allocated(r3), waitListed(r4, 1), waitListed(r5, 2), waitListed(r6, 3)];
      const lowered = spec
        .given(given)
        .when(change(1))
        .then([capacity(1, 3)]);
      expect(heldPlaces(lowered)).toBe(3);
      expect(lowered.allocated).toEqual(['r1', 'r2', 'r3']);

      const cancel = (r: AllocationRequest) => ({
        type: 'Cancel' as const,
        requestId: r.requestId,
        at: NOW,
        actor: ALLOCATOR,
        offerWindowMs: WINDOW,
      });
      const afterLowered = [...given, capacity(1, 3)];
      // 3 held for 1 place: a cancellation leaves 2 held, still over: no offer
      spec
        .given(afterLowered)
        .when(cancel(r1))
        .then([released(r1, 'cancelled')]);
      // a newcomer waits, even though the waiting list is long
      spec
        .given(afterLowered)
        .when(allocate(req(7)))
        .then([waitListed(req(7), 4)]);
      // once below the capacity again, the head of the queue gets the place
      spec
        .given([...afterLowered, released(r1, 'cancelled'), released(r2, 'cancelled')])
        .when(cancel(r3))
        .then([released(r3, 'cancelled'), offered(r4)]);
    });

    it('the same capacity changes nothing; an invalid one is refused', () => {
      spec
        .given([capacity(2)])
        .when(change(2))
        .then([]);
      spec
        .given([capacity(2)])
        .when(change(-1))
        .thenThrows('INVALID_PLACES', 'invalid');
      spec
        .given([capacity(2)])
        .when(change(2.5))
        .thenThrows('INVALID_PLACES', 'invalid');
    });
  });

  describe('offer window', () => {
    it('is 2 days by default, 1 to 14 days', () => {
      expect(offerWindowMs()).toBe(2 * 24 * 3600 * 1000);
      expect(offerWindowMs(14)).toBe(14 * 24 * 3600 * 1000);
      expect(() => offerWindowMs(0)).toThrow();
      expect(() => offerWindowMs(15)).toThrow();
    });
  });

  it('folding the events of a whole day gives the state the decisions led to', () => {
    const events: AllocationEvent[] = [];
    let state = allocationDecider.initialState();
    const run = (command: Parameters<typeof allocationDecider.decide>[0]) => {
      const produced = allocationDecider.decide(command, state);
      events.push(...produced);
      state = produced.reduce(allocationDecider.evolve, state);
    };
    [r1, r2, r3, r4].forEach((r) => run(allocate(r, 2)));
    run({ type: 'Cancel', requestId: 'r1', at: NOW, actor: ALLOCATOR, offerWindowMs: WINDOW });
    run({ type: 'AcceptOffer', requestId: 'r3', familyId: 'f3', at: LATER, actor: family('parent-f3') });
    expect(fold(allocationDecider, events)).toEqual(state);
    expect(lists(state)).toEqual({ places: 2, allocated: ['r2', 'r3'], pendingStaff: [], offered: [], waiting: ['r4'] });
  });
});
