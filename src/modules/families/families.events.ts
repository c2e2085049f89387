import type { DomainEvent, EventTypeDefinition } from '../../platform/domain/decider';
import type { Adult, ChangePayload, Child, Guardian } from './families.types';

/** One stream per family: the record and every change request about it. */
export function familyStream(familyId: string): string {
  return `family-${familyId}`;
}

const FAMILY_STREAM_PREFIX = 'family-';

/** The familyId of a family stream name, or null when the stream is not a family stream. */
export function familyIdFromStream(streamId: string): string | null {
  return streamId.startsWith(FAMILY_STREAM_PREFIX) && streamId.length > FAMILY_STREAM_PREFIX.length
    ? streamId.slice(FAMILY_STREAM_PREFIX.length)
    : null;
}

export type FamilyRegisteredData = {
  familyId: string;
  familyNumber: string;
  commune: string;
  guardian: Guardian;
  spouse?: Adult;
  children: Child[];
  registeredAt: string;
  registeredBy: string;
};
export type FamilyRegistered = DomainEvent<'FamilyRegistered', FamilyRegisteredData>;

export type ChildAddedData = {
  child: Child;
  addedAt: string;
  addedBy: string;
};
export type ChildAdded = DomainEvent<'ChildAdded', ChildAddedData>;

/**
 * A parent asked for a change. `familyNumber`, `requesterName` and `childName` are copied from the
 * record when the request is decided, so that read models (staff queue, list of requests) need not
 * join with the family record.
 */
export type ChangeRequestedData = ChangePayload & {
  requestId: string;
  /** set for child-scoped categories (authorizations, health) */
  childId?: string;
  requestedAt: string;
  /** userId of the requester */
  requestedBy: string;
  familyNumber: string;
  /** the family's commune, so the staff queue can be filtered by the agent's scope */
  commune: string;
  /** the guardian's display name, "DUPONT JEAN" */
  requesterName: string;
  /** the concerned child's first name (or the announced child's, for a 'child' request) */
  childName?: string;
};
export type ChangeRequested = DomainEvent<'ChangeRequested', ChangeRequestedData>;

export type ChangeRequestAcceptedData = ChangePayload & {
  requestId: string;
  childId?: string;
  acceptedAt: string;
  acceptedBy: string;
  /** for a 'child' request: the id of the child added to the record */
  addedChildId?: string;
};
export type ChangeRequestAccepted = DomainEvent<'ChangeRequestAccepted', ChangeRequestAcceptedData>;

export type ChangeRequestRefusedData = {
  requestId: string;
  category: ChangePayload['category'];
  childId?: string;
  /** French, shown to the parent ("Motif du refus") */
  reason: string;
  refusedAt: string;
  refusedBy: string;
};
export type ChangeRequestRefused = DomainEvent<'ChangeRequestRefused', ChangeRequestRefusedData>;

export type FamilyEvent = FamilyRegistered | ChildAdded | ChangeRequested | ChangeRequestAccepted | ChangeRequestRefused;
export type FamilyEventType = FamilyEvent['type'];

export const FAMILY_EVENT_TYPES: readonly FamilyEventType[] = [
  'FamilyRegistered',
  'ChildAdded',
  'ChangeRequested',
  'ChangeRequestAccepted',
  'ChangeRequestRefused',
];

/**
 * Personal data paths: each path names a subtree of `data` that the serializer encrypts as a whole
 * (crypto-shredding). Whole subtrees are marked on purpose: civility, marital situation, sex,
 * birth date, tax and CAF figures are personal data too, and a `changes` object can hold any of
 * them (names, addresses, phones, e-mails, IBAN, health data, authorized pickups...). Ids, categories,
 * instants and the family number stay in clear so that streams can be routed and projected.
 */
export const familyEventTypes: EventTypeDefinition[] = [
  { type: 'FamilyRegistered', version: 1, personalData: ['guardian', 'spouse', 'children'] },
  { type: 'ChildAdded', version: 1, personalData: ['child'] },
  { type: 'ChangeRequested', version: 1, personalData: ['changes', 'requesterName', 'childName'] },
  { type: 'ChangeRequestAccepted', version: 1, personalData: ['changes'] },
  // A refusal reason is free text written about the family and may name people.
  { type: 'ChangeRequestRefused', version: 1, personalData: ['reason'] },
];

/** Narrows a stored event (type + plain JSON data, already upcast) to a family event, or null. */
export function asFamilyEvent(event: { type: string; data: Record<string, unknown> }): FamilyEvent | null {
  return (FAMILY_EVENT_TYPES as readonly string[]).includes(event.type)
    ? ({ type: event.type, data: event.data } as unknown as FamilyEvent)
    : null;
}
