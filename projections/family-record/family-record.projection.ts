import { familiesDecider } from '../../src/modules/families/families.decider';
import { familyEvents, familyIdFromStream } from '../../src/modules/families/families.events';
import type { FamilyRecord } from '../../src/modules/families/families.types';
import type { ProjectedEvent, ProjectionDefinition } from '../../src/platform/projections/projection';

/**
 * "Mon compte" / "Mes enfants": one document per family (id = familyId), the record as the decider
 * sees it (the same evolve and applyAcceptedChange, so the read model cannot drift from the rules),
 * plus the ids of the requests still waiting for staff.
 */
export type FamilyRecordDocument = FamilyRecord & {
  /** requests sent by the family and not decided yet, oldest first */
  pendingRequestIds: string[];
  pendingRequestCount: number;
  /** instant the last event of the family was recorded */
  updatedAt: string;
  /** revision of the family stream this document reflects (the ETag clients send back in If-Match) */
  revision: number;
};

/** The family a projected event belongs to: its stream, else the metadata. */
export function familyIdOfEvent(event: ProjectedEvent): string | null {
  return familyIdFromStream(event.streamId) ?? event.metadata.familyId ?? null;
}

function recordOf(document: FamilyRecordDocument): FamilyRecord {
  // Picked field by field: the stored document also carries read-model and runner fields.
  const { familyId, familyNumber, commune, guardian, spouse, tax, caf, bank, children, registeredAt } = document;
  return {
    familyId,
    familyNumber,
    commune,
    guardian,
    ...(spouse ? { spouse } : {}),
    ...(tax ? { tax } : {}),
    ...(caf ? { caf } : {}),
    ...(bank ? { bank } : {}),
    children,
    registeredAt,
  };
}

export const familyRecordProjection: ProjectionDefinition<FamilyRecordDocument> = {
  name: 'family-record',
  version: 1,
  eventTypes: [...familyEvents.types],
  indexedFields: ['familyNumber'],

  documentIds(event) {
    const familyId = familyIdOfEvent(event);
    return familyId ? [familyId] : [];
  },

  evolve(document, event) {
    const familyEvent = familyEvents.narrow(event);
    if (!familyEvent) return document;
    const before = document ? recordOf(document) : null;
    // Requests are tracked below; the decider's evolve only needs them to decide, not to build the record.
    const { record } = familiesDecider.evolve({ record: before, requests: {} }, familyEvent);
    if (!record) return document;

    let pending = document?.pendingRequestIds ?? [];
    switch (familyEvent.type) {
      case 'ChangeRequested':
        if (!pending.includes(familyEvent.data.requestId)) pending = [...pending, familyEvent.data.requestId];
        break;
      case 'ChangeRequestAccepted':
      case 'ChangeRequestRefused':
        pending = pending.filter((id) => id !== familyEvent.data.requestId);
        break;
      case 'FamilyRegistered':
      case 'ChildAdded':
        break;
      default: {
        const unexpected: never = familyEvent;
        throw new Error(`Unexpected family event ${JSON.stringify(unexpected)}`);
      }
    }
    return {
      ...record,
      pendingRequestIds: pending,
      pendingRequestCount: pending.length,
      updatedAt: event.recordedAt,
      revision: event.revision,
    };
  },
};
