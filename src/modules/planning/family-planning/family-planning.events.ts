/**
 * The enrolment events of a family's planning stream `planning-<familyId>` (planningStream of
 * planning.events.ts). The same stream holds the family's requests (ReservationRequested,
 * CancellationRequested, AbsenceDeclared, defined in planning.events.ts): enrolments are what the
 * booking rules read first (NOT_ENROLLED), so they live with the requests they govern.
 */
import type { DomainEvent, EventTypeDefinition } from '../../../platform/domain/decider';
import type { FamilyPlanningEvent } from '../planning.events';
import type { Instant, Weekday } from '../planning.types';

/**
 * A child was enrolled ("inscription") in an activity for a school year. `regularDays` is the regular
 * contract ("contrat régulier", the « Régulier » cells of the planning grid): the weekdays booked by
 * default, ascending; empty for occasional attendance.
 */
export type ChildEnrolledData = {
  childId: string;
  activityId: string;
  /** '2026-2027' */
  schoolYear: string;
  regularDays: Weekday[];
  enrolledAt: Instant;
  /** userId of the agent */
  enrolledBy: string;
};
export type ChildEnrolled = DomainEvent<'ChildEnrolled', ChildEnrolledData>;

/** The enrolment ended: from now on the child cannot be booked in the activity for that school year. */
export type EnrolmentEndedData = {
  childId: string;
  activityId: string;
  schoolYear: string;
  endedAt: Instant;
  /** userId of the agent */
  endedBy: string;
};
export type EnrolmentEnded = DomainEvent<'EnrolmentEnded', EnrolmentEndedData>;

/**
 * The allocator ended a request the family still counted as live (refused by staff, rejected or released
 * by a closure, an offer declined or expired): the day is free to ask again. Written by the outcome
 * workflow from the allocation stream, so the family's own stream knows what its requests became.
 */
export type ReservationEndedData = {
  requestId: string;
  reason: 'refused-by-staff' | 'rejected' | 'closure' | 'offer-expired' | 'offer-declined';
  endedAt: Instant;
};
export type ReservationEnded = DomainEvent<'ReservationEnded', ReservationEndedData>;

export type EnrolmentEvent = ChildEnrolled | EnrolmentEnded | ReservationEnded;
export type EnrolmentEventType = EnrolmentEvent['type'];

/** Every event of a `planning-<familyId>` stream. */
export type FamilyPlanningStreamEvent = FamilyPlanningEvent | EnrolmentEvent;

export const ENROLMENT_EVENT_TYPES: readonly EnrolmentEventType[] = ['ChildEnrolled', 'EnrolmentEnded', 'ReservationEnded'];

/**
 * No personal data: ids, school years, weekdays and the agents' user ids stay in clear (as in
 * planning.events.ts, staff user ids are not a family's personal data).
 */
export const enrolmentEventTypes: EventTypeDefinition[] = [
  { type: 'ChildEnrolled', version: 1, personalData: [] },
  { type: 'EnrolmentEnded', version: 1, personalData: [] },
  { type: 'ReservationEnded', version: 1, personalData: [] },
];

/** Narrows a stored event (type + plain JSON data, already upcast) to an enrolment event, or null. */
export function asEnrolmentEvent(event: { type: string; data: Record<string, unknown> }): EnrolmentEvent | null {
  return (ENROLMENT_EVENT_TYPES as readonly string[]).includes(event.type)
    ? ({ type: event.type, data: event.data } as unknown as EnrolmentEvent)
    : null;
}
