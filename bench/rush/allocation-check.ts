/**
 * The checks of `npm run bench:rush` on what the place allocator wrote, read back from the event store:
 *
 * - places: on every activity-day, places held (allocated + awaiting staff + offered) ≤ the day's places;
 * - decided: every ReservationRequested of the rush is known to its day's allocation stream;
 * - arrival order: on every day, the allocated requests are exactly the first `places` requests of that day
 *   by global log position of their ReservationRequested (the arrival order), in that order, and the
 *   waiting list is the rest, in position order; the position each allocation event carries is the one of
 *   its ReservationRequested.
 */
import { allocationDecider, type AllocationState, heldPlaces } from '../../src/modules/planning/allocation/allocation.decider';
import { type AllocationEvent, allocationStream } from '../../src/modules/planning/allocation/allocation.events';
import { type ReservationRequestedData } from '../../src/modules/planning/family-planning/family-planning.events';
import { fold } from '../../src/platform/domain/decider';
import type { EventStore } from '../../src/platform/event-store/event-store.port';
import type { EventSerializer } from '../../src/platform/events/event-serializer';

export interface RequestedEvent {
  requestId: string;
  familyId: string;
  activityId: string;
  date: string;
  position: number;
}

export interface DayCheck {
  activityId: string;
  date: string;
  places: number;
  requested: number;
  held: number;
  allocated: number;
  waiting: number;
  /** requests of the day not (yet) in the allocation stream */
  undecided: number;
  /** held > places */
  overAllocated: boolean;
  /** requests in the wrong list or at the wrong rank (0 when the day followed arrival order) */
  orderViolations: number;
  /** allocation events whose position differs from their ReservationRequested's */
  positionMismatches: number;
  allocationEvents: number;
}

export interface AllocationCheck {
  days: DayCheck[];
  requested: number;
  placesAvailable: number;
  placesHeld: number;
  allocated: number;
  waiting: number;
  undecided: number;
  overAllocatedDays: number;
  orderViolations: number;
  positionMismatches: number;
  /** how the allocation streams were read and folded */
  readSeconds: number;
}

/** Every ReservationRequested of the given activities after `fromPosition` (exclusive), in log order. */
export async function readRequests(events: EventStore, fromPosition: number, activityIds: ReadonlySet<string>): Promise<RequestedEvent[]> {
  const found: RequestedEvent[] = [];
  let from = fromPosition;
  for (;;) {
    const page = await events.readAll({ fromPosition: from, maxCount: 2000 });
    if (page.length === 0) return found;
    for (const e of page) {
      if (e.type !== 'ReservationRequested') continue;
      const data = e.data as unknown as ReservationRequestedData;
      if (!activityIds.has(data.activityId)) continue;
      found.push({
        requestId: data.requestId,
        familyId: e.streamId.replace(/^planning-/, ''),
        activityId: data.activityId,
        date: data.date,
        position: e.position,
      });
    }
    from = page[page.length - 1].position;
  }
}

export async function checkAllocations(
  events: EventStore,
  serializer: EventSerializer,
  requests: RequestedEvent[],
  days: { activityId: string; date: string; places: number }[],
): Promise<AllocationCheck> {
  const started = process.hrtime.bigint();
  const byDay = new Map<string, RequestedEvent[]>();
  for (const r of requests) {
    const key = allocationStream(r.activityId, r.date);
    let list = byDay.get(key);
    if (!list) byDay.set(key, (list = []));
    list.push(r);
  }
  const checks: DayCheck[] = [];
  for (const day of days) {
    const streamId = allocationStream(day.activityId, day.date);
    const stored = await events.readStream(streamId);
    const state: AllocationState = fold(
      allocationDecider,
      stored.map((e) => serializer.deserialize<AllocationEvent>(e)),
    );
    const places = state.places ?? day.places;
    const arrived = (byDay.get(streamId) ?? []).slice().sort((a, b) => a.position - b.position);
    const expectedAllocated = arrived.slice(0, places).map((r) => r.requestId);
    const expectedWaiting = arrived.slice(places).map((r) => r.requestId);
    // Automatic validation and nothing cancelled: every held place is a confirmed booking, in arrival order.
    const actualAllocated = [...state.allocated, ...state.pendingStaff, ...Object.keys(state.offers)];
    let orderViolations = 0;
    for (let i = 0; i < Math.max(expectedAllocated.length, actualAllocated.length); i++) {
      if (expectedAllocated[i] !== actualAllocated[i]) orderViolations += 1;
    }
    for (let i = 0; i < Math.max(expectedWaiting.length, state.waiting.length); i++) {
      if (expectedWaiting[i] !== state.waiting[i]) orderViolations += 1;
    }
    let positionMismatches = 0;
    let undecided = 0;
    for (const r of arrived) {
      const slot = state.requests[r.requestId];
      if (!slot) undecided += 1;
      else if (slot.position !== r.position) positionMismatches += 1;
    }
    const held = heldPlaces(state);
    checks.push({
      activityId: day.activityId,
      date: day.date,
      places,
      requested: arrived.length,
      held,
      allocated: state.allocated.length,
      waiting: state.waiting.length,
      undecided,
      overAllocated: held > places,
      orderViolations,
      positionMismatches,
      allocationEvents: stored.length,
    });
  }
  const sum = (f: (d: DayCheck) => number): number => checks.reduce((a, d) => a + f(d), 0);
  return {
    days: checks,
    requested: requests.length,
    placesAvailable: sum((d) => d.places),
    placesHeld: sum((d) => d.held),
    allocated: sum((d) => d.allocated),
    waiting: sum((d) => d.waiting),
    undecided: sum((d) => d.undecided),
    overAllocatedDays: checks.filter((d) => d.overAllocated).length,
    orderViolations: sum((d) => d.orderViolations),
    positionMismatches: sum((d) => d.positionMismatches),
    readSeconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}
