import type { CatalogDocument } from '../../../../projections/catalog/catalog.projection';
import type { FindQuery } from '../../../platform/document-store/document-store.port';
import { type ReadModelPage, ReadModels, type ReadModelVersion } from '../../../platform/projections/read-models';
import { CatalogLookup } from './catalog-lookup';

/** The catalog read model as CatalogLookup sees it: a version and whole-catalog reads, both counted. */
class CatalogReadModel extends ReadModels {
  documents: CatalogDocument[] = [];
  current: ReadModelVersion = { collection: 'rm_catalog_v1_g1', lastChange: 10 };
  checkpointPosition = 10;
  finds = 0;

  async get<T>(): Promise<T | null> {
    return null;
  }
  async find<T>(_projection: string, _query?: FindQuery): Promise<ReadModelPage<T>> {
    this.finds += 1;
    return { items: this.documents as T[] };
  }
  async count(): Promise<number> {
    return this.documents.length;
  }
  async checkpoint(): Promise<number> {
    return this.checkpointPosition;
  }
  async version(): Promise<ReadModelVersion> {
    return this.current;
  }
}

const facility = (facilityId: string, activityIds: string[]): CatalogDocument =>
  ({
    facility: { facilityId, name: facilityId, commune: 'SAINT-JEAN' },
    activities: Object.fromEntries(activityIds.map((activityId) => [activityId, { activityId, facilityId }])),
    closures: [],
    allClosures: [],
    activityIds,
  }) as unknown as CatalogDocument;

describe('CatalogLookup', () => {
  it('keeps its copy while only unrelated events move the checkpoint, and reads again when the catalog changes', async () => {
    const readModels = new CatalogReadModel();
    readModels.documents = [facility('alsh', ['mercredi'])];
    const lookup = new CatalogLookup(readModels);
    expect(await lookup.activityIdsOf('alsh')).toEqual(['mercredi']);
    expect(readModels.finds).toBe(1);

    // a morning of bookings: the projection's checkpoint moves with every event, the catalog does not change
    for (let position = 11; position < 1000; position += 7) {
      readModels.checkpointPosition = position;
      expect((await lookup.activity('mercredi')).facility.facilityId).toBe('alsh');
    }
    expect(readModels.finds).toBe(1);

    // a new activity is projected: the next request sees it
    readModels.documents = [facility('alsh', ['mercredi', 'vacances'])];
    readModels.current = { collection: 'rm_catalog_v1_g1', lastChange: 1000 };
    expect(await lookup.activityIdsOf('alsh')).toEqual(['mercredi', 'vacances']);
    expect(readModels.finds).toBe(2);

    // a rebuild switches the collection: read again, even at the same last change
    readModels.current = { collection: 'rm_catalog_v1_g2', lastChange: 1000 };
    await lookup.all();
    expect(readModels.finds).toBe(3);
  });
});
