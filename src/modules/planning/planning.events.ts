/**
 * The planning context's event types: one table per stream kind (each event type declared once, in the
 * file of the stream it lives in), gathered here for the serializer.
 */
import { definitionsOf } from '../../platform/domain/event-table';
import { allocationEvents } from './allocation/allocation.events';
import { attendanceEvents } from './attendance/attendance.events';
import { calendarEvents } from './calendar/calendar.events';
import { catalogEvents } from './catalog/catalog.events';
import { familyPlanningEvents } from './family-planning/family-planning.events';

export const planningEventDefinitions = definitionsOf(
  familyPlanningEvents,
  allocationEvents,
  attendanceEvents,
  catalogEvents,
  calendarEvents,
);
