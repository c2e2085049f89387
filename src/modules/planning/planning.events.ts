import type { DomainEvent, EventTypeDefinition } from '../../platform/domain/decider';
import type { Instant, LocalDate } from './planning.types';

/*
 * Two kinds of streams hold the planning:
 *
 * - `planning-<familyId>`: one stream per family. The command handler appends the family's requests
 *   there at once, once the booking rules (deadlines, windows, closures, enrolment) accepted them:
 *   ReservationRequested, CancellationRequested, AbsenceDeclared. Two families never contend for
 *   the same stream, so recording a request never waits for another family.
 * - `allocation-<activityId>-<date>`: one stream per activity and day. The ordered allocation consumer
 *   (allocation/allocation-consumer.ts) reads the requests from the event log in its global order and
 *   writes the outcomes there: places allocated, waiting list, offers, staff decisions, closures,
 *   capacity. That stream is the only one that decides places, so it is where "never more than the
 *   places" is enforced (optimistic concurrency on its revision).
 *
 * Every allocation event about one request carries `familyId` and `childId`: one allocation append can
 * concern several families (a closure, a freed place offered to the next one), so read models, mails and
 * crypto-shredding take the family from the data, not from the append's metadata.
 */

// ---------------------------------------------------------------------------------------------------
// Stream names
// ---------------------------------------------------------------------------------------------------

const PLANNING_STREAM_PREFIX = 'planning-';
const ALLOCATION_STREAM_PREFIX = 'allocation-';

/** The family's planning stream: its reservation, cancellation and absence requests. */
export function planningStream(familyId: string): string {
  return `${PLANNING_STREAM_PREFIX}${familyId}`;
}

/** The familyId of a planning stream name, or null when the stream is not a planning stream. */
export function familyIdFromPlanningStream(streamId: string): string | null {
  return streamId.startsWith(PLANNING_STREAM_PREFIX) && streamId.length > PLANNING_STREAM_PREFIX.length
    ? streamId.slice(PLANNING_STREAM_PREFIX.length)
    : null;
}

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

// ---------------------------------------------------------------------------------------------------
// The family's planning stream
// ---------------------------------------------------------------------------------------------------

/**
 * How a request is confirmed: 'automatic' (a place is enough) or 'staff' (an agent accepts or refuses
 * it). Copied from the activity when the request is recorded, so that the allocator needs no catalogue.
 */
export type ValidationMode = 'automatic' | 'staff';

/** A parent (or an agent for the family) booked a day; the booking rules accepted it. */
export type ReservationRequestedData = {
  requestId: string;
  childId: string;
  activityId: string;
  date: LocalDate;
  requestedAt: Instant;
  /** userId of the requester */
  requestedBy: string;
  validation: ValidationMode;
};
export type ReservationRequested = DomainEvent<'ReservationRequested', ReservationRequestedData>;

/**
 * A booked (or waiting) day is cancelled. `childId`, `activityId` and `date` are copied from the
 * reservation so that the allocation consumer routes the cancellation without reading the family stream.
 */
export type CancellationRequestedData = {
  /** the requestId of the reservation cancelled */
  requestId: string;
  childId: string;
  activityId: string;
  date: LocalDate;
  cancelledAt: Instant;
  /** userId of who cancelled */
  by: string;
};
export type CancellationRequested = DomainEvent<'CancellationRequested', CancellationRequestedData>;

/**
 * Per day of an absence: 'excused' (not billed), 'billed', or 'to-verify' (a certificate is awaited or
 * staff must check it: "Absence à vérifier" / "Absence en cours de traitement").
 */
export type AbsenceOutcome = 'excused' | 'billed' | 'to-verify';

export type AbsenceDayDecision = {
  date: LocalDate;
  outcome: AbsenceOutcome;
};

/** A medical certificate (or other proof) attached to an absence: the document itself is stored apart. */
export type AbsenceCertificate = {
  documentId: string;
  providedAt: Instant;
};

/** A child was reported absent from an activity on some booked days; the absence policy decided each day. */
export type AbsenceDeclaredData = {
  absenceId: string;
  childId: string;
  activityId: string;
  /** the absent days, in calendar order */
  days: LocalDate[];
  declaredAt: Instant;
  /** userId of who declared it */
  declaredBy: string;
  certificate?: AbsenceCertificate;
  /** one decision per day of `days`, same order */
  decisions: AbsenceDayDecision[];
};
export type AbsenceDeclared = DomainEvent<'AbsenceDeclared', AbsenceDeclaredData>;

export type FamilyPlanningEvent = ReservationRequested | CancellationRequested | AbsenceDeclared;

// ---------------------------------------------------------------------------------------------------
// The allocation stream of an activity-day (written by the allocator only)
// ---------------------------------------------------------------------------------------------------

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
export type PlaceAllocated = DomainEvent<'PlaceAllocated', PlaceAllocatedData>;

/** The day is full: the request waits, `rank` (1-based) is its place in the queue when it joined it. */
export type RequestWaitListedData = RequestRef & { position: number; validation: ValidationMode; rank: number };
export type RequestWaitListed = DomainEvent<'RequestWaitListed', RequestWaitListedData>;

/** A free place is offered to the first waiting request and held for it until `expiresAt`. */
export type PlaceOfferedData = RequestRef & { offeredAt: Instant; expiresAt: Instant };
export type PlaceOffered = DomainEvent<'PlaceOffered', PlaceOfferedData>;

/** The family took the offered place (followed by PlaceAllocated). */
export type OfferAcceptedData = RequestRef & { acceptedAt: Instant; by: string };
export type OfferAccepted = DomainEvent<'OfferAccepted', OfferAcceptedData>;

/** The family turned the offered place down (followed by PlaceReleased). */
export type OfferDeclinedData = RequestRef & { declinedAt: Instant; by: string };
export type OfferDeclined = DomainEvent<'OfferDeclined', OfferDeclinedData>;

/** The reply window ran out (followed by PlaceReleased). */
export type OfferExpiredData = RequestRef & { expiredAt: Instant };
export type OfferExpired = DomainEvent<'OfferExpired', OfferExpiredData>;

export type PlaceReleaseReason = 'cancelled' | 'closure' | 'offer-expired' | 'offer-declined' | 'refused-by-staff';

/**
 * A place held by a request (allocated, awaiting staff, or offered) is free again; the request is over.
 * `closureReason` (reason 'closure' only) copies DayClosed's reason, so the family's notice needs no lookup.
 */
export type PlaceReleasedData = RequestRef & { reason: PlaceReleaseReason; closureReason?: string };
export type PlaceReleased = DomainEvent<'PlaceReleased', PlaceReleasedData>;

/** A waiting request left the queue without ever holding a place; the request is over. */
export type RemovedFromWaitingListData = RequestRef & { reason: 'cancelled' | 'closure'; closureReason?: string };
export type RemovedFromWaitingList = DomainEvent<'RemovedFromWaitingList', RemovedFromWaitingListData>;

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
export type RequestRejected = DomainEvent<'RequestRejected', RequestRejectedData>;

/**
 * An agent validated a request of a staff-validated activity: a held place becomes a booking; a request
 * still waiting (or offered) is pre-approved and is booked as soon as it gets its place.
 */
export type RequestAcceptedByStaffData = RequestRef & { acceptedAt: Instant; acceptedBy: string };
export type RequestAcceptedByStaff = DomainEvent<'RequestAcceptedByStaff', RequestAcceptedByStaffData>;

/** An agent refused a request, with a reason shown to the family (a held place follows as PlaceReleased). */
export type RequestRefusedByStaffData = RequestRef & { reason: string; refusedAt: Instant; refusedBy: string };
export type RequestRefusedByStaff = DomainEvent<'RequestRefusedByStaff', RequestRefusedByStaffData>;

/**
 * The day is closed (Fermeture). It is followed, in the same append, by PlaceReleased / RemovedFromWaitingList
 * { reason: 'closure' } for every live request, in arrival order; later requests are rejected.
 */
export type DayClosedData = { reason: string; closedAt: Instant; closedBy: string };
export type DayClosed = DomainEvent<'DayClosed', DayClosedData>;

/** The number of places of the day. The first one of a stream sets it from the activity's configuration. */
export type CapacityChangedData = { places: number; previous: number | null };
export type CapacityChanged = DomainEvent<'CapacityChanged', CapacityChangedData>;

export type AllocationEvent =
  | PlaceAllocated
  | RequestWaitListed
  | PlaceOffered
  | OfferAccepted
  | OfferDeclined
  | OfferExpired
  | PlaceReleased
  | RemovedFromWaitingList
  | RequestRejected
  | RequestAcceptedByStaff
  | RequestRefusedByStaff
  | DayClosed
  | CapacityChanged;

export type PlanningEvent = FamilyPlanningEvent | AllocationEvent;
export type PlanningEventType = PlanningEvent['type'];
export type FamilyPlanningEventType = FamilyPlanningEvent['type'];
export type AllocationEventType = AllocationEvent['type'];

export const FAMILY_PLANNING_EVENT_TYPES: readonly FamilyPlanningEventType[] = [
  'ReservationRequested',
  'CancellationRequested',
  'AbsenceDeclared',
];

export const ALLOCATION_EVENT_TYPES: readonly AllocationEventType[] = [
  'PlaceAllocated',
  'RequestWaitListed',
  'PlaceOffered',
  'OfferAccepted',
  'OfferDeclined',
  'OfferExpired',
  'PlaceReleased',
  'RemovedFromWaitingList',
  'RequestRejected',
  'RequestAcceptedByStaff',
  'RequestRefusedByStaff',
  'DayClosed',
  'CapacityChanged',
];

export const PLANNING_EVENT_TYPES: readonly PlanningEventType[] = [...FAMILY_PLANNING_EVENT_TYPES, ...ALLOCATION_EVENT_TYPES];

/**
 * Personal data paths (crypto-shredding, see families.events.ts): the parents' user ids (`requestedBy`,
 * `declaredBy`, and `by` on a family's answer to an offer), the absence certificate (health data) and the
 * staff's refusal reason (free text written about the family). Ids, dates, instants, positions and
 * staff user ids stay in clear so that streams can be routed and projected. A closure reason is about the
 * day, not a family.
 */
export const planningEventTypes: EventTypeDefinition[] = [
  { type: 'ReservationRequested', version: 1, personalData: ['requestedBy'] },
  { type: 'CancellationRequested', version: 1, personalData: ['by'] },
  { type: 'AbsenceDeclared', version: 1, personalData: ['declaredBy', 'certificate'] },
  { type: 'PlaceAllocated', version: 1, personalData: [] },
  { type: 'RequestWaitListed', version: 1, personalData: [] },
  { type: 'PlaceOffered', version: 1, personalData: [] },
  { type: 'OfferAccepted', version: 1, personalData: ['by'] },
  { type: 'OfferDeclined', version: 1, personalData: ['by'] },
  { type: 'OfferExpired', version: 1, personalData: [] },
  { type: 'PlaceReleased', version: 1, personalData: [] },
  { type: 'RemovedFromWaitingList', version: 1, personalData: [] },
  { type: 'RequestRejected', version: 1, personalData: [] },
  { type: 'RequestAcceptedByStaff', version: 1, personalData: [] },
  { type: 'RequestRefusedByStaff', version: 1, personalData: ['reason'] },
  { type: 'DayClosed', version: 1, personalData: [] },
  { type: 'CapacityChanged', version: 1, personalData: [] },
];

/** Narrows a stored event (type + plain JSON data, already upcast) to a family planning event, or null. */
export function asFamilyPlanningEvent(event: { type: string; data: Record<string, unknown> }): FamilyPlanningEvent | null {
  return (FAMILY_PLANNING_EVENT_TYPES as readonly string[]).includes(event.type)
    ? ({ type: event.type, data: event.data } as unknown as FamilyPlanningEvent)
    : null;
}

/** Narrows a stored event (type + plain JSON data, already upcast) to an allocation event, or null. */
export function asAllocationEvent(event: { type: string; data: Record<string, unknown> }): AllocationEvent | null {
  return (ALLOCATION_EVENT_TYPES as readonly string[]).includes(event.type)
    ? ({ type: event.type, data: event.data } as unknown as AllocationEvent)
    : null;
}
