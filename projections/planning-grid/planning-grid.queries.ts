import type { ReadModels } from '../../src/platform/projections/read-models';
import { planningGridProjection } from './planning-grid.projection';
import { gridDocumentId, type PlanningGridDocument } from './planning-grid.types';

/** What the events say of one child's month (requests, places, absences, attendance), or null. */
export function childMonth(readModels: ReadModels, familyId: string, childId: string, month: string): Promise<PlanningGridDocument | null> {
  return readModels.get<PlanningGridDocument>(planningGridProjection.name, gridDocumentId(familyId, childId, month));
}

/** One page of the grids of a month, every family and child (an invoicing run reads them all). */
export async function gridsOfMonth(
  readModels: ReadModels,
  month: string,
  cursor?: string,
): Promise<{ items: PlanningGridDocument[]; nextCursor?: string }> {
  const page = await readModels.find<PlanningGridDocument>(planningGridProjection.name, {
    where: { month },
    sort: [{ field: 'familyId', direction: 'asc' }],
    limit: 1000,
    cursor,
  });
  return { items: page.items, nextCursor: page.nextCursor };
}
