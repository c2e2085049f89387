/**
 * The planning grid ("Mes enfants → Agenda"): one month, one child, one row per activity, one cell per
 * day. Two layers:
 *
 * - the read model `planning-grid` (projections/planning-grid/): one document per (family, child,
 *   month) holding only what the EVENTS say about each day — enrolments, requests, places, staff
 *   decisions, absences. Its cells know nothing of the calendar, closures or the clock;
 * - the view (planning-grid.view.ts): a pure function that lays the document over the calendar,
 *   the public holidays, the catalogue's closures and the current time, so that a closure or a change
 *   of the holidays reaches every grid at once without rewriting a document, and says what the parent
 *   may do now on each day.
 *
 * Pure types and constants: no framework, no I/O, no clock.
 */
import { type PlaceReleaseReason } from '../../src/modules/planning/allocation/allocation.events';
import type { AttendanceStatus } from '../../src/modules/planning/attendance/attendance.events';
import { type AbsenceOutcome, type ValidationMode } from '../../src/modules/planning/family-planning/family-planning.events';
import type { Instant, LocalDate, Weekday } from '../../src/modules/planning/planning.types';

// ---------------------------------------------------------------------------------------------------
// The read model's documents
// ---------------------------------------------------------------------------------------------------

/** `YYYY-MM`: a calendar month (Europe/Paris days). */
export type MonthId = string;

/**
 * Where a request stands, from the family stream and the allocation stream of its day:
 * - 'requested'      ReservationRequested, no allocation outcome yet
 * - 'waiting'        RequestWaitListed (the day is full)
 * - 'offered'        PlaceOffered: a freed place is held for it until `offer.expiresAt`
 * - 'awaiting-staff' PlaceAllocated { awaitingStaff: true }: a place is held while staff decide
 * - 'booked'         PlaceAllocated (automatic, or after an accepted offer) / RequestAcceptedByStaff
 * - 'refused'        RequestRefusedByStaff (with the reason), RequestRejected (the day was closed)
 * - 'cancelled'      CancellationRequested (then PlaceReleased / RemovedFromWaitingList 'cancelled')
 * - 'released'       PlaceReleased 'offer-expired' / 'offer-declined': the offered place went to the next family
 * - 'closed'         PlaceReleased / RemovedFromWaitingList 'closure' (Fermeture, with the closure's reason)
 * The last five are over: a later event about the same request changes nothing.
 */
export type GridReservationStatus =
  'requested' | 'waiting' | 'offered' | 'awaiting-staff' | 'booked' | 'refused' | 'cancelled' | 'released' | 'closed';

export const LIVE_RESERVATION_STATUSES: readonly GridReservationStatus[] = ['requested', 'waiting', 'offered', 'awaiting-staff', 'booked'];

export function isLiveReservation(status: GridReservationStatus | undefined): boolean {
  return status !== undefined && LIVE_RESERVATION_STATUSES.includes(status);
}

/**
 * An absence on a day:
 * - declared by the family (AbsenceDeclared's decision for the day): 'absent-excused', 'absent-billed',
 *   or 'absence-pending' while a certificate or a check by staff is awaited (outcome 'to-verify');
 * - recorded by staff at attendance (AttendanceRecorded): 'absence-to-verify' for a booked child noted
 *   absent and not yet excused or billed, 'absent-excused', 'absent-billed'.
 */
export type GridAbsenceStatus = 'absent-excused' | 'absent-billed' | 'absence-pending' | 'absence-to-verify';

export const ABSENCE_STATUS_OF: Record<AbsenceOutcome, GridAbsenceStatus> = {
  excused: 'absent-excused',
  billed: 'absent-billed',
  'to-verify': 'absence-pending',
};

/** The status staff's attendance gives a day; 'present' leaves the booking as it is. */
export const ATTENDANCE_STATUS_OF: Record<AttendanceStatus, GridAbsenceStatus | null> = {
  present: null,
  absent: 'absence-to-verify',
  'absent-excused': 'absent-excused',
  'absent-billed': 'absent-billed',
};

/**
 * The status a cell shows. While its request is live (or unknown): staff's attendance when recorded
 * (the last record wins; 'present' shows the booking), else the family's declared absence, else the
 * request's status. Once the request is over (cancelled, refused, released, closed): the request's status.
 */
export type GridCellStatus = GridReservationStatus | GridAbsenceStatus;

/** One day of one activity, as the events tell it. */
export type GridCell = {
  /** the effective status (see GridCellStatus) */
  status: GridCellStatus;
  /** the request of the day (the latest one: a day cancelled and booked again holds the new request) */
  requestId?: string;
  /** the request's own status; absent when only an absence or an attendance is known for the day */
  reservation?: GridReservationStatus;
  validation?: ValidationMode;
  /** rank in the waiting list when it joined it ('waiting') */
  rank?: number;
  /** the place offered to it ('offered'; kept afterwards) */
  offer?: { offeredAt: Instant; expiresAt: Instant };
  /** staff pre-approved the request while it was waiting or offered */
  staffApproved?: boolean;
  /** why it ended: the release reason, or 'day-closed' for a RequestRejected */
  endReason?: PlaceReleaseReason | 'day-closed';
  /** French, shown to the family: staff's refusal reason, or the closure's reason */
  reason?: string;
  /** the absence the family declared for the day */
  absence?: { absenceId: string; outcome: AbsenceOutcome; declaredAt: Instant; withCertificate: boolean };
  /** what staff recorded at attendance (the last record) */
  attendance?: { status: AttendanceStatus; recordedAt: Instant };
  /** instant of the last event that changed the cell */
  updatedAt: Instant;
};

/** The child's enrolment in the activity for the school year of the month (ChildEnrolled / EnrolmentEnded). */
export type GridEnrolment = {
  /** '2026-2027' */
  schoolYear: string;
  /** the regular contract's weekdays (« Régulier »), ascending; empty for occasional attendance */
  regularDays: Weekday[];
  active: boolean;
  enrolledAt: Instant;
  endedAt?: Instant;
};

export type GridRow = {
  activityId: string;
  /** null when a request is known but no enrolment event was seen for this school year */
  enrolment: GridEnrolment | null;
  /** the days of the month that events mention, by date */
  days: Record<LocalDate, GridCell>;
};

/** Document id `${familyId}|${childId}|${YYYY-MM}` (ids never contain '|'). */
export type PlanningGridDocument = {
  familyId: string;
  childId: string;
  month: MonthId;
  /** by activityId */
  rows: Record<string, GridRow>;
  /** instant of the last event applied */
  updatedAt: Instant;
};

export function gridDocumentId(familyId: string, childId: string, month: MonthId): string {
  return `${familyId}|${childId}|${month}`;
}

export function parseGridDocumentId(id: string): { familyId: string; childId: string; month: MonthId } | null {
  const parts = id.split('|');
  if (parts.length !== 3) return null;
  const [familyId, childId, month] = parts;
  if (!familyId || !childId || !isMonthId(month)) return null;
  return { familyId, childId, month };
}

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isMonthId(value: unknown): value is MonthId {
  return typeof value === 'string' && MONTH_RE.test(value);
}

/** The month of a day: '2027-04-07' → '2027-04'. */
export function monthOf(date: LocalDate): MonthId {
  return date.slice(0, 7);
}

/** The month `delta` months after (or before) `month`. */
export function shiftMonth(month: MonthId, delta: number): MonthId {
  const [year, monthNumber] = month.split('-').map(Number);
  const index = year * 12 + (monthNumber - 1) + delta;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * The months an enrolment covers: September to August of its school year ('2026-2027' → 2026-09 …
 * 2027-08, the convention of the account statements); [] for a malformed school year.
 */
export function monthsOfSchoolYear(schoolYear: string): MonthId[] {
  const match = /^(\d{4})-(\d{4})$/.exec(schoolYear);
  if (!match || Number(match[2]) !== Number(match[1]) + 1) return [];
  const september = `${match[1]}-09`;
  return Array.from({ length: 12 }, (_, i) => shiftMonth(september, i));
}

// ---------------------------------------------------------------------------------------------------
// The legend (the seed's « Agenda »)
// ---------------------------------------------------------------------------------------------------

/** The code of a cell: the seed's legend, '' for a day without anything to show. */
export type GridCellCode =
  | ''
  | 'Réservé'
  | 'Régulier'
  | 'Réservation hors contrat'
  | 'Heure hors contrat'
  | 'Congé'
  | 'Erreur'
  | 'Absence à vérifier'
  | 'Absent excusé'
  | 'Absent facturé'
  | 'Fermeture'
  | 'F'
  | 'P'
  | 'G'
  | 'Demande en attente'
  | 'Réserve en cours de traitement'
  | 'Réserve refusée'
  | 'Absence en cours de traitement';

export type GridLegendEntry = {
  code: Exclude<GridCellCode, ''>;
  /** French, as the legend reads */
  label: string;
  /** the seed's symbol for the codes drawn with one (✓ for a booked day, ⌚ pending, ✗ refused) */
  symbol?: string;
  /** what the grid derives it from; 'not-yet' = needs events of another issue (see `source`) */
  derived: 'events' | 'calendar' | 'not-yet';
  /** how the code is derived, or which events it waits for */
  source: string;
};

/** Every code of the legend, in the seed's order, with where it comes from. */
export const GRID_LEGEND: readonly GridLegendEntry[] = [
  {
    code: 'Réservé',
    label: 'Réservé',
    symbol: '✓',
    derived: 'events',
    source: 'place attribuée (PlaceAllocated, RequestAcceptedByStaff), jour hors contrat régulier ou inscription sans contrat',
  },
  {
    code: 'Erreur',
    label: 'Erreur',
    derived: 'calendar',
    source: 'demande encore active sur un jour devenu sans accueil (férié, vacances) après un changement du calendrier',
  },
  {
    code: 'Congé',
    label: 'Congé',
    derived: 'events',
    source: 'jour du contrat régulier annulé dans les délais (CancellationRequested sur un jour du contrat)',
  },
  {
    code: 'Absence à vérifier',
    label: 'Absence à vérifier',
    derived: 'events',
    source: "pointage : enfant réservé noté absent, ni excusé ni facturé (AttendanceRecorded 'absent')",
  },
  {
    code: 'Heure hors contrat',
    label: 'Heure hors contrat',
    derived: 'events',
    source: "pointage : enfant présent sans réservation ce jour-là (AttendanceRecorded 'present' sans demande)",
  },
  {
    code: 'Régulier',
    label: 'Régulier',
    symbol: '✓',
    derived: 'events',
    source: 'jour réservé qui est un jour du contrat régulier (ChildEnrolled.regularDays)',
  },
  {
    code: 'Réservation hors contrat',
    label: 'Réservation hors contrat',
    symbol: '✓',
    derived: 'events',
    source: "jour réservé en dehors des jours d'un contrat régulier non vide",
  },
  {
    code: 'Fermeture',
    label: 'Fermeture',
    derived: 'calendar',
    source: "fermeture du catalogue (runsOn), ou place libérée pour fermeture (PlaceReleased / RemovedFromWaitingList 'closure')",
  },
  {
    code: 'Absent facturé',
    label: 'Absent facturé',
    derived: 'events',
    source: "AbsenceDeclared, décision 'billed' ; pointage 'absent-billed'",
  },
  {
    code: 'Demande en attente',
    label: 'Demande en attente',
    derived: 'events',
    source: 'ReservationRequested sans attribution, liste d’attente (RequestWaitListed), place proposée (PlaceOffered)',
  },
  {
    code: 'Absent excusé',
    label: 'Absent excusé',
    derived: 'events',
    source: "AbsenceDeclared, décision 'excused' ; pointage 'absent-excused'",
  },
  {
    code: 'Réserve en cours de traitement',
    label: 'Réserve en cours de traitement',
    symbol: '⌚',
    derived: 'events',
    source: 'PlaceAllocated { awaitingStaff: true } : validation par le service en attente',
  },
  {
    code: 'Réserve refusée',
    label: 'Réserve refusée',
    symbol: '✗',
    derived: 'events',
    source: 'RequestRefusedByStaff (avec le motif), RequestRejected (jour fermé)',
  },
  {
    code: 'Absence en cours de traitement',
    label: 'Absence en cours de traitement',
    symbol: '⌚',
    derived: 'events',
    source: "AbsenceDeclared, décision 'to-verify' (certificat attendu ou vérification par le service)",
  },
  {
    code: 'P',
    label: 'Petites vacances',
    symbol: 'P',
    derived: 'calendar',
    source: "petites vacances du calendrier scolaire, l'activité ne fonctionne pas (runsOn)",
  },
  {
    code: 'G',
    label: 'Grandes vacances',
    symbol: 'G',
    derived: 'calendar',
    source: "grandes vacances du calendrier scolaire, l'activité ne fonctionne pas (runsOn)",
  },
  { code: 'F', label: 'Jour férié', symbol: 'F', derived: 'calendar', source: 'jour férié (runsOn)' },
];

export const GRID_LEGEND_LABELS: Record<GridCellCode, string> = {
  '': '',
  ...(Object.fromEntries(GRID_LEGEND.map((entry) => [entry.code, entry.label])) as Record<Exclude<GridCellCode, ''>, string>),
};

/**
 * The legend code of an absence: the family's declared absence still waiting for a certificate or a
 * check is the ⌚ « Absence en cours de traitement »; a booked child staff noted absent at attendance,
 * not yet excused or billed, is « Absence à vérifier » (ATTENDANCE_LABELS says the same).
 */
export const ABSENCE_CODE: Record<GridAbsenceStatus, GridCellCode> = {
  'absent-excused': 'Absent excusé',
  'absent-billed': 'Absent facturé',
  'absence-pending': 'Absence en cours de traitement',
  'absence-to-verify': 'Absence à vérifier',
};
