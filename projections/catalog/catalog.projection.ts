import { activeClosures, catalogDecider, type CatalogState } from '../../src/modules/planning/catalog/catalog.decider';
import { catalogEvents, facilityIdFromStream } from '../../src/modules/planning/catalog/catalog.events';
import type { Activity, Closure, Facility } from '../../src/modules/planning/planning.types';
import type { ProjectionDefinition } from '../../src/platform/projections/projection';

/**
 * The catalog as the booking rules and the planning screens read it: one document per facility with its
 * activities and the closures in force. Built with the catalog decider's own evolve.
 */
export type CatalogDocument = {
  facility: Facility;
  activities: Record<string, Activity>;
  /** closures in force (cancelled ones left out) */
  closures: Closure[];
  /** every closure, cancelled ones flagged, so the decider's state can be rebuilt from the document */
  allClosures: CatalogState['closures'];
  /** the activity ids, for lookups by activity */
  activityIds: string[];
  commune: string;
};

export const catalogProjection: ProjectionDefinition<CatalogDocument> = {
  name: 'catalog',
  // 2: activities hold `regieId` (issue 10)
  version: 2,
  eventTypes: [...catalogEvents.types],
  indexedFields: ['commune'],

  documentIds(event) {
    const facilityId = facilityIdFromStream(event.streamId);
    return facilityId ? [facilityId] : [];
  },

  evolve(document, event) {
    const catalogEvent = catalogEvents.narrow(event);
    if (!catalogEvent) return document;
    const before: CatalogState = document
      ? { facility: document.facility, activities: document.activities, closures: document.allClosures }
      : catalogDecider.initialState();
    const state = catalogDecider.evolve(before, catalogEvent);
    if (!state.facility) return document;
    return {
      facility: state.facility,
      activities: state.activities,
      closures: activeClosures(state),
      allClosures: state.closures,
      activityIds: Object.keys(state.activities),
      commune: state.facility.commune,
    };
  },
};
