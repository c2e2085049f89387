import { commandTarget } from '../../../platform/domain/command-target';
import { schoolYearOf } from '../calendar/school-calendar';
import { familyPlanningDecider } from './family-planning.decider';
import { type FamilyYear, legacyPlanningStream, planningStream } from './family-planning.events';

/** Bump when FamilyPlanningState's shape changes: snapshots of another version are ignored (rebuilt from the stream). */
const SNAPSHOT_VERSION = 1;

/**
 * Every command on a family's planning (enrolments, reservations, absences) goes to the stream of the
 * school year it concerns. A family whose planning began before the split by school year also has a
 * stream without a year: its events of that school year are folded first (it receives nothing new).
 */
export const familyPlanningCommands = commandTarget({
  category: 'planning',
  decider: familyPlanningDecider,
  streamId: ({ familyId, schoolYear }: FamilyYear) => planningStream(familyId, schoolYear),
  keyFields: ({ familyId }: FamilyYear) => ({ familyId }),
  familyId: ({ familyId }: FamilyYear) => familyId,
  snapshotVersion: SNAPSHOT_VERSION,
  prelude: ({ familyId, schoolYear }: FamilyYear) => ({ streamId: legacyPlanningStream(familyId), includes: ofSchoolYear(schoolYear) }),
});

/**
 * Which events of the stream from before the split belong to a school year: enrolments by their year,
 * requests by their day (September–August), endings with the request they end.
 */
function ofSchoolYear(schoolYear: string): (event: { type: string; data: Record<string, unknown> }) => boolean {
  const requests = new Set<string>();
  return ({ type, data }) => {
    switch (type) {
      case 'ChildEnrolled':
      case 'EnrolmentEnded':
        return data.schoolYear === schoolYear;
      case 'ReservationRequested':
      case 'CancellationRequested': {
        const mine = schoolYearOf(data.date as string) === schoolYear;
        if (mine) requests.add(data.requestId as string);
        return mine;
      }
      case 'ReservationEnded':
        return requests.has(data.requestId as string);
      case 'AbsenceDeclared':
        return schoolYearOf((data.days as string[])[0]) === schoolYear;
      default:
        return false;
    }
  };
}
