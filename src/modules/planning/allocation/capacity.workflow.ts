/**
 * A change of an activity's places reaches the days already open for booking: each existing activity-day
 * stream of the coming year gets the new number (more places are offered to the waiting list in order;
 * fewer never take a place back). Days nobody booked yet take the new number from the configuration when
 * their first request arrives.
 */
import { sendCommand, type Workflow, type WorkflowOutput } from '../../../platform/workflows/workflow';
import { catalogEvents } from '../catalog/catalog.events';
import type { LocalDate } from '../planning.types';
import { allocationCommands } from './allocation.commands';
import { placesOn } from './allocation.decider';
import { allocationStream } from './allocation.events';

/** How far ahead a change of places reaches (days from the change). */
export const CAPACITY_HORIZON_DAYS = 400;

export type CapacityFacts = {
  /** the activity-days of the horizon that have an allocation stream, with their current places */
  days: { date: LocalDate; places: number | null }[];
  offerWindowMs: number;
};

export const capacityWorkflow: Workflow<CapacityFacts> = {
  name: 'capacity',
  actorId: 'allocator',
  eventTypes: ['ActivityChanged'],

  decide(event, facts): WorkflowOutput[] {
    const changed = catalogEvents.narrow(event);
    if (changed?.type !== 'ActivityChanged') return [];
    const { activity } = changed.data;
    return facts.days.flatMap(({ date, places }) => {
      const wanted = placesOn(activity, date);
      if (places === wanted) return [];
      const key = `capacity:${event.metadata.eventId}:${allocationStream(activity.activityId, date)}`;
      return [
        sendCommand(
          allocationCommands,
          { activityId: activity.activityId, date },
          { type: 'ChangeCapacity', places: wanted, offerWindowMs: facts.offerWindowMs },
          key,
        ),
      ];
    });
  },
};
