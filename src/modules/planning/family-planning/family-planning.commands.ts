import { commandTarget } from '../../../platform/domain/command-target';
import { familyPlanningDecider } from './family-planning.decider';
import { planningStream } from './family-planning.events';

/** Every command on a family's planning (enrolments, reservations, absences) goes to its planning stream. */
export const familyPlanningCommands = commandTarget({
  category: 'planning',
  decider: familyPlanningDecider,
  streamId: planningStream,
  keyFields: (familyId: string) => ({ familyId }),
  familyId: (familyId: string) => familyId,
});
