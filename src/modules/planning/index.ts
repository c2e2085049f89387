/** The planning context's public face: what other contexts may use. */
export { allocationCommands } from './allocation/allocation.commands';
export { allocationEvents } from './allocation/allocation.events';
export { attendanceEvents } from './attendance/attendance.events';
export { parisDateOf } from './calendar/local-date';
export { parisInstant } from './calendar/local-date';
export { dayKind } from './calendar/school-calendar';
export { catalogCommands } from './catalog/catalog.commands';
export { catalogEvents } from './catalog/catalog.events';
export { REGIE_ID_PATTERN, regieIdOf } from './catalog/regie-reference';
export { familyPlanningCommands } from './family-planning/family-planning.commands';
export { familyIdFromPlanningStream, familyPlanningEvents, planningStream } from './family-planning/family-planning.events';
export { planningEventDefinitions } from './planning.events';
export { PlanningModule } from './planning.module';
export type { Activity, LocalDate } from './planning.types';
export type { AbsencePenalty, AbsencePolicy, DayKind } from './planning.types';
export { PlanningFacts } from './planning-facts';
