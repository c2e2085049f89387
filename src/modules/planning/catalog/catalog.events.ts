/**
 * The catalogue of one facility ("Structure"): the facility itself, its activities ("prestations") and
 * its closures ("Fermetures"), as staff set them up. One stream per facility, `facility-<facilityId>`.
 *
 * Every event carries the whole new configuration (an ActivityChanged holds the full Activity, not a
 * patch), so read models and the booking rules take the last one as it is. Nothing in these events is
 * about a family: no personal data (staff user ids stay in clear, like in planning.events.ts).
 */
import type { DomainEvent, EventTypeDefinition } from '../../../platform/domain/decider';
import type { Activity, Closure, Facility, Instant } from '../planning.types';

// ---------------------------------------------------------------------------------------------------
// Stream names
// ---------------------------------------------------------------------------------------------------

const FACILITY_STREAM_PREFIX = 'facility-';

/** The catalogue stream of a facility: the facility, its activities and its closures. */
export function facilityStream(facilityId: string): string {
  return `${FACILITY_STREAM_PREFIX}${facilityId}`;
}

/** The facilityId of a catalogue stream name, or null when the stream is not a catalogue stream. */
export function facilityIdFromStream(streamId: string): string | null {
  return streamId.startsWith(FACILITY_STREAM_PREFIX) && streamId.length > FACILITY_STREAM_PREFIX.length
    ? streamId.slice(FACILITY_STREAM_PREFIX.length)
    : null;
}

// ---------------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------------

/** A facility was set up ("Accueil de Loisirs", "Garderie périscolaire"). */
export type FacilityDefinedData = { facility: Facility; definedAt: Instant; definedBy: string };
export type FacilityDefined = DomainEvent<'FacilityDefined', FacilityDefinedData>;

/** An activity of the facility was set up, with its whole configuration. */
export type ActivityDefinedData = { activity: Activity; definedAt: Instant; definedBy: string };
export type ActivityDefined = DomainEvent<'ActivityDefined', ActivityDefinedData>;

/**
 * The configuration of an activity changed: `activity` is the full new configuration (places and their
 * overrides, validation, deadlines, booking windows, periods, absence policy). It applies to requests
 * decided from then on; what was already requested stays as it was.
 */
export type ActivityChangedData = { activity: Activity; changedAt: Instant; changedBy: string };
export type ActivityChanged = DomainEvent<'ActivityChanged', ActivityChangedData>;

/** A closure of the whole facility or of one of its activities, `from`…`to` both included. */
export type ClosureDeclaredData = { closure: Closure; declaredAt: Instant; declaredBy: string };
export type ClosureDeclared = DomainEvent<'ClosureDeclared', ClosureDeclaredData>;

/** A closure was withdrawn: its days run again (days already closed in the allocation stay closed). */
export type ClosureCancelledData = { closureId: string; cancelledAt: Instant; cancelledBy: string };
export type ClosureCancelled = DomainEvent<'ClosureCancelled', ClosureCancelledData>;

export type CatalogEvent = FacilityDefined | ActivityDefined | ActivityChanged | ClosureDeclared | ClosureCancelled;
export type CatalogEventType = CatalogEvent['type'];

export const CATALOG_EVENT_TYPES: readonly CatalogEventType[] = [
  'FacilityDefined',
  'ActivityDefined',
  'ActivityChanged',
  'ClosureDeclared',
  'ClosureCancelled',
];

/** No personal data: a catalogue is about the commune's services, never about a family. */
export const catalogEventTypes: EventTypeDefinition[] = CATALOG_EVENT_TYPES.map((type) => ({
  type,
  version: 1,
  personalData: [],
}));

/** Narrows a stored event (type + plain JSON data, already upcast) to a catalogue event, or null. */
export function asCatalogEvent(event: { type: string; data: Record<string, unknown> }): CatalogEvent | null {
  return (CATALOG_EVENT_TYPES as readonly string[]).includes(event.type)
    ? ({ type: event.type, data: event.data } as unknown as CatalogEvent)
    : null;
}
