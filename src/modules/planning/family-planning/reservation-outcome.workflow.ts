/**
 * Feeds the allocator's endings back to the family's planning stream, so a day whose request was refused,
 * rejected, closed or whose offer lapsed can be asked for again (and is no longer cancellable).
 */
import { sendCommand, type Workflow, type WorkflowOutput } from '../../../platform/workflows/workflow';
import { allocationEvents } from '../allocation/allocation.events';
import { endingOf } from '../allocation/notices';
import { familyPlanningCommands } from './family-planning.commands';

export const reservationOutcomeWorkflow: Workflow<undefined> = {
  name: 'reservation-outcomes',
  actorId: 'allocator',
  eventTypes: ['PlaceReleased', 'RemovedFromWaitingList', 'RequestRefusedByStaff', 'RequestRejected'],

  decide(event): WorkflowOutput[] {
    const allocation = allocationEvents.narrow(event);
    if (!allocation) return [];
    const data = allocation.data as { requestId: string; familyId: string; reason?: string };
    const reason = endingOf(allocation.type, data.reason);
    if (!reason) return [];
    return [
      sendCommand(
        familyPlanningCommands,
        data.familyId,
        { type: 'RecordReservationEnd', requestId: data.requestId, reason },
        `outcome:${event.metadata.eventId}`,
      ),
    ];
  },
};
