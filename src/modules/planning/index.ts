/** The planning context's public face: what other contexts may use. */
export { allocationCommands } from './allocation/allocation.commands';
export { allocationEvents } from './allocation/allocation.events';
export { attendanceEvents } from './attendance/attendance.events';
export { catalogCommands } from './catalog/catalog.commands';
export { catalogEvents } from './catalog/catalog.events';
export { familyPlanningCommands } from './family-planning/family-planning.commands';
export { familyIdFromPlanningStream, familyPlanningEvents, planningStream } from './family-planning/family-planning.events';
export { planningEventDefinitions } from './planning.events';
export { PlanningModule } from './planning.module';
export type { Activity, LocalDate } from './planning.types';
export type { AbsencePenalty, AbsencePolicy } from './planning.types';
