import { Inject, Injectable } from '@nestjs/common';

import type { CatalogDocument } from '../../../../projections/catalog/catalog.projection';
import type { DocumentStore } from '../../../platform/document-store/document-store.port';
import { DomainError } from '../../../platform/domain/domain-error';
import { ProjectionRunner } from '../../../platform/projections/projection-runner';
import { DOCUMENT_STORE } from '../../../platform/tokens';
import type { Activity, Closure, Facility } from '../planning.types';

export interface ActivityInCatalog {
  activity: Activity;
  facility: Facility;
  /** closures in force for the activity: its own and its facility's */
  closures: Closure[];
}

/**
 * The catalog read model (one document per facility). A commune has tens of activities, not thousands:
 * the whole catalog is read at once and kept while the projection's checkpoint does not move past the
 * last catalog change, so a closure or a new activity is seen by the next request after it is projected.
 */
@Injectable()
export class CatalogRepository {
  private cache?: { checkpoint: number; documents: CatalogDocument[] };

  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    private readonly projections: ProjectionRunner,
  ) {}

  async all(): Promise<CatalogDocument[]> {
    const collection = await this.projections.collectionOf('catalog');
    const checkpoint = (await this.documents.getCheckpoint(collection)) ?? 0;
    if (this.cache && this.cache.checkpoint === checkpoint) return this.cache.documents;
    const page = await this.documents.find<CatalogDocument>(collection, { limit: 1000 });
    this.cache = { checkpoint, documents: page.items.map((d) => d.data) };
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
}
