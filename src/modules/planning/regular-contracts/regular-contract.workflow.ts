/**
 * A regular contract (the weekdays booked by default) becomes reservations: when a child is enrolled with
 * contract days, every such day of the school year still ahead is requested at once, as a « semaine
 * type » would (the booking rules decide each day; the places are allocated in log order).
 */
import { v5 as uuidv5 } from 'uuid';

import { sendCommand, type Workflow, type WorkflowOutput } from '../../../platform/workflows/workflow';
import { parisDateOf } from '../calendar/local-date';
import { familyPlanningCommands } from '../family-planning/family-planning.commands';
import { type BookingFacts, MAX_BULK_ITEMS, type RequestReservations } from '../family-planning/family-planning.decider';
import { familyIdFromPlanningStream, familyPlanningEvents } from '../family-planning/family-planning.events';
import { expandTypicalWeek } from '../family-planning/typical-week';

/** Namespace of the request ids of contract days (any fixed UUID; never change it). */
const CONTRACT_NAMESPACE = 'c3f0d9a4-5b1e-4c47-9d0a-8e2f6b7a1c55';

/** The booking facts of the enrolled activity, on the calendar in force. */
export type RegularContractFacts = BookingFacts & Pick<RequestReservations, 'activities'>;

export const regularContractWorkflow: Workflow<RegularContractFacts> = {
  name: 'regular-contracts',
  actorId: 'regular-contract',
  eventTypes: ['ChildEnrolled'],

  decide(event, facts): WorkflowOutput[] {
    const enrolled = familyPlanningEvents.narrow(event);
    const familyId = familyIdFromPlanningStream(event.streamId);
    if (enrolled?.type !== 'ChildEnrolled' || !familyId) return [];
    const { childId, activityId, schoolYear, regularDays } = enrolled.data;
    if (regularDays.length === 0) return [];
    // The school year as the calendar in force has it (its rentrée and its end), from the enrolment on.
    const year = facts.calendar.schoolYears.find((y) => y.id === schoolYear);
    if (!year) return [];
    const today = parisDateOf(event.metadata.recordedAt);
    const from = today > year.start ? today : year.start;
    if (from > year.end) return [];
    const items = expandTypicalWeek({ from, to: year.end, lines: [{ childId, activityId, weekdays: regularDays }] }, facts, (c, a, date) =>
      uuidv5(`${event.metadata.eventId}|${c}|${a}|${date}`, CONTRACT_NAMESPACE),
    ).slice(0, MAX_BULK_ITEMS);
    if (items.length === 0) return [];
    const { calendar, closures, publicHolidays, familyCategory, activities } = facts;
    return [
      sendCommand(
        familyPlanningCommands,
        { familyId, schoolYear },
        { type: 'RequestReservations', items, activities, calendar, closures, publicHolidays, familyCategory },
        `contract:${event.metadata.eventId}`,
      ),
    ];
  },
};
