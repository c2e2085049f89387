import { commandTarget } from '../../../platform/domain/command-target';
import { calendarDecider } from './calendar.decider';
import { CALENDAR_STREAM } from './calendar.events';

/** The commune's calendar adjustments: one stream for the portal. */
export const calendarCommands = commandTarget({
  category: 'school-calendar',
  decider: calendarDecider,
  streamId: () => CALENDAR_STREAM,
});
