import { commandTarget } from '../../../platform/domain/command-target';
import type { ActivityDay } from '../allocation/allocation.commands';
import { attendanceDecider } from './attendance.decider';
import { attendanceStream } from './attendance.events';

/** What staff saw on one activity-day: one stream per activity-day. */
export const attendanceCommands = commandTarget({
  category: 'attendance',
  decider: attendanceDecider,
  streamId: ({ activityId, date }: ActivityDay) => attendanceStream(activityId, date),
  keyFields: ({ activityId, date }: ActivityDay) => ({ activityId, date }),
});
