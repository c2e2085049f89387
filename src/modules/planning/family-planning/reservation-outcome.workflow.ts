/**
 * Feeds the allocator's endings back to the family's planning stream, so a day whose request was refused,
 * rejected, closed or whose offer lapsed can be asked for again (and is no longer cancellable).
 */
import { sendCommand, type Workflow, type WorkflowOutput } from '../../../platform/workflows/workflow';
import { allocationEvents } from '../allocation/allocation.events';
import { endingOf } from '../allocation/notices';
import { familyPlanningCommands } from './family-planning.commands';

/** The school year of the activity-day the ending happened on (its planning stream's year). */
export type ReservationOutcomeFacts = { schoolYear: string };

export const reservationOutcomeWorkflow: Workflow<ReservationOutcomeFacts> = {
  name: 'reservation-outcomes',
  actorId: 'allocator',
  eventTypes: ['PlaceReleased', 'RemovedFromWaitingList', 'RequestRefusedByStaff', 'RequestRejected'],

  decide(event, facts): WorkflowOutput[] {
    const allocation = allocationEvents.narrow(event);
    if (!allocation) return [];
    const data = allocation.data as { requestId: string; familyId: string; reason?: string };
    const reason = endingOf(allocation.type, data.reason);
    if (!reason) return [];
    return [
      sendCommand(
        familyPlanningCommands,
        { familyId: data.familyId, schoolYear: facts.schoolYear },
        { type: 'RecordReservationEnd', requestId: data.requestId, reason },
        `outcome:${event.metadata.eventId}`,
      ),
    ];
  },
};
