/**
 * The place allocator: the one ordered consumer of families' reservation requests and cancellations.
 *
 * Why this is first come, first served on any number of API processes:
 * 1. Recording is separate from allocating. An API process appends a ReservationRequested to the family's
 *    own planning stream at once (after the booking rules): families never contend with each other there.
 * 2. The event store gives every committed event one global position, strictly increasing in commit order.
 *    That order IS the arrival order, the same for every reader, whichever process wrote the event.
 * 3. This workflow applies the requests to `allocation-<activityId>-<date>` strictly in that order (the
 *    runner delivers the next event only once the previous one is handled), with the request's position
 *    as its arrival order: a place goes to the earliest request still waiting.
 * 4. Every append to an allocation stream uses the revision read: if two allocators ever run at once, or
 *    the allocator races with a family or staff command on the same day, only one append of a revision
 *    succeeds and the other decides again on the new state; the decider enforces "held ≤ places".
 * 5. At-least-once delivery is harmless: a request already seen decides nothing, a cancellation of an
 *    ended request decides nothing, and each command carries an idempotency key derived from its source
 *    event, so two racing appends of one decision store it once.
 */
import { sendCommand, type Workflow, type WorkflowOutput } from '../../../platform/workflows/workflow';
import { familyIdFromPlanningStream, familyPlanningEvents } from '../family-planning/family-planning.events';
import { allocationCommands } from './allocation.commands';

/** What the allocator must know of the activity on the day. */
export type AllocationFacts = {
  /** the day's places, used to open an allocation stream that has no capacity yet */
  places: number;
  /** reply window given to a family offered a freed place */
  offerWindowMs: number;
};

/** The userId the allocator's commands are sent as. */
export const ALLOCATOR = 'allocator';

export const allocationWorkflow: Workflow<AllocationFacts> = {
  name: 'place-allocation',
  actorId: ALLOCATOR,
  eventTypes: ['ReservationRequested', 'CancellationRequested'],
  // 6. Decisions go in batches: each activity-day's commands of a batch in one append, in log order (the
  //    order that matters is within one day's stream; the days are independent, decided in parallel).
  batched: true,

  decide(event, facts): WorkflowOutput[] {
    const planning = familyPlanningEvents.narrow(event);
    const familyId = familyIdFromPlanningStream(event.streamId);
    if (!planning || !familyId) return [];
    const key = `allocation:${event.metadata.eventId}`;
    switch (planning.type) {
      case 'ReservationRequested': {
        const { requestId, childId, activityId, date, validation } = planning.data;
        return [
          sendCommand(
            allocationCommands,
            { activityId, date },
            {
              type: 'Allocate',
              request: { requestId, familyId, childId, position: event.position, validation },
              places: facts.places,
              offerWindowMs: facts.offerWindowMs,
            },
            key,
          ),
        ];
      }
      case 'CancellationRequested': {
        const { requestId, activityId, date } = planning.data;
        return [
          sendCommand(allocationCommands, { activityId, date }, { type: 'Cancel', requestId, offerWindowMs: facts.offerWindowMs }, key),
        ];
      }
      default:
        return [];
    }
  },
};
