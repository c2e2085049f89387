/**
 * A closure declared by staff closes every affected activity-day: bookings and waiting requests are
 * released (the families are told by the allocation follow-ups), later requests are refused. Idempotent:
 * the Close of a day already closed decides nothing. A cancelled closure does not reopen a closed day (the
 * families were told; staff reopen by changing the calendar or asking families to book again).
 */
import { sendCommand, type Workflow, type WorkflowOutput } from '../../../platform/workflows/workflow';
import { allocationCommands } from '../allocation/allocation.commands';
import { allocationStream } from '../allocation/allocation.events';
import { eachDay } from '../calendar/local-date';
import { catalogEvents } from '../catalog/catalog.events';

export type ClosureFacts = {
  /** the activities the closure covers: the one named, or every activity of the facility */
  activityIds: string[];
};

export const closureWorkflow: Workflow<ClosureFacts> = {
  name: 'closures',
  actorId: 'allocator',
  eventTypes: ['ClosureDeclared'],

  decide(event, facts): WorkflowOutput[] {
    const declared = catalogEvents.narrow(event);
    if (declared?.type !== 'ClosureDeclared') return [];
    const { closure } = declared.data;
    return facts.activityIds.flatMap((activityId) =>
      eachDay(closure.from, closure.to).map((date) =>
        sendCommand(
          allocationCommands,
          { activityId, date },
          { type: 'Close', reason: closure.reason, closedBy: event.metadata.userId },
          `closure:${event.metadata.eventId}:${allocationStream(activityId, date)}`,
        ),
      ),
    );
  },
};
