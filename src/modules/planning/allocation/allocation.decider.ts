/**
 * Places of ONE activity on ONE day: the state of the stream `allocation-<activityId>-<date>`.
 * Pure: no framework, no I/O, no clock (time comes in with the commands).
 *
 * Who sends what:
 * - the ordered allocation consumer (allocation-consumer.ts), from the family planning streams, in the
 *   event log's global order: Allocate (a ReservationRequested), Cancel (a CancellationRequested);
 * - the family, through the API: AcceptOffer, DeclineOffer;
 * - the offer-expiry job of the JobScheduler: ExpireOffer;
 * - staff, through the API: AcceptByStaff, RefuseByStaff, ChangeCapacity;
 * - the closure workflow: Close.
 *
 * The state machine of a request (status in `requests[requestId].status`):
 *
 *   arrival ──> allocated              a place is free, nobody waits, automatic validation
 *           ──> awaiting-staff         a place is free, nobody waits, staff validation not given yet
 *           ──> waiting                no free place (or somebody already waits)
 *           ──> rejected               the day is already closed
 *   waiting ──> offered                a place became free and it is first in the queue
 *   offered ──> allocated / awaiting-staff   the family accepts in time
 *   awaiting-staff ──> allocated       staff accept
 *   any live state ──> cancelled | closure | offer-declined | offer-expired | refused-by-staff (terminal)
 *
 * Places held = allocated + awaiting-staff + offered. Invariants (checked by allocation.property.spec.ts):
 * - held ≤ places, except after a capacity decrease below what was already held: nothing is taken back,
 *   and no new place is granted until held < places again;
 * - the waiting list is in arrival order (global log position); a freed place always goes to its head;
 * - a request is in exactly one status; the lists below mirror the live statuses.
 *
 * Decisions:
 * - Staff validation: a staff-validated request takes its place in arrival order like any other and
 *   holds it while waiting for staff (awaiting-staff), so staff decide among requests that fit and a
 *   family is never told "accepted" for a place that does not exist. A refusal frees the place for the
 *   next one. Staff may also decide in advance on a request still waiting or offered: a refusal ends it,
 *   an acceptance pre-approves it (it becomes allocated as soon as it gets its place).
 * - Capacity decrease never takes back a place (allocated, awaiting staff or offered): it only stops
 *   granting places. Capacity increase offers the new places to the waiting list in order.
 * - Closure releases every live request (held places and waiting) with reason 'closure'; requests that
 *   reach a closed day are rejected. A closed day is never reopened here.
 * - Consumer-fed commands (Allocate, Cancel) and the expiry job never throw for a state they cannot
 *   change (duplicate, unknown, already ended): they decide nothing, because they are delivered at least
 *   once and a throwing consumer would stop. Commands from people (family, staff) are refused with a
 *   DomainError instead, so that the API can answer.
 */
import { type CommandMeta, STAFF_ROLES } from '../../../platform/domain/command-target';
import type { Decider } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import { assertNever } from '../../../platform/domain/exhaustive';
import { type ValidationMode } from '../family-planning/family-planning.events';
import type { Activity, Instant, LocalDate } from '../planning.types';
import { type AllocationEvent, type PlaceReleaseReason, type RequestRef } from './allocation.events';

// ---------------------------------------------------------------------------------------------------
// Offer window
// ---------------------------------------------------------------------------------------------------

/** "with a reply window of 1–14 days, default 2" (DOMAIN.md) */
export const DEFAULT_OFFER_WINDOW_DAYS = 2;
export const MIN_OFFER_WINDOW_DAYS = 1;
export const MAX_OFFER_WINDOW_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The places of an activity on a day: the day's override, else the default. */
export function placesOn(activity: Pick<Activity, 'placesPerDay' | 'placeOverrides'>, date: LocalDate): number {
  return activity.placeOverrides[date] ?? activity.placesPerDay;
}

/** The reply window in ms for a number of days (1–14); a configuration outside the range is a programming error. */
export function offerWindowMs(days: number = DEFAULT_OFFER_WINDOW_DAYS): number {
  if (!Number.isInteger(days) || days < MIN_OFFER_WINDOW_DAYS || days > MAX_OFFER_WINDOW_DAYS) {
    throw new Error(`Offer window must be ${MIN_OFFER_WINDOW_DAYS}–${MAX_OFFER_WINDOW_DAYS} days, got ${days}`);
  }
  return days * DAY_MS;
}

// ---------------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------------

/** What every command that may free a place needs to offer it to the next family (`at`: when it is handled). */
type OfferTerms = CommandMeta & {
  /** reply window given to the family a freed place is offered to */
  offerWindowMs: number;
};

/** A recorded ReservationRequested, as the allocator needs it. */
export type AllocationRequest = RequestRef & {
  /** global log position of the ReservationRequested: the arrival order */
  position: number;
  validation: ValidationMode;
};

/** From the consumer: allocate a place (or queue) for a request recorded on a family stream. */
export type Allocate = OfferTerms & {
  type: 'Allocate';
  request: AllocationRequest;
  /** the activity's places for that day, used only when the stream has no capacity yet */
  places: number;
};

/** From the consumer: the family cancelled the reservation (whatever its status). */
export type Cancel = OfferTerms & { type: 'Cancel'; requestId: string };

/** From the family (API): take the offered place. */
export type AcceptOffer = CommandMeta & { type: 'AcceptOffer'; requestId: string; familyId: string };

/** From the family (API): turn the offered place down. */
export type DeclineOffer = OfferTerms & { type: 'DeclineOffer'; requestId: string; familyId: string };

/** From the offer-expiry job (at least once): the reply window is over. */
export type ExpireOffer = OfferTerms & { type: 'ExpireOffer'; requestId: string };

/** From staff (API): validate a request of a staff-validated activity. */
export type AcceptByStaff = CommandMeta & { type: 'AcceptByStaff'; requestId: string };

/** From staff (API): refuse a request of a staff-validated activity, with a reason shown to the family. */
export type RefuseByStaff = OfferTerms & { type: 'RefuseByStaff'; requestId: string; reason: string };

/** From the closure workflow: the day is closed (Fermeture); every request is released. */
/** `closedBy`: who declared the closure, when the command is sent for them (the closure workflow); default the actor. */
export type Close = CommandMeta & { type: 'Close'; reason: string; closedBy?: string };

/** From staff (API) or the catalogue workflow: the number of places of the day changes. */
export type ChangeCapacity = OfferTerms & { type: 'ChangeCapacity'; places: number };

export type AllocationCommand =
  Allocate | Cancel | AcceptOffer | DeclineOffer | ExpireOffer | AcceptByStaff | RefuseByStaff | Close | ChangeCapacity;

// ---------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------

export type LiveStatus = 'waiting' | 'offered' | 'awaiting-staff' | 'allocated';
/** How a request ended: the release reason, or 'rejected' when it reached a closed day. */
export type EndStatus = PlaceReleaseReason | 'rejected';
export type RequestStatus = LiveStatus | EndStatus;

export type AllocationRequestState = AllocationRequest & {
  status: RequestStatus;
  /** staff validated it (always false for automatic validation) */
  staffApproved: boolean;
  /** set once a place was offered to it (kept after the answer) */
  expiresAt?: Instant;
};

/**
 * Plain objects and arrays (not Map / Set) so the state stays JSON-friendly, like the other deciders.
 * The lists are views of the live statuses, kept for the invariants to read plainly.
 */
export type AllocationState = {
  /** null until the first CapacityChanged */
  places: number | null;
  closed: boolean;
  /** DayClosed's reason, copied into the closure events of each request */
  closureReason: string | null;
  /** confirmed bookings, in the order they got their place */
  allocated: string[];
  /** places held while staff decide, in the order they got their place */
  pendingStaff: string[];
  /** places held for an offered family: requestId → expiresAt */
  offers: Record<string, Instant>;
  /** the waiting list, in arrival order (ascending position) */
  waiting: string[];
  /** every request ever seen on this day (idempotency: a request seen twice is ignored) */
  requests: Record<string, AllocationRequestState>;
};

export function initialAllocationState(): AllocationState {
  return { places: null, closed: false, closureReason: null, allocated: [], pendingStaff: [], offers: {}, waiting: [], requests: {} };
}

/** Places held: allocated, awaiting staff, offered. */
export function heldPlaces(state: AllocationState): number {
  return state.allocated.length + state.pendingStaff.length + Object.keys(state.offers).length;
}

/** Places that can be granted now (0 when the day is closed, has no capacity yet, or is over-held). */
export function freePlaces(state: AllocationState): number {
  if (state.closed || state.places === null) return 0;
  return Math.max(0, state.places - heldPlaces(state));
}

export function isLive(status: RequestStatus): status is LiveStatus {
  return status === 'waiting' || status === 'offered' || status === 'awaiting-staff' || status === 'allocated';
}

export const REFUSAL_REASON_MAX_LENGTH = 500;
export const CLOSURE_REASON_MAX_LENGTH = 200;
export const MAX_PLACES = 10_000;

// ---------------------------------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------------------------------

export const allocationDecider: Decider<AllocationCommand, AllocationEvent, AllocationState> = {
  initialState: initialAllocationState,
  evolve,
  decide,
  evolveInPlace,
};

/** Pure: a new state, the given one untouched (one copy of the lists and the request index per event). */
function evolve(state: AllocationState, event: AllocationEvent): AllocationState {
  return evolveInPlace(copyOf(state), event);
}

/** A copy that evolveInPlace may update without touching `state` (request slots are replaced, never updated). */
function copyOf(state: AllocationState): AllocationState {
  return {
    ...state,
    allocated: [...state.allocated],
    pendingStaff: [...state.pendingStaff],
    offers: { ...state.offers },
    waiting: [...state.waiting],
    requests: { ...state.requests },
  };
}

/**
 * The fold itself, updating `state` (its lists, offers and request index) and returning it: what the platform
 * uses to keep a day's state (thousands of requests on an opening morning) without copying it at every event.
 * A request's slot is replaced by a new object, never updated, so a shallow copy (copyOf) is a safe base.
 */
function evolveInPlace(state: AllocationState, event: AllocationEvent): AllocationState {
  switch (event.type) {
    case 'CapacityChanged':
      state.places = event.data.places;
      return state;
    case 'DayClosed':
      state.closed = true;
      state.closureReason = event.data.reason;
      return state;
    case 'RequestWaitListed': {
      const { requestId, familyId, childId, position, validation } = event.data;
      const slot = state.requests[requestId] ?? newSlot({ requestId, familyId, childId, position, validation });
      remove(state.waiting, requestId);
      state.requests[requestId] = { ...slot, status: 'waiting' };
      insertInPlace(state, state.waiting, requestId);
      return state;
    }
    case 'RequestRejected': {
      const { requestId, familyId, childId, position, validation } = event.data;
      const slot = state.requests[requestId] ?? newSlot({ requestId, familyId, childId, position, validation });
      state.requests[requestId] = { ...slot, status: 'rejected' };
      return state;
    }
    case 'PlaceAllocated': {
      const { requestId, familyId, childId, position, validation, awaitingStaff } = event.data;
      const slot = state.requests[requestId] ?? newSlot({ requestId, familyId, childId, position, validation });
      leaveListsInPlace(state, requestId);
      state.requests[requestId] = { ...slot, status: awaitingStaff ? 'awaiting-staff' : 'allocated' };
      (awaitingStaff ? state.pendingStaff : state.allocated).push(requestId);
      return state;
    }
    case 'PlaceOffered': {
      const slot = state.requests[event.data.requestId];
      if (!slot) return state;
      leaveListsInPlace(state, slot.requestId);
      state.requests[slot.requestId] = { ...slot, status: 'offered', expiresAt: event.data.expiresAt };
      state.offers[slot.requestId] = event.data.expiresAt;
      return state;
    }
    // The answer is recorded; the place moves with the PlaceAllocated / PlaceReleased that follows it.
    case 'OfferAccepted':
    case 'OfferDeclined':
    case 'OfferExpired':
      return state;
    case 'PlaceReleased':
    case 'RemovedFromWaitingList':
      return end(state, event.data.requestId, event.data.reason);
    case 'RequestAcceptedByStaff': {
      const slot = state.requests[event.data.requestId];
      if (!slot) return state;
      if (slot.status !== 'awaiting-staff') {
        state.requests[slot.requestId] = { ...slot, staffApproved: true };
        return state;
      }
      leaveListsInPlace(state, slot.requestId);
      state.requests[slot.requestId] = { ...slot, staffApproved: true, status: 'allocated' };
      state.allocated.push(slot.requestId);
      return state;
    }
    case 'RequestRefusedByStaff': {
      // A held place is freed by the PlaceReleased that follows; a waiting request simply ends.
      const slot = state.requests[event.data.requestId];
      return slot?.status === 'waiting' ? end(state, slot.requestId, 'refused-by-staff') : state;
    }
    default:
      return assertNever(event);
  }
}

function decide(command: AllocationCommand, state: AllocationState): AllocationEvent[] {
  switch (command.type) {
    case 'Allocate':
      return allocate(command, state);
    case 'Cancel':
      return cancel(command, state);
    case 'AcceptOffer':
      return acceptOffer(command, state);
    case 'DeclineOffer':
      return declineOffer(command, state);
    case 'ExpireOffer':
      return expireOffer(command, state);
    case 'AcceptByStaff':
      return acceptByStaff(command, state);
    case 'RefuseByStaff':
      return refuseByStaff(command, state);
    case 'Close':
      return close(command, state);
    case 'ChangeCapacity':
      return changeCapacity(command, state);
    default:
      return assertNever(command);
  }
}

// --- the consumer ------------------------------------------------------------------------------------

function allocate(command: Allocate, state: AllocationState): AllocationEvent[] {
  const { request } = command;
  if (state.requests[request.requestId]) return []; // seen already: a redelivery
  const out = new Outcome(state);
  if (state.places === null) {
    out.push({ type: 'CapacityChanged', data: { places: validPlaces(command.places), previous: null } });
  }
  const ref = { ...refOf(request), position: request.position, validation: request.validation };
  if (out.state.closed) {
    const closureReason = out.state.closureReason ?? '';
    return out.push({ type: 'RequestRejected', data: { ...ref, reason: 'day-closed', closureReason } }).events;
  }
  if (freePlaces(out.state) > 0 && out.state.waiting.length === 0) {
    return out.push({ type: 'PlaceAllocated', data: { ...ref, awaitingStaff: request.validation === 'staff' } }).events;
  }
  const rank = rankOf(out.state, request.position);
  // waiting-listing a request frees no place: when none was free, there is nothing to offer after it
  const noneFree = freePlaces(out.state) === 0;
  out.push({ type: 'RequestWaitListed', data: { ...ref, rank } });
  // Free places with people waiting cannot happen (freed places are offered at once); kept total anyway.
  return offerFreePlaces(out, command, noneFree).events;
}

function cancel(command: Cancel, state: AllocationState): AllocationEvent[] {
  const slot = state.requests[command.requestId];
  if (!slot || !isLive(slot.status)) return []; // unknown here or already over: nothing to undo
  const out = new Outcome(state);
  if (slot.status === 'waiting') {
    return out.push({ type: 'RemovedFromWaitingList', data: { ...refOf(slot), reason: 'cancelled' } }).events;
  }
  out.push({ type: 'PlaceReleased', data: { ...refOf(slot), reason: 'cancelled' } });
  return offerFreePlaces(out, command).events;
}

// --- the family answers an offer ---------------------------------------------------------------------

function outstandingOffer(command: AcceptOffer | DeclineOffer, state: AllocationState): AllocationRequestState & { expiresAt: Instant } {
  const slot = state.requests[command.requestId];
  if (!slot || slot.familyId !== command.familyId) {
    throw new DomainError('REQUEST_NOT_FOUND', 'Cette demande de réservation est introuvable.', 'not_found');
  }
  if (slot.status === 'offered' && slot.expiresAt !== undefined) return { ...slot, expiresAt: slot.expiresAt };
  if (slot.status === 'offer-expired') throw offerExpired(slot.expiresAt);
  if (slot.expiresAt !== undefined) {
    throw new DomainError('OFFER_ALREADY_ANSWERED', 'Vous avez déjà répondu à cette proposition de place.', 'conflict', {
      status: slot.status,
    });
  }
  throw new DomainError('NO_OFFER', 'Aucune place ne vous est proposée pour cette demande.', 'conflict', { status: slot.status });
}

function offerExpired(expiresAt: Instant | undefined): DomainError {
  return new DomainError(
    'OFFER_EXPIRED',
    'Le délai pour répondre à cette proposition est dépassé : la place a été proposée à la famille suivante.',
    'conflict',
    expiresAt ? { expiresAt } : undefined,
  );
}

function acceptOffer(command: AcceptOffer, state: AllocationState): AllocationEvent[] {
  const offer = outstandingOffer(command, state);
  // The expiry job may not have run yet: the window is what counts.
  if (Date.parse(command.at) >= Date.parse(offer.expiresAt)) throw offerExpired(offer.expiresAt);
  const ref = refOf(offer);
  return new Outcome(state).push({ type: 'OfferAccepted', data: { ...ref, acceptedAt: command.at, by: command.actor.userId } }).push({
    type: 'PlaceAllocated',
    data: {
      ...ref,
      position: offer.position,
      validation: offer.validation,
      awaitingStaff: offer.validation === 'staff' && !offer.staffApproved,
    },
  }).events;
}

function declineOffer(command: DeclineOffer, state: AllocationState): AllocationEvent[] {
  const offer = outstandingOffer(command, state);
  const out = new Outcome(state)
    .push({ type: 'OfferDeclined', data: { ...refOf(offer), declinedAt: command.at, by: command.actor.userId } })
    .push({ type: 'PlaceReleased', data: { ...refOf(offer), reason: 'offer-declined' } });
  return offerFreePlaces(out, command).events;
}

/**
 * The job fires at `expiresAt`, at least once. An offer already answered (accepted, declined, cancelled,
 * closed) is left alone. A delivery before `expiresAt` (clock skew between processes) is refused, so
 * that the job is retried rather than completed without effect.
 */
function expireOffer(command: ExpireOffer, state: AllocationState): AllocationEvent[] {
  const slot = state.requests[command.requestId];
  if (!slot || slot.status !== 'offered' || slot.expiresAt === undefined) return [];
  if (Date.parse(command.at) < Date.parse(slot.expiresAt)) {
    throw new DomainError('OFFER_NOT_EXPIRED', "Le délai de réponse à cette proposition n'est pas encore écoulé.", 'conflict', {
      expiresAt: slot.expiresAt,
    });
  }
  const out = new Outcome(state)
    .push({ type: 'OfferExpired', data: { ...refOf(slot), expiredAt: command.at } })
    .push({ type: 'PlaceReleased', data: { ...refOf(slot), reason: 'offer-expired' } });
  return offerFreePlaces(out, command).events;
}

// --- staff -------------------------------------------------------------------------------------------

function staffDecidable(command: AcceptByStaff | RefuseByStaff, state: AllocationState): AllocationRequestState {
  if (!STAFF_ROLES.includes(command.actor.role)) {
    throw new DomainError('STAFF_ONLY', 'Cette action est réservée aux agents de la commune.', 'forbidden');
  }
  const slot = state.requests[command.requestId];
  if (!slot) throw new DomainError('REQUEST_NOT_FOUND', 'Cette demande de réservation est introuvable.', 'not_found');
  if (slot.validation !== 'staff') {
    throw new DomainError(
      'NO_STAFF_VALIDATION',
      "Cette activité est validée automatiquement : la demande n'attend pas de décision.",
      'conflict',
    );
  }
  if (!isLive(slot.status)) {
    throw new DomainError('REQUEST_NO_LONGER_ACTIVE', "Cette demande n'est plus en cours : elle a été annulée ou clôturée.", 'conflict', {
      status: slot.status,
    });
  }
  if (slot.staffApproved) {
    throw new DomainError('REQUEST_ALREADY_DECIDED', 'Cette demande a déjà été acceptée.', 'conflict', { status: slot.status });
  }
  return slot;
}

function acceptByStaff(command: AcceptByStaff, state: AllocationState): AllocationEvent[] {
  const slot = staffDecidable(command, state);
  return [{ type: 'RequestAcceptedByStaff', data: { ...refOf(slot), acceptedAt: command.at, acceptedBy: command.actor.userId } }];
}

function refuseByStaff(command: RefuseByStaff, state: AllocationState): AllocationEvent[] {
  const slot = staffDecidable(command, state);
  const reason = (command.reason ?? '').trim();
  if (!reason || reason.length > REFUSAL_REASON_MAX_LENGTH) {
    throw new DomainError(
      'REFUSAL_REASON_REQUIRED',
      `Indiquez le motif du refus (${REFUSAL_REASON_MAX_LENGTH} caractères au plus) : il est communiqué à la famille.`,
      'invalid',
    );
  }
  const out = new Outcome(state).push({
    type: 'RequestRefusedByStaff',
    data: { ...refOf(slot), reason, refusedAt: command.at, refusedBy: command.actor.userId },
  });
  if (slot.status === 'waiting') return out.events;
  out.push({ type: 'PlaceReleased', data: { ...refOf(slot), reason: 'refused-by-staff' } });
  return offerFreePlaces(out, command).events;
}

// --- the day -----------------------------------------------------------------------------------------

function close(command: Close, state: AllocationState): AllocationEvent[] {
  if (state.closed) return []; // closures are delivered at least once
  const reason = (command.reason ?? '').trim();
  if (!reason || reason.length > CLOSURE_REASON_MAX_LENGTH) {
    throw new DomainError(
      'CLOSURE_REASON_REQUIRED',
      `Indiquez le motif de la fermeture (${CLOSURE_REASON_MAX_LENGTH} caractères au plus) : il est communiqué aux familles.`,
      'invalid',
    );
  }
  const out = new Outcome(state).push({
    type: 'DayClosed',
    data: { reason, closedAt: command.at, closedBy: command.closedBy ?? command.actor.userId },
  });
  const live = Object.values(state.requests)
    .filter((slot) => isLive(slot.status))
    .sort((a, b) => a.position - b.position);
  for (const slot of live) {
    out.push(
      slot.status === 'waiting'
        ? { type: 'RemovedFromWaitingList', data: { ...refOf(slot), reason: 'closure', closureReason: reason } }
        : { type: 'PlaceReleased', data: { ...refOf(slot), reason: 'closure', closureReason: reason } },
    );
  }
  return out.events;
}

function changeCapacity(command: ChangeCapacity, state: AllocationState): AllocationEvent[] {
  const places = validPlaces(command.places);
  if (places === state.places) return [];
  const out = new Outcome(state).push({ type: 'CapacityChanged', data: { places, previous: state.places } });
  return offerFreePlaces(out, command).events;
}

// --- helpers -----------------------------------------------------------------------------------------

/**
 * Accumulates the events of one decision. Later steps that read `state` see the earlier events: the state is
 * then a copy of the decided-on state evolved with them, made only when a step reads it after an event was
 * pushed (most decisions push one event and read nothing after it: no copy at all).
 */
class Outcome {
  readonly events: AllocationEvent[] = [];
  private evolved: AllocationState | undefined;
  private applied = 0;
  constructor(private readonly base: AllocationState) {}

  push(event: AllocationEvent): this {
    this.events.push(event);
    return this;
  }

  get state(): AllocationState {
    if (this.applied < this.events.length) {
      this.evolved ??= copyOf(this.base);
      for (; this.applied < this.events.length; this.applied++) evolveInPlace(this.evolved, this.events[this.applied]);
    }
    return this.evolved ?? this.base;
  }
}

/** Offers every free place to the head of the waiting list, in order (`noneFreed`: the caller knows none is free). */
function offerFreePlaces(out: Outcome, terms: OfferTerms, noneFreed = false): Outcome {
  const now = Date.parse(terms.at);
  if (Number.isNaN(now)) throw new Error(`Invalid command instant: ${terms.at}`);
  if (!Number.isFinite(terms.offerWindowMs) || terms.offerWindowMs <= 0) {
    throw new Error(`Invalid offer window: ${terms.offerWindowMs}`);
  }
  if (noneFreed) return out;
  const expiresAt = new Date(now + terms.offerWindowMs).toISOString();
  while (freePlaces(out.state) > 0 && out.state.waiting.length > 0) {
    const head = out.state.requests[out.state.waiting[0]];
    out.push({ type: 'PlaceOffered', data: { ...refOf(head), offeredAt: terms.at, expiresAt } });
  }
  return out;
}

function validPlaces(places: number): number {
  if (!Number.isInteger(places) || places < 0 || places > MAX_PLACES) {
    throw new DomainError('INVALID_PLACES', `Le nombre de places doit être un entier entre 0 et ${MAX_PLACES}.`, 'invalid', {
      places,
    });
  }
  return places;
}

function refOf(slot: RequestRef): RequestRef {
  return { requestId: slot.requestId, familyId: slot.familyId, childId: slot.childId };
}

function newSlot(request: AllocationRequest): AllocationRequestState {
  return { ...refOf(request), position: request.position, validation: request.validation, status: 'waiting', staffApproved: false };
}

/** Removes `requestId` from `list` (in place). */
function remove(list: string[], requestId: string): void {
  const index = list.indexOf(requestId);
  if (index !== -1) list.splice(index, 1);
}

/** Takes the request out of every live list, in place (its status is set by the caller). */
function leaveListsInPlace(state: AllocationState, requestId: string): void {
  remove(state.allocated, requestId);
  remove(state.pendingStaff, requestId);
  remove(state.waiting, requestId);
  if (requestId in state.offers) delete state.offers[requestId];
}

function end(state: AllocationState, requestId: string, status: EndStatus): AllocationState {
  const slot = state.requests[requestId];
  if (!slot) return state;
  leaveListsInPlace(state, requestId);
  state.requests[requestId] = { ...slot, status };
  return state;
}

/** Index in `list` where a request at `position` goes (ascending arrival position; positions read from the state). */
function indexByPosition(state: AllocationState, list: string[], position: number): number {
  const index = list.findIndex((id) => (state.requests[id]?.position ?? Number.NEGATIVE_INFINITY) > position);
  return index === -1 ? list.length : index;
}

/** The 1-based rank a request at `position` would take in the waiting list. */
function rankOf(state: AllocationState, position: number): number {
  return indexByPosition(state, state.waiting, position) + 1;
}

/** Inserts `requestId` into `list` in ascending arrival position (in place). */
function insertInPlace(state: AllocationState, list: string[], requestId: string): void {
  const at = state.requests[requestId]?.position ?? Number.POSITIVE_INFINITY;
  list.splice(indexByPosition(state, list, at), 0, requestId);
}
