import type { ReadModels } from '../../src/platform/projections/read-models';
import { type ActivityMemberDocument, activityMembersProjection } from './activity-members.projection';

const PAGE = 1000;

/** The families with a child enrolled in one of these activities, each once, sorted. */
export async function familiesEnrolledIn(readModels: ReadModels, activityIds: string[]): Promise<string[]> {
  if (activityIds.length === 0) return [];
  const families = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await readModels.find<ActivityMemberDocument>(activityMembersProjection.name, {
      where: { activityId: { in: activityIds }, active: true },
      limit: PAGE,
      cursor,
    });
    for (const member of page.items) families.add(member.familyId);
    cursor = page.nextCursor;
  } while (cursor);
  return [...families].sort();
}

/** The activities a family has a child enrolled in. */
export async function activitiesOfFamily(readModels: ReadModels, familyId: string): Promise<string[]> {
  const page = await readModels.find<ActivityMemberDocument>(activityMembersProjection.name, {
    where: { familyId, active: true },
    limit: PAGE,
  });
  return page.items.map((m) => m.activityId);
}
