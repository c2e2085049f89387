import type { ReadModels } from '../../src/platform/projections/read-models';
import { type CatalogDocument, catalogProjection } from './catalog.projection';

/** A commune has tens of facilities, not thousands: the whole catalog in one read. */
const MAX_FACILITIES = 1000;

/** Every facility with its activities and the closures in force. */
export async function allFacilities(readModels: ReadModels): Promise<CatalogDocument[]> {
  return (await readModels.find<CatalogDocument>(catalogProjection.name, { limit: MAX_FACILITIES })).items;
}

/** The position of the last catalog change the read model reflects (cache key of whole-catalog readers). */
export function catalogCheckpoint(readModels: ReadModels): Promise<number> {
  return readModels.checkpoint(catalogProjection.name);
}
