import {
  type AllocationEvent,
  allocationEvents,
  parseAllocationStream,
  type PlaceReleaseReason,
  type RequestRef,
} from '../../src/modules/planning/allocation/allocation.events';
import { attendanceEvents, type AttendanceRecorded } from '../../src/modules/planning/attendance/attendance.events';
import {
  familyIdFromPlanningStream,
  type FamilyPlanningEvent,
  familyPlanningEvents,
} from '../../src/modules/planning/family-planning/family-planning.events';
import type { Instant, LocalDate } from '../../src/modules/planning/planning.types';
import type { ProjectedEvent, ProjectionDefinition } from '../../src/platform/projections/projection';
import {
  ABSENCE_STATUS_OF,
  ATTENDANCE_STATUS_OF,
  type GridCell,
  type GridCellStatus,
  gridDocumentId,
  type GridReservationStatus,
  type GridRow,
  isLiveReservation,
  type MonthId,
  monthOf,
  monthsOfSchoolYear,
  parseGridDocumentId,
  type PlanningGridDocument,
} from './planning-grid.types';

export type { PlanningGridDocument } from './planning-grid.types';

/**
 * « Mes enfants → Agenda »: one document per family, child and month (`familyId|childId|YYYY-MM`),
 * holding only what the events say about each day of each activity the child is enrolled in (see
 * planning-grid.types.ts). The calendar (F, P, G), the catalogue's closures and the clock are laid over
 * it by `buildGridView` (src/modules/planning/grid/planning-grid.view.ts), so a closure or a holiday
 * change reaches every grid without rewriting documents.
 *
 * Sources:
 * - `planning-<familyId>`: ChildEnrolled / EnrolmentEnded (the 12 months September–August of the
 *   enrolment's school year), ReservationRequested, CancellationRequested, AbsenceDeclared (each day in
 *   its own month);
 * - `allocation-<activityId>-<date>`: the outcome of each request; the family and the child come from
 *   the event's data (one append can concern several families), the activity and the day from the stream;
 * - `attendance-<activityId>-<date>`: AttendanceRecorded, what staff saw (family, child, activity and day
 *   in its data).
 *
 * Not read: DayClosed (it names no family: the PlaceReleased / RemovedFromWaitingList 'closure' that
 * follow it for each live request do, and the view shows the catalogue's closure on every grid);
 * OfferAccepted / OfferDeclined / OfferExpired (the PlaceAllocated / PlaceReleased appended with them
 * carry the outcome); CapacityChanged.
 *
 * Order: the log's global order puts a request's ReservationRequested before its allocation events,
 * but a family's cancellation can come before the allocation events decided for the same request
 * earlier (the allocator lags behind the family stream). A request that is over (cancelled, refused,
 * released, closed) is therefore never revived by a later event about it, and events about a request
 * that is not the day's current one (a day cancelled and booked again) are ignored.
 */
export const PLANNING_GRID_EVENT_TYPES = [
  'ChildEnrolled',
  'EnrolmentEnded',
  'ReservationRequested',
  'CancellationRequested',
  'AbsenceDeclared',
  'PlaceAllocated',
  'RequestWaitListed',
  'PlaceOffered',
  'PlaceReleased',
  'RemovedFromWaitingList',
  'RequestRejected',
  'RequestAcceptedByStaff',
  'RequestRefusedByStaff',
  'AttendanceRecorded',
] as const;

type GridEvent = FamilyPlanningEvent | AllocationEvent | AttendanceRecorded;

function asGridEvent(event: ProjectedEvent): GridEvent | null {
  return familyPlanningEvents.narrow(event) ?? allocationEvents.narrow(event) ?? attendanceEvents.narrow(event);
}

/** The family of an event of a family planning stream: the stream, else the metadata. */
function familyOfPlanningEvent(event: ProjectedEvent): string | null {
  return familyIdFromPlanningStream(event.streamId) ?? event.metadata.familyId ?? null;
}

function isRequestRef(data: Record<string, unknown>): boolean {
  return typeof data.familyId === 'string' && typeof data.childId === 'string' && typeof data.requestId === 'string';
}

function documentIds(event: ProjectedEvent): string[] {
  const gridEvent = asGridEvent(event);
  if (!gridEvent) return [];
  switch (gridEvent.type) {
    case 'ChildEnrolled':
    case 'EnrolmentEnded': {
      const familyId = familyOfPlanningEvent(event);
      if (!familyId) return [];
      const { childId, schoolYear } = gridEvent.data;
      return monthsOfSchoolYear(schoolYear).map((month) => gridDocumentId(familyId, childId, month));
    }
    case 'ReservationRequested':
    case 'CancellationRequested': {
      const familyId = familyOfPlanningEvent(event);
      return familyId ? [gridDocumentId(familyId, gridEvent.data.childId, monthOf(gridEvent.data.date))] : [];
    }
    case 'AbsenceDeclared': {
      const familyId = familyOfPlanningEvent(event);
      if (!familyId) return [];
      const months = new Set(gridEvent.data.decisions.map((decision) => monthOf(decision.date)));
      return [...months].map((month) => gridDocumentId(familyId, gridEvent.data.childId, month));
    }
    case 'AttendanceRecorded': {
      const { familyId, childId, date } = gridEvent.data;
      return typeof familyId === 'string' && typeof childId === 'string' && typeof date === 'string'
        ? [gridDocumentId(familyId, childId, monthOf(date))]
        : [];
    }
    case 'DayClosed':
    case 'CapacityChanged':
    case 'OfferAccepted':
    case 'OfferDeclined':
    case 'OfferExpired':
    case 'ReservationEnded': // the allocation event that ended the request already set the cell
      return [];
    default: {
      const where = parseAllocationStream(event.streamId);
      if (!where || !isRequestRef(event.data)) return [];
      const { familyId, childId } = gridEvent.data;
      return [gridDocumentId(familyId, childId, monthOf(where.date))];
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------------------------------

function effectiveStatus(cell: Omit<GridCell, 'status'>): GridCellStatus {
  const live = cell.reservation === undefined || isLiveReservation(cell.reservation);
  if (live && cell.attendance) return ATTENDANCE_STATUS_OF[cell.attendance.status] ?? cell.reservation ?? 'booked';
  if (live && cell.absence) return ABSENCE_STATUS_OF[cell.absence.outcome];
  // A cell always has a reservation, an absence or an attendance.
  return cell.reservation ?? 'cancelled';
}

function withStatus(cell: Omit<GridCell, 'status'>): GridCell {
  return { ...cell, status: effectiveStatus(cell) };
}

/** The request's fields that describe its current step, cleared when it moves on. */
function stepless(cell: GridCell): Omit<GridCell, 'status'> {
  const { status: _status, rank: _rank, endReason: _endReason, reason: _reason, ...rest } = cell;
  return rest;
}

type CellChange = (cell: GridCell) => Omit<GridCell, 'status'>;

/**
 * Applies an allocation outcome to the day's cell when the event is about the day's request: a new
 * cell when the day has none (or only an absence), nothing when the day holds another request or the
 * request is already over.
 */
function onRequest(cell: GridCell | undefined, ref: RequestRef, at: Instant, change: CellChange): GridCell | undefined {
  let current: GridCell;
  if (!cell) {
    current = { status: 'requested', requestId: ref.requestId, reservation: 'requested', updatedAt: at };
  } else if (cell.reservation === undefined) {
    current = { ...cell, requestId: ref.requestId, reservation: 'requested' };
  } else if (cell.requestId !== ref.requestId || !isLiveReservation(cell.reservation)) {
    return cell;
  } else {
    current = cell;
  }
  return withStatus({ ...change(current), updatedAt: at });
}

function ended(
  reservation: Extract<GridReservationStatus, 'cancelled' | 'released' | 'closed' | 'refused'>,
  endReason?: GridCell['endReason'],
  reason?: string,
): CellChange {
  return (cell) => ({
    ...stepless(cell),
    reservation,
    ...(endReason ? { endReason } : {}),
    ...(reason !== undefined ? { reason } : {}),
  });
}

function releaseChange(reason: PlaceReleaseReason, closureReason: string | undefined): CellChange {
  switch (reason) {
    case 'cancelled':
      return ended('cancelled', 'cancelled');
    case 'closure':
      return ended('closed', 'closure', closureReason);
    case 'refused-by-staff':
      // RequestRefusedByStaff came first and already ended the request: only reached without it.
      return ended('refused', 'refused-by-staff');
    case 'offer-expired':
    case 'offer-declined':
      return ended('released', reason);
  }
}

function allocationChange(event: AllocationEvent): CellChange | null {
  switch (event.type) {
    case 'PlaceAllocated': {
      const { awaitingStaff, validation } = event.data;
      return (cell) => ({ ...stepless(cell), validation, reservation: awaitingStaff ? 'awaiting-staff' : 'booked' });
    }
    case 'RequestWaitListed': {
      const { rank, validation } = event.data;
      return (cell) => ({ ...stepless(cell), validation, reservation: 'waiting', rank });
    }
    case 'PlaceOffered': {
      const { offeredAt, expiresAt } = event.data;
      return (cell) => ({ ...stepless(cell), reservation: 'offered', offer: { offeredAt, expiresAt } });
    }
    case 'RequestAcceptedByStaff':
      // A held place becomes a booking; a request still waiting or offered is pre-approved.
      return (cell) =>
        cell.reservation === 'awaiting-staff'
          ? { ...stepless(cell), reservation: 'booked', staffApproved: true }
          : { ...stepless(cell), ...(cell.rank !== undefined ? { rank: cell.rank } : {}), staffApproved: true };
    case 'RequestRefusedByStaff':
      return ended('refused', 'refused-by-staff', event.data.reason);
    case 'RequestRejected':
      return ended('refused', 'day-closed', event.data.closureReason);
    case 'PlaceReleased':
      return releaseChange(event.data.reason, event.data.closureReason);
    case 'RemovedFromWaitingList': {
      const { reason, closureReason } = event.data;
      return reason === 'closure' ? ended('closed', 'closure', closureReason) : ended('cancelled', 'cancelled');
    }
    case 'OfferAccepted':
    case 'OfferDeclined':
    case 'OfferExpired':
    case 'DayClosed':
    case 'CapacityChanged':
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------
// Rows and documents
// ---------------------------------------------------------------------------------------------------

function emptyRow(activityId: string): GridRow {
  return { activityId, enrolment: null, days: {} };
}

function withRow(document: PlanningGridDocument, row: GridRow): PlanningGridDocument {
  return { ...document, rows: { ...document.rows, [row.activityId]: row } };
}

function withCell(document: PlanningGridDocument, activityId: string, date: LocalDate, cell: GridCell | undefined): PlanningGridDocument {
  const row = document.rows[activityId] ?? emptyRow(activityId);
  if (!cell || row.days[date] === cell) return document;
  return withRow(document, { ...row, days: { ...row.days, [date]: cell } });
}

function cellOf(document: PlanningGridDocument, activityId: string, date: LocalDate): GridCell | undefined {
  return document.rows[activityId]?.days[date];
}

/** The document after the event; the same object when the event changes nothing in this month. */
function apply(document: PlanningGridDocument, event: GridEvent, projected: ProjectedEvent, month: MonthId): PlanningGridDocument {
  const at = projected.recordedAt;
  switch (event.type) {
    case 'ChildEnrolled': {
      const { activityId, schoolYear, regularDays, enrolledAt } = event.data;
      if (!monthsOfSchoolYear(schoolYear).includes(month)) return document;
      const row = document.rows[activityId] ?? emptyRow(activityId);
      return withRow(document, { ...row, enrolment: { schoolYear, regularDays: [...regularDays], active: true, enrolledAt } });
    }
    case 'EnrolmentEnded': {
      const { activityId, schoolYear, endedAt } = event.data;
      const row = document.rows[activityId];
      if (!row?.enrolment || row.enrolment.schoolYear !== schoolYear || !row.enrolment.active) return document;
      return withRow(document, { ...row, enrolment: { ...row.enrolment, active: false, endedAt } });
    }
    case 'ReservationRequested': {
      const { requestId, activityId, date, validation } = event.data;
      if (monthOf(date) !== month) return document;
      const cell = cellOf(document, activityId, date);
      // The same request again (a redelivery) changes nothing; a new request replaces an ended one.
      if (cell?.requestId === requestId && cell.reservation !== undefined) return document;
      const absence = cell && cell.reservation === undefined ? cell.absence : undefined;
      const next = withStatus({ requestId, reservation: 'requested', validation, ...(absence ? { absence } : {}), updatedAt: at });
      return withCell(document, activityId, date, next);
    }
    case 'CancellationRequested': {
      const { requestId, activityId, date } = event.data;
      if (monthOf(date) !== month) return document;
      const cell = cellOf(document, activityId, date);
      if (cell?.reservation !== undefined && cell.requestId !== requestId) return document;
      if (cell?.reservation === 'cancelled') return document;
      const base: Omit<GridCell, 'status'> = cell ? stepless(cell) : { requestId, updatedAt: at };
      return withCell(
        document,
        activityId,
        date,
        withStatus({ ...base, requestId, reservation: 'cancelled', endReason: 'cancelled', updatedAt: at }),
      );
    }
    case 'AbsenceDeclared': {
      const { absenceId, activityId, declaredAt, certificate, decisions } = event.data;
      let next = document;
      for (const { date, outcome } of decisions) {
        if (monthOf(date) !== month) continue;
        const cell = cellOf(next, activityId, date);
        if (cell?.absence?.absenceId === absenceId && cell.absence.outcome === outcome) continue;
        const absence = { absenceId, outcome, declaredAt, withCertificate: certificate !== undefined };
        const base: Omit<GridCell, 'status'> = cell ? { ...cell } : { updatedAt: at };
        next = withCell(next, activityId, date, withStatus({ ...base, absence, updatedAt: at }));
      }
      return next;
    }
    case 'AttendanceRecorded': {
      const { activityId, date, status, recordedAt } = event.data;
      if (monthOf(date) !== month) return document;
      const cell = cellOf(document, activityId, date);
      if (cell?.attendance?.status === status) return document;
      const base: Omit<GridCell, 'status'> = cell ? { ...cell } : { updatedAt: at };
      return withCell(document, activityId, date, withStatus({ ...base, attendance: { status, recordedAt }, updatedAt: at }));
    }
    case 'ReservationEnded':
      return document;
    default: {
      const where = parseAllocationStream(projected.streamId);
      if (!where || monthOf(where.date) !== month || !isRequestRef(event.data)) return document;
      const change = allocationChange(event);
      if (!change) return document;
      const ref = event.data as RequestRef;
      const cell = cellOf(document, where.activityId, where.date);
      return withCell(document, where.activityId, where.date, onRequest(cell, ref, at, change));
    }
  }
}

/** Pure: the document of `documentId` after the event (null stays null when the event changes nothing). */
export function evolvePlanningGrid(
  document: PlanningGridDocument | null,
  event: ProjectedEvent,
  documentId: string,
): PlanningGridDocument | null {
  const key = parseGridDocumentId(documentId);
  const gridEvent = asGridEvent(event);
  if (!key || !gridEvent) return document;
  const before: PlanningGridDocument = document ?? { ...key, rows: {}, updatedAt: event.recordedAt };
  const after = apply(before, gridEvent, event, key.month);
  if (after === before) return document;
  return { ...after, updatedAt: event.recordedAt };
}

export const planningGridProjection: ProjectionDefinition<PlanningGridDocument> = {
  name: 'planning-grid',
  version: 1,
  eventTypes: [...PLANNING_GRID_EVENT_TYPES],
  indexedFields: ['familyId', 'childId', 'month'],
  documentIds,
  evolve: evolvePlanningGrid,
};
