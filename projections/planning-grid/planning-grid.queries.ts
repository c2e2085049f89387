import type { ReadModels } from '../../src/platform/projections/read-models';
import { planningGridProjection } from './planning-grid.projection';
import { gridDocumentId, type PlanningGridDocument } from './planning-grid.types';

/** What the events say of one child's month (requests, places, absences, attendance), or null. */
export function childMonth(readModels: ReadModels, familyId: string, childId: string, month: string): Promise<PlanningGridDocument | null> {
  return readModels.get<PlanningGridDocument>(planningGridProjection.name, gridDocumentId(familyId, childId, month));
}
