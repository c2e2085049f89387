import { familyEvents } from '../../src/modules/families/families.events';
import { CHANGE_CATEGORY_LABELS, type ChangeCategory } from '../../src/modules/families/families.types';
import type { ProjectionDefinition } from '../../src/platform/projections/projection';
import { CHANGE_REQUEST_EVENT_TYPES, requestIdOfEvent, summarizeChange } from '../change-requests/change-requests.projection';
import { familyIdOfEvent } from '../family-record/family-record.projection';

/**
 * The staff's work queue: one document per request waiting for a decision (id = requestId), deleted
 * as soon as the request is accepted or refused. Read by category or family, oldest first.
 * The change itself is not copied here (health and bank data stay in the request's own read model).
 */
export type StaffQueueDocument = {
  requestId: string;
  familyId: string;
  familyNumber: string;
  /** the family's commune: agents see the requests of the communes in their scope */
  commune: string;
  /** "DUPONT JEAN" */
  guardianName: string;
  category: ChangeCategory;
  categoryLabel: string;
  childId?: string;
  childName?: string;
  requestedAt: string;
  requestedBy: string;
  summary: string;
};

export const staffQueueProjection: ProjectionDefinition<StaffQueueDocument> = {
  name: 'staff-queue',
  version: 1,
  eventTypes: [...CHANGE_REQUEST_EVENT_TYPES],
  indexedFields: ['category', 'familyId', 'requestedAt', 'commune'],

  documentIds: requestIdOfEvent,

  evolve(document, event) {
    const familyEvent = familyEvents.narrow(event);
    if (!familyEvent) return document;
    switch (familyEvent.type) {
      case 'ChangeRequested': {
        const data = familyEvent.data;
        return {
          requestId: data.requestId,
          familyId: familyIdOfEvent(event) ?? '',
          familyNumber: data.familyNumber,
          commune: data.commune,
          guardianName: data.requesterName,
          category: data.category,
          categoryLabel: CHANGE_CATEGORY_LABELS[data.category],
          ...(data.childId ? { childId: data.childId } : {}),
          ...(data.childName ? { childName: data.childName } : {}),
          requestedAt: data.requestedAt,
          requestedBy: data.requestedBy,
          summary: summarizeChange(data, data.childName),
        };
      }
      case 'ChangeRequestAccepted':
      case 'ChangeRequestRefused':
        return null;
      case 'FamilyRegistered':
      case 'ChildAdded':
        return document;
      default: {
        const unexpected: never = familyEvent;
        throw new Error(`Unexpected family event ${JSON.stringify(unexpected)}`);
      }
    }
  },
};
