import { auditEvents } from '../../src/modules/audit/audit.events';
import { familyEvents } from '../../src/modules/families/families.events';
import { identityEvents } from '../../src/modules/identity/identity.events';
import { planningEventDefinitions } from '../../src/modules/planning/planning.events';
import type { ProjectedEvent, ProjectionDefinition } from '../../src/platform/projections/projection';

/** The family an event concerns, as the event stores index it: `data.familyId`, else `metadata.familyId`. */
function familyOf(event: ProjectedEvent): string | null {
  const fromData = event.data.familyId;
  if (typeof fromData === 'string' && fromData) return fromData;
  return typeof event.metadata.familyId === 'string' && event.metadata.familyId ? event.metadata.familyId : null;
}

/**
 * The staff action trail for the commune's DPO: one document per event (id = event id) that is a decision by a
 * staff member or an administrator (any event written with their role: accepting or refusing a request,
 * registering a family, enrolling a child, closing a day, recording attendance, erasing a family…), and per
 * read of health data or bank details (SensitiveDataRead, written before the data is returned).
 * Queryable by staff member and by family, newest first. No personal data is copied: who, when, what kind of
 * action, on which family, through which endpoint.
 */
export type StaffActionDocument = {
  eventId: string;
  at: string;
  userId: string;
  role: string;
  familyId: string | null;
  kind: 'decision' | 'sensitive-read';
  /** the event type (the decision), or the endpoint read */
  action: string;
  streamId: string;
  /** for reads: which sensitive data the answer held */
  data?: string[];
  correlationId: string | null;
};

const STAFF = new Set(['staff', 'admin']);

export const staffActionsProjection: ProjectionDefinition<StaffActionDocument> = {
  name: 'staff-actions',
  version: 1,
  eventTypes: [...familyEvents.types, ...identityEvents.types, ...auditEvents.types, ...planningEventDefinitions.map((d) => d.type)],
  indexedFields: ['userId', 'familyId', 'at'],

  documentIds(event) {
    if (event.type === 'SensitiveDataRead') return [event.metadata.eventId ?? `${event.streamId}@${event.revision}`];
    return STAFF.has(String(event.metadata.role)) ? [event.metadata.eventId ?? `${event.streamId}@${event.revision}`] : [];
  },

  evolve(document, event) {
    if (document) return document; // an action happened once: handling it again changes nothing
    const base = {
      eventId: event.metadata.eventId,
      at: event.recordedAt,
      familyId: familyOf(event),
      streamId: event.streamId,
      correlationId: typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : null,
    };
    if (event.type === 'SensitiveDataRead') {
      const data = event.data as { userId: string; role: string; resource: string; data: string[] };
      return { ...base, userId: data.userId, role: data.role, kind: 'sensitive-read', action: data.resource, data: data.data };
    }
    return { ...base, userId: event.metadata.userId, role: event.metadata.role, kind: 'decision', action: event.type };
  },
};
