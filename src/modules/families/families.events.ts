import { type EventOf, eventTable } from '../../platform/domain/event-table';
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

export type ChildAddedData = {
  child: Child;
  addedAt: string;
  addedBy: string;
};

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

export type ChangeRequestAcceptedData = ChangePayload & {
  requestId: string;
  childId?: string;
  acceptedAt: string;
  acceptedBy: string;
  /** for a 'child' request: the id of the child added to the record */
  addedChildId?: string;
};

export type ChangeRequestRefusedData = {
  requestId: string;
  category: ChangePayload['category'];
  childId?: string;
  /** French, shown to the parent ("Motif du refus") */
  reason: string;
  refusedAt: string;
  refusedBy: string;
};

/** The events of a family stream, by type. */
type FamilyEventData = {
  FamilyRegistered: FamilyRegisteredData;
  ChildAdded: ChildAddedData;
  ChangeRequested: ChangeRequestedData;
  ChangeRequestAccepted: ChangeRequestAcceptedData;
  ChangeRequestRefused: ChangeRequestRefusedData;
};

/**
 * Personal data paths: each path names a subtree of `data` that the serializer encrypts as a whole
 * (crypto-shredding). Whole subtrees are marked on purpose: civility, marital situation, sex,
 * birth date, tax and CAF figures are personal data too, and a `changes` object can hold any of
 * them (names, addresses, phones, e-mails, IBAN, health data, authorized pickups...). Ids, categories,
 * instants and the family number stay in clear so that streams can be routed and projected.
 */
export const familyEvents = eventTable<FamilyEventData>({
  FamilyRegistered: { version: 1, personalData: ['guardian', 'spouse', 'children'] },
  ChildAdded: { version: 1, personalData: ['child'] },
  ChangeRequested: { version: 1, personalData: ['changes', 'requesterName', 'childName'] },
  ChangeRequestAccepted: { version: 1, personalData: ['changes'] },
  // A refusal reason is free text written about the family and may name people.
  ChangeRequestRefused: { version: 1, personalData: ['reason'] },
});

export type FamilyEvent = EventOf<FamilyEventData>;
export type FamilyEventType = FamilyEvent['type'];
export type FamilyRegistered = EventOf<FamilyEventData, 'FamilyRegistered'>;
export type ChildAdded = EventOf<FamilyEventData, 'ChildAdded'>;
export type ChangeRequested = EventOf<FamilyEventData, 'ChangeRequested'>;
export type ChangeRequestAccepted = EventOf<FamilyEventData, 'ChangeRequestAccepted'>;
export type ChangeRequestRefused = EventOf<FamilyEventData, 'ChangeRequestRefused'>;
