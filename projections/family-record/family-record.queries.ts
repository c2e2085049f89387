import type { ReadModels } from '../../src/platform/projections/read-models';
import { type FamilyRecordDocument, familyRecordProjection } from './family-record.projection';

/** « Mon compte »: the family record, or null when the family does not exist (or is not projected yet). */
export function familyRecordOf(readModels: ReadModels, familyId: string): Promise<FamilyRecordDocument | null> {
  return readModels.get<FamilyRecordDocument>(familyRecordProjection.name, familyId);
}
