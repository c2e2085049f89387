/**
 * The allocation stream of one activity on one day, `allocation-<activityId>-<date>`: places, waiting
 * list, offers, staff decisions, closures, capacity. Written by the place allocator and by the people
 * who answer (families taking an offer, staff validating); it is the only stream that decides places, so
 * it is where "never more than the places" is enforced (optimistic concurrency on its revision).
 *
 * Every event about one request carries `familyId` and `childId`: one allocation append can concern
 * several families (a closure, a freed place offered to the next one), so read models, mails and
 * crypto-shredding take the family from the data, not from the append's metadata.
 */
import { type EventOf, eventTable } from '../../../platform/domain/event-table';
import { type ValidationMode } from '../family-planning/family-planning.events';
import type { Instant, LocalDate } from '../planning.types';

const ALLOCATION_STREAM_PREFIX = 'allocation-';

/** The allocation stream of one activity on one day: places, waiting list, offers. */
export function allocationStream(activityId: string, date: LocalDate): string {
  return `${ALLOCATION_STREAM_PREFIX}${activityId}-${date}`;
}

const ALLOCATION_STREAM_RE = /^allocation-(.+)-(\d{4}-\d{2}-\d{2})$/;

/** The activity and day of an allocation stream name (activity ids may contain dashes), or null. */
export function parseAllocationStream(streamId: string): { activityId: string; date: LocalDate } | null {
  const match = ALLOCATION_STREAM_RE.exec(streamId);
  return match ? { activityId: match[1], date: match[2] } : null;
}

/** The request an allocation event is about. */
export type RequestRef = {
  requestId: string;
  familyId: string;
  childId: string;
};

/**
 * A request holds a place. `position` is the global log position of its ReservationRequested (its
 * arrival order). `awaitingStaff`: the place is held while an agent validates the request (activities
 * with staff validation); RequestAcceptedByStaff confirms it, RequestRefusedByStaff frees it.
 */
export type PlaceAllocatedData = RequestRef & { position: number; validation: ValidationMode; awaitingStaff: boolean };

/** The day is full: the request waits, `rank` (1-based) is its place in the queue when it joined it. */
export type RequestWaitListedData = RequestRef & { position: number; validation: ValidationMode; rank: number };

/** A free place is offered to the first waiting request and held for it until `expiresAt`. */
export type PlaceOfferedData = RequestRef & { offeredAt: Instant; expiresAt: Instant };

/** The family took the offered place (followed by PlaceAllocated). */
export type OfferAcceptedData = RequestRef & { acceptedAt: Instant; by: string };

/** The family turned the offered place down (followed by PlaceReleased). */
export type OfferDeclinedData = RequestRef & { declinedAt: Instant; by: string };

/** The reply window ran out (followed by PlaceReleased). */
export type OfferExpiredData = RequestRef & { expiredAt: Instant };

export type PlaceReleaseReason = 'cancelled' | 'closure' | 'offer-expired' | 'offer-declined' | 'refused-by-staff';

/**
 * A place held by a request (allocated, awaiting staff, or offered) is free again; the request is over.
 * `closureReason` (reason 'closure' only) copies DayClosed's reason, so the family's notice needs no lookup.
 */
export type PlaceReleasedData = RequestRef & { reason: PlaceReleaseReason; closureReason?: string };

/** A waiting request left the queue without ever holding a place; the request is over. */
export type RemovedFromWaitingListData = RequestRef & { reason: 'cancelled' | 'closure'; closureReason?: string };

/**
 * A request reached a day already closed (it was recorded before the closure was known to the booking
 * rules, and allocated after it): it gets no place and does not wait.
 */
export type RequestRejectedData = RequestRef & {
  position: number;
  validation: ValidationMode;
  reason: 'day-closed';
  /** DayClosed's reason */
  closureReason: string;
};

/**
 * An agent validated a request of a staff-validated activity: a held place becomes a booking; a request
 * still waiting (or offered) is pre-approved and is booked as soon as it gets its place.
 */
export type RequestAcceptedByStaffData = RequestRef & { acceptedAt: Instant; acceptedBy: string };

/** An agent refused a request, with a reason shown to the family (a held place follows as PlaceReleased). */
export type RequestRefusedByStaffData = RequestRef & { reason: string; refusedAt: Instant; refusedBy: string };

/**
 * The day is closed (Fermeture). It is followed, in the same append, by PlaceReleased / RemovedFromWaitingList
 * { reason: 'closure' } for every live request, in arrival order; later requests are rejected.
 */
export type DayClosedData = { reason: string; closedAt: Instant; closedBy: string };

/** The number of places of the day. The first one of a stream sets it from the activity's configuration. */
export type CapacityChangedData = { places: number; previous: number | null };

type AllocationEventData = {
  PlaceAllocated: PlaceAllocatedData;
  RequestWaitListed: RequestWaitListedData;
  PlaceOffered: PlaceOfferedData;
  OfferAccepted: OfferAcceptedData;
  OfferDeclined: OfferDeclinedData;
  OfferExpired: OfferExpiredData;
  PlaceReleased: PlaceReleasedData;
  RemovedFromWaitingList: RemovedFromWaitingListData;
  RequestRejected: RequestRejectedData;
  RequestAcceptedByStaff: RequestAcceptedByStaffData;
  RequestRefusedByStaff: RequestRefusedByStaffData;
  DayClosed: DayClosedData;
  CapacityChanged: CapacityChangedData;
};

/** Personal data: a family's user id when it answers an offer, and the staff's refusal reason (free text about the family). */
export const allocationEvents = eventTable<AllocationEventData>({
  PlaceAllocated: { version: 1, personalData: [] },
  RequestWaitListed: { version: 1, personalData: [] },
  PlaceOffered: { version: 1, personalData: [] },
  OfferAccepted: { version: 1, personalData: ['by'] },
  OfferDeclined: { version: 1, personalData: ['by'] },
  OfferExpired: { version: 1, personalData: [] },
  PlaceReleased: { version: 1, personalData: [] },
  RemovedFromWaitingList: { version: 1, personalData: [] },
  RequestRejected: { version: 1, personalData: [] },
  RequestAcceptedByStaff: { version: 1, personalData: [] },
  RequestRefusedByStaff: { version: 1, personalData: ['reason'] },
  DayClosed: { version: 1, personalData: [] },
  CapacityChanged: { version: 1, personalData: [] },
});

export type AllocationEvent = EventOf<AllocationEventData>;
export type PlaceAllocated = EventOf<AllocationEventData, 'PlaceAllocated'>;
export type RequestWaitListed = EventOf<AllocationEventData, 'RequestWaitListed'>;
export type PlaceOffered = EventOf<AllocationEventData, 'PlaceOffered'>;
export type OfferAccepted = EventOf<AllocationEventData, 'OfferAccepted'>;
export type OfferDeclined = EventOf<AllocationEventData, 'OfferDeclined'>;
export type OfferExpired = EventOf<AllocationEventData, 'OfferExpired'>;
export type PlaceReleased = EventOf<AllocationEventData, 'PlaceReleased'>;
export type RemovedFromWaitingList = EventOf<AllocationEventData, 'RemovedFromWaitingList'>;
export type RequestRejected = EventOf<AllocationEventData, 'RequestRejected'>;
export type RequestAcceptedByStaff = EventOf<AllocationEventData, 'RequestAcceptedByStaff'>;
export type RequestRefusedByStaff = EventOf<AllocationEventData, 'RequestRefusedByStaff'>;
export type DayClosed = EventOf<AllocationEventData, 'DayClosed'>;
export type CapacityChanged = EventOf<AllocationEventData, 'CapacityChanged'>;
export type AllocationEventType = AllocationEvent['type'];
