import { Injectable } from '@nestjs/common';

import type { CatalogDocument } from '../../../../projections/catalog/catalog.projection';
import { allFacilities, catalogVersion } from '../../../../projections/catalog/catalog.queries';
import { DomainError } from '../../../platform/domain/domain-error';
import { ReadModels, type ReadModelVersion, sameVersion } from '../../../platform/projections/read-models';
import type { Activity, Closure, Facility } from '../planning.types';

export interface ActivityInCatalog {
  activity: Activity;
  facility: Facility;
  /** closures in force for the activity: its own and its facility's */
  closures: Closure[];
}

/**
 * The catalog read model (one document per facility), kept in memory: a commune has tens of activities, not
 * thousands. The copy is read again when the read model's version has changed (a catalog event projected, or a
 * rebuild), so a closure or a new activity is seen by the next request after it is projected; the events of
 * bookings and families, which move the projection's checkpoint but not the catalog, keep the copy.
 */
@Injectable()
export class CatalogLookup {
  private cache?: { version: ReadModelVersion; documents: CatalogDocument[] };

  constructor(private readonly readModels: ReadModels) {}

  async all(): Promise<CatalogDocument[]> {
    const version = await catalogVersion(this.readModels);
    if (this.cache && sameVersion(this.cache.version, version)) return this.cache.documents;
    this.cache = { version, documents: await allFacilities(this.readModels) };
    return this.cache.documents;
  }

  /** Forget the cached catalog (after a change made by this process). */
  invalidate(): void {
    this.cache = undefined;
  }

  async activity(activityId: string): Promise<ActivityInCatalog> {
    for (const doc of await this.all()) {
      const activity = doc.activities[activityId];
      if (activity) {
        const closures = doc.closures.filter((c) =>
          'facilityId' in c.scope ? c.scope.facilityId === doc.facility.facilityId : c.scope.activityId === activityId,
        );
        return { activity, facility: doc.facility, closures };
      }
    }
    throw new DomainError('ACTIVITY_NOT_FOUND', `L'activité « ${activityId} » n'existe pas.`, 'not_found');
  }

  /** The activities of a facility (none for an unknown facility). */
  async activityIdsOf(facilityId: string): Promise<string[]> {
    return Object.keys((await this.all()).find((d) => d.facility.facilityId === facilityId)?.activities ?? {});
  }

  /** The facility's document, or undefined. */
  async facility(facilityId: string): Promise<CatalogDocument | undefined> {
    return (await this.all()).find((d) => d.facility.facilityId === facilityId);
  }
}
