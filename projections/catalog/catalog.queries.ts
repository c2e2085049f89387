import type { ReadModels, ReadModelVersion } from '../../src/platform/projections/read-models';
import { type CatalogDocument, catalogProjection } from './catalog.projection';

/** A commune has tens of facilities, not thousands: the whole catalog in one read. */
const MAX_FACILITIES = 1000;

/** Every facility with its activities and the closures in force. */
export async function allFacilities(readModels: ReadModels): Promise<CatalogDocument[]> {
  return (await readModels.find<CatalogDocument>(catalogProjection.name, { limit: MAX_FACILITIES })).items;
}

/**
 * The version of the catalog read model (cache key of whole-catalog readers): it changes when a catalog event is
 * projected or the read model is rebuilt, not when unrelated events move the projection's checkpoint.
 */
export function catalogVersion(readModels: ReadModels): Promise<ReadModelVersion> {
  return readModels.version(catalogProjection.name);
}
