import { allocationEvents } from '../../src/modules/planning/allocation/allocation.events';
import type { ProjectionDefinition } from '../../src/platform/projections/projection';

/**
 * The places offered from a waiting list and not answered yet: one document per offer (id = the allocation
 * stream and the request), gone once the offer is accepted, declined, expired or its place released. What
 * the start-up reconciliation reads to reschedule an offer's expiry job a lost job store forgot.
 */
export type OpenOfferDocument = {
  /** `allocation-<activityId>-<date>` */
  streamId: string;
  requestId: string;
  familyId: string;
  expiresAt: string;
};

const ENDING = new Set([
  'OfferAccepted',
  'OfferDeclined',
  'OfferExpired',
  'PlaceReleased',
  'RemovedFromWaitingList',
  'RequestRefusedByStaff',
]);

export const openOffersProjection: ProjectionDefinition<OpenOfferDocument> = {
  name: 'open-offers',
  version: 1,
  eventTypes: ['PlaceOffered', ...ENDING],
  indexedFields: ['expiresAt'],

  documentIds(event) {
    const requestId = event.data.requestId;
    return typeof requestId === 'string' ? [`${event.streamId}|${requestId}`] : [];
  },

  evolve(document, event) {
    const allocation = allocationEvents.narrow(event);
    if (!allocation) return document;
    if (allocation.type === 'PlaceOffered') {
      const { requestId, familyId, expiresAt } = allocation.data;
      return { streamId: event.streamId, requestId, familyId, expiresAt };
    }
    return ENDING.has(allocation.type) ? null : document;
  },
};
