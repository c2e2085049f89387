/**
 * Pure helpers for the ordered allocation consumer and the workflows around it. No I/O: the lead's
 * subscription wiring reads the store, calls these, and appends / schedules / mails.
 *
 * ## Why this is first come, first served on any number of API processes
 *
 * 1. Recording is separate from allocating. An API process appends a ReservationRequested to the
 *    family's own stream `planning-<familyId>` at once (after the booking rules). Families never contend
 *    with each other there, so a burst of requests when bookings open costs no retries.
 * 2. The event store gives every committed event one global position, strictly increasing in commit
 *    order (SQLite's rowid, EventStoreDB's commit/prepare position). That order IS the arrival order: it
 *    is the same for every reader, whichever API process wrote the event.
 * 3. One ordered consumer (one per activity, or one for all, from a checkpointed subscription to $all)
 *    applies the requests to `allocation-<activityId>-<date>` strictly in that order: the next event is
 *    not delivered before the previous one is handled. A place is therefore granted to the earliest
 *    request still waiting, and a request that arrives while someone waits queues behind it.
 * 4. Every append to an allocation stream uses the revision read (optimistic concurrency). If two
 *    consumers ever run at once (a redeploy, a split brain), or the consumer races with an API command on
 *    the same day (a family accepting an offer, staff refusing, the expiry job), only one append of a
 *    given revision succeeds; the other re-reads and decides again on the new state, so the last place
 *    cannot be given twice. The decider enforces "held ≤ places" on whatever state it is given.
 * 5. At-least-once delivery is harmless: a request already seen by the allocation stream decides nothing
 *    (`requests[requestId]`), a cancellation of an ended request decides nothing, and the events written
 *    for one source event have ids derived from (source event id, target stream, index), so two racing
 *    appends of the same decision store it once.
 *
 * ## The consumer loop (to wire)
 *
 *   subscribeToAll({ fromPosition: checkpoint, eventTypes: ALLOCATION_SOURCE_EVENT_TYPES, onEvent })
 *   onEvent(stored):
 *     route = routeToAllocation(serializer.toProjected-like view of stored, settingsFor, clock())
 *     if route: repeat { read route.streamId; fold; events = decide(route.command, state);
 *                        if none: break; append with ids allocationEventId(stored.id, route.streamId, i)
 *                        and expectedRevision = revision read; on WrongExpectedRevision: retry }
 *     save checkpoint = stored.position
 *   (metadata of each appended event: causationId = stored.id, familyId = event.data.familyId when present)
 *
 * Then a workflow over the allocation events applies `allocationFollowUps`: schedule / cancel the offer
 * expiry job, and tell the family by e-mail.
 */
import { v5 as uuidv5 } from 'uuid';

import { assertNever } from '../../../platform/domain/exhaustive';
import type { StoredEvent } from '../../../platform/event-store/event-store.port';
import {
  type AllocationEvent,
  allocationStream,
  asFamilyPlanningEvent,
  familyIdFromPlanningStream,
  type FamilyPlanningEventType,
  parseAllocationStream,
} from '../planning.events';
import type { Activity, Instant, LocalDate } from '../planning.types';
import type { Allocate, Cancel, ExpireOffer } from './allocation.decider';

/** Namespace of the ids of events written by the allocation consumer (any fixed UUID; never change it). */
const ALLOCATION_EVENT_NAMESPACE = 'a3f0b6d2-5e1c-4b7a-9c42-8d1e6f0a2b35';

/** The family planning events the allocation consumer reads (others it skips). */
export const ALLOCATION_SOURCE_EVENT_TYPES: readonly FamilyPlanningEventType[] = ['ReservationRequested', 'CancellationRequested'];

/** What the allocator needs to know of the activity on a day. */
export type AllocationSettings = {
  /** the day's places, used to initialise an allocation stream that has no capacity yet */
  places: number;
  /** reply window given to a family offered a freed place */
  offerWindowMs: number;
};

/** The places of an activity on a day: the day's override, else the default. */
export function placesOn(activity: Pick<Activity, 'placesPerDay' | 'placeOverrides'>, date: LocalDate): number {
  return activity.placeOverrides[date] ?? activity.placesPerDay;
}

/** A stored event as the consumer receives it, data already upcast and revealed by the serializer. */
export type SourceEvent = Pick<StoredEvent, 'id' | 'streamId' | 'position' | 'type' | 'data'>;

export type AllocationRoute = {
  /** `allocation-<activityId>-<date>` */
  streamId: string;
  command: Allocate | Cancel;
  /** the source event id, for allocationEventId and the causation id */
  sourceEventId: string;
};

/**
 * The allocation command a family planning event leads to, and the stream it goes to; null for an event
 * the allocator does not read (another type, or not from a planning stream).
 * `now` is when the consumer handles the event: it starts the reply window of any place offered.
 */
export function routeToAllocation(
  event: SourceEvent,
  settingsFor: (activityId: string, date: LocalDate) => AllocationSettings,
  now: Instant,
): AllocationRoute | null {
  const familyId = familyIdFromPlanningStream(event.streamId);
  const planning = asFamilyPlanningEvent(event);
  if (!familyId || !planning) return null;
  switch (planning.type) {
    case 'ReservationRequested': {
      const { requestId, childId, activityId, date, validation } = planning.data;
      const settings = settingsFor(activityId, date);
      return {
        streamId: allocationStream(activityId, date),
        sourceEventId: event.id,
        command: {
          type: 'Allocate',
          request: { requestId, familyId, childId, position: event.position, validation },
          places: settings.places,
          offerWindowMs: settings.offerWindowMs,
          now,
        },
      };
    }
    case 'CancellationRequested': {
      const { requestId, activityId, date } = planning.data;
      return {
        streamId: allocationStream(activityId, date),
        sourceEventId: event.id,
        command: { type: 'Cancel', requestId, offerWindowMs: settingsFor(activityId, date).offerWindowMs, now },
      };
    }
    case 'AbsenceDeclared':
      return null; // an absence keeps the place (and may be billed): nothing to allocate
    default:
      return assertNever(planning);
  }
}

/**
 * The id of the index-th event written to `streamId` when handling the source event: the same for every
 * delivery of that source event, so a redelivery or a racing consumer appends the same ids.
 */
export function allocationEventId(sourceEventId: string, streamId: string, index: number): string {
  return uuidv5(`${sourceEventId}|${streamId}|${index}`, ALLOCATION_EVENT_NAMESPACE);
}

// ---------------------------------------------------------------------------------------------------
// Follow-ups of allocation events: the offer-expiry job and the family's notices
// ---------------------------------------------------------------------------------------------------

/** JobScheduler job name of the offer expiry. */
export const OFFER_EXPIRY_JOB = 'waiting-list.offer-expiry';

export type OfferExpiryPayload = { streamId: string; requestId: string };

/** Deterministic job id: one offer per request and day, so scheduling it twice runs it once. */
export function offerExpiryJobId(streamId: string, requestId: string): string {
  return `${streamId}|${requestId}`;
}

/** The command the offer-expiry job runs on the allocation stream of its payload. */
export function expireOfferCommand(payload: OfferExpiryPayload, now: Instant, offerWindowMs: number): ExpireOffer {
  return { type: 'ExpireOffer', requestId: payload.requestId, now, offerWindowMs };
}

/** What a family is told (French templates are the mailer's business). */
export type FamilyNoticeKind = 'wait-listed' | 'place-offered' | 'offer-expired' | 'accepted-by-staff' | 'refused-by-staff' | 'day-closed';

export type FamilyNotice = {
  kind: FamilyNoticeKind;
  familyId: string;
  childId: string;
  requestId: string;
  activityId: string;
  date: LocalDate;
  /** place-offered: until when to answer */
  expiresAt?: Instant;
  /** wait-listed: rank in the queue */
  rank?: number;
  /** refused-by-staff: the staff's reason; day-closed: the closure's reason */
  reason?: string;
};

export type AllocationFollowUp =
  | { kind: 'schedule-job'; name: typeof OFFER_EXPIRY_JOB; id: string; runAt: Instant; payload: OfferExpiryPayload }
  | { kind: 'cancel-job'; name: typeof OFFER_EXPIRY_JOB; id: string }
  | { kind: 'notify-family'; notice: FamilyNotice };

/**
 * What to do after an allocation event was stored (a workflow, delivered at least once: scheduling is
 * idempotent by job id; a notice should be sent under a deterministic id, e.g. the event id).
 */
export function allocationFollowUps(streamId: string, event: AllocationEvent): AllocationFollowUp[] {
  const day = parseAllocationStream(streamId);
  if (!day) return [];
  const notify = (
    kind: FamilyNoticeKind,
    data: { requestId: string; familyId: string; childId: string },
    extra: Partial<FamilyNotice> = {},
  ) =>
    ({
      kind: 'notify-family',
      notice: { kind, familyId: data.familyId, childId: data.childId, requestId: data.requestId, ...day, ...extra },
    }) as const;
  const jobId = (requestId: string) => offerExpiryJobId(streamId, requestId);
  switch (event.type) {
    case 'PlaceOffered':
      return [
        {
          kind: 'schedule-job',
          name: OFFER_EXPIRY_JOB,
          id: jobId(event.data.requestId),
          runAt: event.data.expiresAt,
          payload: { streamId, requestId: event.data.requestId },
        },
        notify('place-offered', event.data, { expiresAt: event.data.expiresAt }),
      ];
    case 'OfferAccepted':
    case 'OfferDeclined':
      return [{ kind: 'cancel-job', name: OFFER_EXPIRY_JOB, id: jobId(event.data.requestId) }];
    case 'OfferExpired':
      return [notify('offer-expired', event.data)];
    case 'RequestWaitListed':
      return [notify('wait-listed', event.data, { rank: event.data.rank })];
    case 'RequestAcceptedByStaff':
      return [notify('accepted-by-staff', event.data)];
    case 'RequestRefusedByStaff':
      return [notify('refused-by-staff', event.data, { reason: event.data.reason })];
    case 'PlaceReleased':
      // An offer cancelled, refused or closed while outstanding: its expiry job has nothing left to do.
      return event.data.reason === 'closure'
        ? [
            { kind: 'cancel-job', name: OFFER_EXPIRY_JOB, id: jobId(event.data.requestId) },
            notify('day-closed', event.data, closureReason(event.data.closureReason)),
          ]
        : [{ kind: 'cancel-job', name: OFFER_EXPIRY_JOB, id: jobId(event.data.requestId) }];
    case 'RemovedFromWaitingList':
      return event.data.reason === 'closure' ? [notify('day-closed', event.data, closureReason(event.data.closureReason))] : [];
    case 'RequestRejected':
      return [notify('day-closed', event.data, closureReason(event.data.closureReason))];
    case 'PlaceAllocated':
    case 'DayClosed':
    case 'CapacityChanged':
      return [];
    default:
      return assertNever(event);
  }
}

function closureReason(reason: string | undefined): Partial<FamilyNotice> {
  return reason ? { reason } : {};
}
