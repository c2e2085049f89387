/**
 * What follows an allocation decision: an offered place's expiry job (its id derived from the offer, so it
 * is scheduled once), the job's cancellation when the offer is answered or the place released, and the
 * family's notice (a job too: retried until sent, once per event).
 */
import { assertNever } from '../../../platform/domain/exhaustive';
import { cancelJob, scheduleJob, type Workflow, type WorkflowOutput } from '../../../platform/workflows/workflow';
import type { Instant, LocalDate } from '../planning.types';
import { type AllocationEvent, allocationEvents, parseAllocationStream } from './allocation.events';

/** JobScheduler job name of the offer expiry. */
export const OFFER_EXPIRY_JOB = 'waiting-list.offer-expiry';
export type OfferExpiryPayload = { streamId: string; requestId: string };

/** Deterministic job id: one offer per request and day, so scheduling it twice runs it once. */
export function offerExpiryJobId(streamId: string, requestId: string): string {
  return `${streamId}|${requestId}`;
}

/** JobScheduler job name of a family's notice (an e-mail about one of its requests). */
export const PLANNING_NOTICE_JOB = 'planning.notice';

/** What a family is told (French texts are notices.ts's business). */
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

export const allocationFollowUpsWorkflow: Workflow<undefined> = {
  name: 'allocation-follow-ups',
  eventTypes: allocationEvents.types,
  // Only jobs: in a batch they are carried out in the order decided, as event by event; most allocation events
  // (a request wait-listed on an opening morning) decide nothing, and a batch passes them at once.
  batched: true,

  decide(event): WorkflowOutput[] {
    const allocation = allocationEvents.narrow(event);
    const day = parseAllocationStream(event.streamId);
    if (!allocation || !day) return [];
    const notify = (kind: FamilyNoticeKind, extra: Partial<FamilyNotice> = {}): WorkflowOutput => {
      const { requestId, familyId, childId } = allocation.data as { requestId: string; familyId: string; childId: string };
      const notice: FamilyNotice = { kind, familyId, childId, requestId, ...day, ...extra };
      return scheduleJob(PLANNING_NOTICE_JOB, event.metadata.eventId, notice, event.metadata.recordedAt);
    };
    const expiry = (requestId: string) => offerExpiryJobId(event.streamId, requestId);
    return followUps(allocation, event.streamId, notify, expiry);
  },
};

function followUps(
  event: AllocationEvent,
  streamId: string,
  notify: (kind: FamilyNoticeKind, extra?: Partial<FamilyNotice>) => WorkflowOutput,
  expiry: (requestId: string) => string,
): WorkflowOutput[] {
  switch (event.type) {
    case 'PlaceOffered':
      return [
        scheduleJob(OFFER_EXPIRY_JOB, expiry(event.data.requestId), { streamId, requestId: event.data.requestId }, event.data.expiresAt),
        notify('place-offered', { expiresAt: event.data.expiresAt }),
      ];
    case 'OfferAccepted':
    case 'OfferDeclined':
      return [cancelJob(OFFER_EXPIRY_JOB, expiry(event.data.requestId))];
    case 'OfferExpired':
      return [notify('offer-expired')];
    case 'RequestAcceptedByStaff':
      return [notify('accepted-by-staff')];
    case 'RequestRefusedByStaff':
      return [notify('refused-by-staff', { reason: event.data.reason })];
    case 'PlaceReleased':
      // An offer cancelled, refused or closed while outstanding: its expiry job has nothing left to do.
      return event.data.reason === 'closure'
        ? [cancelJob(OFFER_EXPIRY_JOB, expiry(event.data.requestId)), notify('day-closed', closureReason(event.data.closureReason))]
        : [cancelJob(OFFER_EXPIRY_JOB, expiry(event.data.requestId))];
    case 'RemovedFromWaitingList':
      return event.data.reason === 'closure' ? [notify('day-closed', closureReason(event.data.closureReason))] : [];
    case 'RequestRejected':
      return [notify('day-closed', closureReason(event.data.closureReason))];
    // A place on the waiting list shows in the grid with its rank; the family is written to when a place is
    // offered. (On a booking-opening morning, one e-mail per waiting request would be thousands.)
    case 'RequestWaitListed':
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
