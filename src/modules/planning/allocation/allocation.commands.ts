import { commandTarget } from '../../../platform/domain/command-target';
import type { LocalDate } from '../planning.types';
import { allocationDecider } from './allocation.decider';
import { allocationStream } from './allocation.events';

/** One activity on one day: the stream that decides its places. */
export type ActivityDay = { activityId: string; date: LocalDate };

/** Every command on places goes to the activity-day's allocation stream. */
export const allocationCommands = commandTarget({
  category: 'allocation',
  decider: allocationDecider,
  streamId: ({ activityId, date }: ActivityDay) => allocationStream(activityId, date),
});
