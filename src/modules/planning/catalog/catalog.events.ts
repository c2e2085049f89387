/**
 * The catalogue of one facility ("Structure"): the facility itself, its activities ("prestations") and
 * its closures ("Fermetures"), as staff set them up. One stream per facility, `facility-<facilityId>`.
 *
 * Every event carries the whole new configuration (an ActivityChanged holds the full Activity, not a
 * patch), so read models and the booking rules take the last one as it is. Nothing in these events is
 * about a family: no personal data (staff user ids stay in clear, like in planning.events.ts).
 */
import { type EventOf, eventTable } from '../../../platform/domain/event-table';
import type { Activity, Closure, Facility, Instant } from '../planning.types';
import { upcastActivityRegie } from './regie-reference';

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

/** An activity of the facility was set up, with its whole configuration. */
export type ActivityDefinedData = { activity: Activity; definedAt: Instant; definedBy: string };

/**
 * The configuration of an activity changed: `activity` is the full new configuration (places and their
 * overrides, validation, deadlines, booking windows, periods, absence policy). It applies to requests
 * decided from then on; what was already requested stays as it was.
 */
export type ActivityChangedData = { activity: Activity; changedAt: Instant; changedBy: string };

/** A closure of the whole facility or of one of its activities, `from`…`to` both included. */
export type ClosureDeclaredData = { closure: Closure; declaredAt: Instant; declaredBy: string };

/** A closure was withdrawn: its days run again (days already closed in the allocation stay closed). */
export type ClosureCancelledData = { closureId: string; cancelledAt: Instant; cancelledBy: string };

type CatalogEventData = {
  FacilityDefined: FacilityDefinedData;
  ActivityDefined: ActivityDefinedData;
  ActivityChanged: ActivityChangedData;
  ClosureDeclared: ClosureDeclaredData;
  ClosureCancelled: ClosureCancelledData;
};

/** Nothing in these events is about a family: no personal data. */
export const catalogEvents = eventTable<CatalogEventData>({
  FacilityDefined: { version: 1, personalData: [] },
  // v2: the activity names its régie by reference (`regieId`); v1 held its name (`regie`), upcast on read
  ActivityDefined: { version: 2, personalData: [], upcast: { 1: upcastActivityRegie } },
  ActivityChanged: { version: 2, personalData: [], upcast: { 1: upcastActivityRegie } },
  ClosureDeclared: { version: 1, personalData: [] },
  ClosureCancelled: { version: 1, personalData: [] },
});

export type CatalogEvent = EventOf<CatalogEventData>;
export type FacilityDefined = EventOf<CatalogEventData, 'FacilityDefined'>;
export type ActivityDefined = EventOf<CatalogEventData, 'ActivityDefined'>;
export type ActivityChanged = EventOf<CatalogEventData, 'ActivityChanged'>;
export type ClosureDeclared = EventOf<CatalogEventData, 'ClosureDeclared'>;
export type ClosureCancelled = EventOf<CatalogEventData, 'ClosureCancelled'>;
