import { auditEventTypes } from './modules/audit/audit.events';
import { familyEventTypes } from './modules/families/families.events';
import { identityEventTypes } from './modules/identity/identity.events';
import { attendanceEventTypes } from './modules/planning/attendance/attendance.events';
import { catalogEventTypes } from './modules/planning/catalog/catalog.events';
import { enrolmentEventTypes } from './modules/planning/family-planning/family-planning.events';
import { planningEventTypes } from './modules/planning/planning.events';
import { calendarEventTypes } from './modules/planning/school-calendar/calendar-adjustments';
import type { EventTypeDefinition } from './platform/domain/decider';

/** Every event type the application writes, registered once with the serializer. */
export const ALL_EVENT_TYPES: EventTypeDefinition[] = [
  ...familyEventTypes,
  ...identityEventTypes,
  ...auditEventTypes,
  ...catalogEventTypes,
  ...enrolmentEventTypes,
  ...planningEventTypes,
  ...attendanceEventTypes,
  ...calendarEventTypes,
];
