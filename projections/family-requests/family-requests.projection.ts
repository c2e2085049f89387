import { DOCUMENT_KIND_LABELS, documentEvents, type DocumentKind } from '../../src/modules/documents/documents.events';
import { CHANGE_CATEGORY_LABELS, type ChangeCategory } from '../../src/modules/families/families.types';
import { allocationEvents } from '../../src/modules/planning/allocation/allocation.events';
import { familyIdFromPlanningStream, familyPlanningEvents } from '../../src/modules/planning/family-planning/family-planning.events';
import type { ProjectedEvent, ProjectionDefinition } from '../../src/platform/projections/projection';
import {
  CHANGE_REQUEST_EVENT_TYPES,
  type ChangeRequestDocument,
  changeRequestsProjection,
} from '../change-requests/change-requests.projection';
import { PLANNING_GRID_EVENT_TYPES } from '../planning-grid/planning-grid.projection';

/**
 * « Liste des demandes », complete: every request a family makes, one document per request (id = requestId,
 * or absenceId), fed by every context that records one.
 * - « Mon compte »: the change requests of the family record (guardian, spouse, tax, CAF, bank, child,
 *   authorizations, health), built by the change-requests projection's own evolve, plus the fields below;
 * - « Mes enfants »: reservations (the family's planning stream records the request, the activity-day's
 *   allocation stream decides it: pending, accepted, refused with reason, on the waiting list, offered,
 *   cancelled) and absences (days, child; excused, billed or to verify, and why);
 * - documents the family provides (« Infos / Documents »: certificate, insurance, vaccinations): sent, then
 *   accepted or refused with the reason (one document per documentId), under « Mes enfants » when about a
 *   child, « Mon compte » otherwise.
 * Columns of the seed: Date demande (`requestedAt`), Date acceptation / Date refus (`acceptedAt` / `refusedAt`),
 * Motif refus (`refusalReason`). The list shows a month (`requestedAt` from now − 1 month): older requests
 * drop out of the list, not out of the log. Payments join as their context lands.
 */
export type RequestSection = 'account' | 'children';
export type RequestType = ChangeCategory | 'reservation' | 'absence' | 'document';
export type RequestState = 'pending' | 'accepted' | 'refused' | 'waiting-list' | 'offered' | 'cancelled';

export const REQUEST_SECTION_LABELS: Record<RequestSection, string> = { account: 'Mon compte', children: 'Mes enfants' };
export const REQUEST_TYPE_LABELS: Record<RequestType, string> = {
  ...CHANGE_CATEGORY_LABELS,
  reservation: 'Réservations',
  absence: 'Absences',
  document: 'Documents',
};
export const REQUEST_STATE_LABELS: Record<RequestState, string> = {
  pending: 'En attente',
  accepted: 'Acceptée',
  refused: 'Refusée',
  'waiting-list': "Sur liste d'attente",
  offered: 'Place proposée',
  cancelled: 'Annulée',
};
export const ABSENCE_OUTCOME_LABELS = {
  excused: 'Absence excusée',
  billed: 'Absence facturée',
  'to-verify': 'Absence à vérifier',
} as const;

export type AbsenceDayLine = { date: string; outcome: keyof typeof ABSENCE_OUTCOME_LABELS; label: string; why: string };

export type FamilyRequestDocument = Partial<Omit<ChangeRequestDocument, 'status'>> & {
  requestId: string;
  familyId: string;
  section: RequestSection;
  type: RequestType;
  typeLabel: string;
  status: RequestState;
  statusLabel: string;
  requestedAt: string;
  acceptedAt?: string;
  refusedAt?: string;
  refusalReason?: string;
  cancelledAt?: string;
  childId?: string;
  activityId?: string;
  /** the day booked, or the days of an absence */
  dates?: string[];
  absenceDays?: AbsenceDayLine[];
  /** a document the family provides: its kind and validity */
  documentKind?: DocumentKind;
  validFrom?: string;
  validUntil?: string;
  summary: string;
};

/** The family's documents, sent and decided on its family-documents stream. */
const DOCUMENT_EVENT_TYPES = ['FamilyDocumentSubmitted', 'FamilyDocumentAccepted', 'FamilyDocumentRefused'] as const;
const FAMILY_DOCUMENTS_PREFIX = 'family-documents-';

/** What the planning grid reads, but enrolments and attendance: the requests of « Mes enfants » and their outcomes. */
const CHILDREN_EVENT_TYPES = PLANNING_GRID_EVENT_TYPES.filter(
  (type) => !['ChildEnrolled', 'EnrolmentEnded', 'AttendanceRecorded'].includes(type),
);

const OVER: ReadonlySet<RequestState> = new Set(['refused', 'cancelled']);

function frenchDate(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

function withState(
  document: FamilyRequestDocument,
  status: RequestState,
  extra: Partial<FamilyRequestDocument> = {},
): FamilyRequestDocument {
  // a request that is over is never revived by a later event about it (the allocator lags behind the family stream)
  if (OVER.has(document.status)) return document;
  return { ...document, ...extra, status, statusLabel: REQUEST_STATE_LABELS[status] };
}

function fromChangeRequest(change: ChangeRequestDocument): FamilyRequestDocument {
  return {
    ...change,
    section: 'account',
    type: change.category,
    typeLabel: REQUEST_TYPE_LABELS[change.category],
    status: change.status,
    statusLabel: REQUEST_STATE_LABELS[change.status],
    ...(change.status === 'accepted' && change.decidedAt ? { acceptedAt: change.decidedAt } : {}),
    ...(change.status === 'refused' && change.decidedAt ? { refusedAt: change.decidedAt } : {}),
    ...(change.status === 'refused' && change.reason ? { refusalReason: change.reason } : {}),
  };
}

function closureReason(reason: string | undefined): string {
  return reason ? `Fermeture : ${reason}` : 'Fermeture';
}

export const familyRequestsProjection: ProjectionDefinition<FamilyRequestDocument> = {
  name: 'family-requests',
  // 2: the family's documents join the list
  version: 2,
  eventTypes: [...CHANGE_REQUEST_EVENT_TYPES, ...CHILDREN_EVENT_TYPES, ...DOCUMENT_EVENT_TYPES],
  indexedFields: ['familyId', 'section', 'type', 'status', 'requestedAt'],

  documentIds(event) {
    if (event.type === 'AbsenceDeclared') return typeof event.data.absenceId === 'string' ? [event.data.absenceId] : [];
    if ((DOCUMENT_EVENT_TYPES as readonly string[]).includes(event.type)) {
      return typeof event.data.documentId === 'string' && event.data.documentId ? [event.data.documentId] : [];
    }
    const requestId = event.data.requestId;
    return typeof requestId === 'string' && requestId ? [requestId] : [];
  },

  evolve(document, event, documentId) {
    if ((CHANGE_REQUEST_EVENT_TYPES as readonly string[]).includes(event.type)) {
      const change = changeRequestsProjection.evolve((document as ChangeRequestDocument | null) ?? null, event, documentId);
      return change ? fromChangeRequest(change) : null;
    }
    const planning = familyPlanningEvents.narrow(event);
    if (planning) return evolvePlanning(document, planning, event);
    const documents = documentEvents.narrow(event);
    if (documents) return evolveDocument(document, documents, event);
    const allocation = allocationEvents.narrow(event);
    if (!allocation || !document) return document;
    const at = event.recordedAt;
    switch (allocation.type) {
      case 'PlaceAllocated':
        return allocation.data.awaitingStaff ? withState(document, 'pending') : withState(document, 'accepted', { acceptedAt: at });
      case 'RequestWaitListed':
        return withState(document, 'waiting-list');
      case 'PlaceOffered':
        return withState(document, 'offered');
      case 'RequestAcceptedByStaff':
        return document.status === 'waiting-list' || document.status === 'offered'
          ? document
          : withState(document, 'accepted', { acceptedAt: allocation.data.acceptedAt });
      case 'RequestRefusedByStaff':
        return withState(document, 'refused', { refusedAt: allocation.data.refusedAt, refusalReason: allocation.data.reason });
      case 'RequestRejected':
        return withState(document, 'refused', { refusedAt: at, refusalReason: closureReason(allocation.data.closureReason) });
      case 'PlaceReleased':
      case 'RemovedFromWaitingList': {
        const { reason } = allocation.data;
        if (reason === 'refused-by-staff') return document; // RequestRefusedByStaff said it, with the reason
        if (reason === 'closure')
          return withState(document, 'refused', { refusedAt: at, refusalReason: closureReason(allocation.data.closureReason) });
        if (reason === 'cancelled') return withState(document, 'cancelled', { cancelledAt: document.cancelledAt ?? at });
        return withState(document, 'cancelled', {
          cancelledAt: at,
          refusalReason: reason === 'offer-expired' ? 'Place proposée non confirmée à temps' : 'Place proposée déclinée',
        });
      }
      default:
        return document;
    }
  },
};

function evolvePlanning(
  document: FamilyRequestDocument | null,
  planning: NonNullable<ReturnType<typeof familyPlanningEvents.narrow>>,
  event: ProjectedEvent,
): FamilyRequestDocument | null {
  const familyId = familyIdFromPlanningStream(event.streamId) ?? event.metadata.familyId ?? '';
  switch (planning.type) {
    case 'ReservationRequested': {
      const { requestId, childId, activityId, date, requestedAt, requestedBy } = planning.data;
      return {
        requestId,
        familyId,
        section: 'children',
        type: 'reservation',
        typeLabel: REQUEST_TYPE_LABELS.reservation,
        status: 'pending',
        statusLabel: REQUEST_STATE_LABELS.pending,
        requestedAt,
        requestedBy,
        childId,
        activityId,
        dates: [date],
        summary: `Réservation du ${frenchDate(date)} (${activityId})`,
      };
    }
    case 'CancellationRequested':
      return document ? withState(document, 'cancelled', { cancelledAt: planning.data.cancelledAt }) : document;
    case 'AbsenceDeclared': {
      const { absenceId, childId, activityId, days, declaredAt, declaredBy, certificate, decisions } = planning.data;
      const absenceDays: AbsenceDayLine[] = decisions.map(({ date, outcome }) => ({
        date,
        outcome,
        label: ABSENCE_OUTCOME_LABELS[outcome],
        why:
          outcome === 'excused'
            ? 'justificatif fourni dans les délais'
            : outcome === 'billed'
              ? 'absence signalée hors délai ou sans justificatif'
              : certificate
                ? 'justificatif à vérifier par le service'
                : 'justificatif attendu',
      }));
      const toVerify = decisions.some((d) => d.outcome === 'to-verify');
      return {
        requestId: absenceId,
        familyId,
        section: 'children',
        type: 'absence',
        typeLabel: REQUEST_TYPE_LABELS.absence,
        status: toVerify ? 'pending' : 'accepted',
        statusLabel: toVerify ? 'En cours de traitement' : 'Enregistrée',
        requestedAt: declaredAt,
        requestedBy: declaredBy,
        ...(toVerify ? {} : { acceptedAt: declaredAt }),
        childId,
        activityId,
        dates: days,
        absenceDays,
        summary: `Absence du ${frenchDate(days[0])}${days.length > 1 ? ` au ${frenchDate(days[days.length - 1])}` : ''} (${activityId}) : ${absenceDays
          .map((d) => `${frenchDate(d.date)} ${d.label.toLowerCase()}`)
          .join(', ')}`,
      };
    }
    default:
      return document;
  }
}

function evolveDocument(
  document: FamilyRequestDocument | null,
  e: NonNullable<ReturnType<typeof documentEvents.narrow>>,
  event: ProjectedEvent,
): FamilyRequestDocument | null {
  switch (e.type) {
    case 'FamilyDocumentSubmitted': {
      const { documentId, kind, childId, validFrom, validUntil, submittedAt, submittedBy } = e.data;
      const familyId =
        event.metadata.familyId ??
        (event.streamId.startsWith(FAMILY_DOCUMENTS_PREFIX) ? event.streamId.slice(FAMILY_DOCUMENTS_PREFIX.length) : '');
      return {
        requestId: documentId,
        familyId,
        section: childId ? 'children' : 'account',
        type: 'document',
        typeLabel: REQUEST_TYPE_LABELS.document,
        status: 'pending',
        statusLabel: REQUEST_STATE_LABELS.pending,
        requestedAt: submittedAt,
        requestedBy: submittedBy,
        ...(childId ? { childId } : {}),
        documentKind: kind,
        validFrom,
        validUntil,
        summary: `${DOCUMENT_KIND_LABELS[kind]} valable du ${frenchDate(validFrom)} au ${frenchDate(validUntil)}`,
      };
    }
    case 'FamilyDocumentAccepted':
      return document ? withState(document, 'accepted', { acceptedAt: e.data.acceptedAt }) : document;
    case 'FamilyDocumentRefused':
      return document ? withState(document, 'refused', { refusedAt: e.data.refusedAt, refusalReason: e.data.reason }) : document;
    default:
      return document;
  }
}
