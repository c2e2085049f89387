import { familyIdFromPlanningStream, familyPlanningEvents } from '../../src/modules/planning/family-planning/family-planning.events';
import type { ProjectionDefinition } from '../../src/platform/projections/projection';

/**
 * Which families have a child enrolled in an activity (any school year still enrolled): the recipients of
 * a broadcast to an activity or a facility. One document per (family, activity).
 */
export type ActivityMemberDocument = {
  familyId: string;
  activityId: string;
  /** `childId|schoolYear` of the enrolments in force */
  enrolments: string[];
  active: boolean;
};

export const activityMembersProjection: ProjectionDefinition<ActivityMemberDocument> = {
  name: 'activity-members',
  version: 1,
  eventTypes: ['ChildEnrolled', 'EnrolmentEnded'],
  indexedFields: ['activityId', 'active', 'familyId'],

  documentIds(event) {
    const familyId = familyIdFromPlanningStream(event.streamId);
    const activityId = event.data.activityId;
    return familyId && typeof activityId === 'string' ? [`${familyId}|${activityId}`] : [];
  },

  evolve(document, event, id) {
    const e = familyPlanningEvents.narrow(event);
    if (!e || (e.type !== 'ChildEnrolled' && e.type !== 'EnrolmentEnded')) return document;
    const [familyId, activityId] = [id.slice(0, id.indexOf('|')), e.data.activityId];
    const key = `${e.data.childId}|${e.data.schoolYear}`;
    const before = document?.enrolments ?? [];
    const enrolments = e.type === 'ChildEnrolled' ? [...new Set([...before, key])] : before.filter((k) => k !== key);
    return { familyId, activityId, enrolments, active: enrolments.length > 0 };
  },
};
