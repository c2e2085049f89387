import { auditEvents } from './modules/audit/audit.events';
import { familyEvents } from './modules/families/families.events';
import { identityEvents } from './modules/identity/identity.events';
import { attendanceEventTypes } from './modules/planning/attendance/attendance.events';
import { catalogEvents } from './modules/planning/catalog/catalog.events';
import { enrolmentEventTypes } from './modules/planning/family-planning/family-planning.events';
import { planningEventTypes } from './modules/planning/planning.events';
import { calendarEventTypes } from './modules/planning/school-calendar/calendar-adjustments';
import type { EventTypeDefinition } from './platform/domain/decider';

/** Every event type the application writes, registered once with the serializer. */
export const ALL_EVENT_TYPES: EventTypeDefinition[] = [
  ...familyEvents.definitions,
  ...identityEvents.definitions,
  ...auditEvents.definitions,
  ...catalogEvents.definitions,
  ...enrolmentEventTypes,
  ...planningEventTypes,
  ...attendanceEventTypes,
  ...calendarEventTypes,
];
