/**
 * The planning grid as the parent sees it (« Mes enfants → Agenda »): the `planning-grid` document of
 * one child and month (what the events say) laid over what depends on the calendar and on time — the
 * public holidays (F), the school holidays (P, G), the catalogue's closures (Fermeture), the booking
 * and cancellation deadlines — and, for each day, what the parent may do now and until when.
 *
 * Pure: no framework, no I/O, no clock (`now` comes in). Because the calendar and the closures are
 * applied here and not stored in the documents, a new closure or a change of the holidays shows on
 * every grid at once.
 *
 * A cell, by precedence:
 * 1. the activity does not run that day (`runsOn`): F, P, G or Fermeture (and P / G on the weekends
 *    inside holidays the activity does not run in, as the seed shows them); '' for another weekend, a
 *    weekday or a period the activity never runs on (`runs: false`). A request still live on such a day (the
 *    calendar changed after it was booked) is kept in `status` / `requestId`, flagged by `conflict`,
 *    and can still be cancelled;
 * 2. the day as the events tell it (see `codeOfCell`);
 * 3. '' (nothing booked).
 *
 * Actions (each only when the server would accept it now):
 * - book: the day holds no request (or a cancelled one), and `checkBooking` accepts it at `now`
 *   (enrolled, school year, running, not closed, booking window, deadline) → until its deadline;
 * - cancel: the request is live (requested, waiting, offered, awaiting staff, booked), no absence is
 *   declared nor attendance recorded on it, and `checkCancellation` accepts it at `now` → until the
 *   cancellation deadline;
 * - declareAbsence: the day is booked, the activity runs, no absence declared nor attendance recorded
 *   yet, today or later, enrolment in force → `reportBy`: declared by then (09:00 the same day by default) it is excused;
 * - answerOffer: a place is offered and its reply window is still open → until `expiresAt`.
 * A request that ended on the allocation side (refused, offer expired or declined, closure) is still
 * booked in the family's planning stream (it only learns of cancellations), which would refuse a new
 * booking of the day (ALREADY_BOOKED): no `book` is offered on such a day.
 */
import {
  ABSENCE_CODE,
  GRID_LEGEND,
  GRID_LEGEND_LABELS,
  type GridAbsenceStatus,
  type GridCell,
  type GridCellCode,
  type GridCellStatus,
  type GridEnrolment,
  type GridLegendEntry,
  type GridRow,
  isLiveReservation,
  isMonthId,
  type MonthId,
  type PlanningGridDocument,
  shiftMonth,
} from '../../../../projections/planning-grid/planning-grid.types';
import { DomainError } from '../../../platform/domain/domain-error';
import { eachDay, instantMs, isoWeekday, lastDayOfMonth, localDate, parisDateOf, parisInstant } from '../calendar/local-date';
import { publicHolidayName } from '../calendar/public-holidays';
import { findSchoolYear, type RunsOn, runsOn, schoolYearOf } from '../calendar/school-calendar';
import type { Activity, Closure, Facility, Instant, LocalDate, SchoolCalendar, Weekday } from '../planning.types';
import { checkBooking, checkCancellation } from '../rules/booking.rules';
import { formatInstantFr, MONTH_NAMES_FR } from '../rules/format-fr';

// ---------------------------------------------------------------------------------------------------
// Input and output
// ---------------------------------------------------------------------------------------------------

/** An activity as the catalogue gives it (CatalogRepository.activity's ActivityInCatalog fits). */
export type GridActivity = {
  activity: Activity;
  /** the closures in force for the activity: its own and its facility's */
  closures: readonly Closure[];
  /** its « Structure », for the row's label */
  facility?: Facility;
};

export type BuildGridViewInput = {
  familyId: string;
  childId: string;
  /** the `planning-grid` document of (familyId, childId, month), or null when it does not exist */
  document: PlanningGridDocument | null;
  /** 'YYYY-MM' */
  month: MonthId;
  /** the commune's school calendar (adjusted) */
  calendar: SchoolCalendar;
  /** the public holidays of the month's year (at least of the month), e.g. [...publicHolidaysOf(2027).keys()] */
  publicHolidays: readonly LocalDate[];
  /** the catalogue, by activityId: at least the activities of the document's rows */
  activities: Readonly<Record<string, GridActivity>>;
  /** the family's category for booking windows: 'resident', 'non-resident', … */
  familyCategory: string;
  /** the current instant (from the request, never read from the clock here) */
  now: Instant;
};

export type GridDayHeader = {
  date: LocalDate;
  /** « Me 01 » */
  label: string;
  weekday: Weekday;
  weekend: boolean;
};

export type GridCellActions = {
  book?: { until: Instant };
  cancel?: { requestId: string; until: Instant };
  declareAbsence?: { requestId?: string; reportBy: Instant };
  answerOffer?: { requestId: string; until: Instant };
  /**
   * Why a day from today on, free and running, cannot be booked now: the booking rule's code and French
   * message, and the deadline that passed (DEADLINE_PASSED) — so a screen says « réservations closes le … »
   * instead of a blank cell.
   */
  bookingClosed?: { code: string; message: string; deadline?: Instant };
};

export type GridCellView = {
  date: LocalDate;
  /** « Me 01 » */
  label: string;
  code: GridCellCode;
  /** the legend's label of the code: « Jour férié » for F, « Petites vacances » for P, … ('' for '') */
  legend: string;
  /** French details: the holiday, the closure's or the refusal's reason, the rank, the offer's deadline */
  detail?: string;
  /** whether the activity runs that day (false for weekends, F, P, G, Fermeture, days it never runs) */
  runs: boolean;
  /** what the events say about the day, when they say something */
  status?: GridCellStatus;
  requestId?: string;
  /** a live request on a day the activity no longer runs (the calendar changed after it was booked) */
  conflict?: true;
  actions: GridCellActions;
};

export type GridRowView = {
  activityId: string;
  /** the activity's name (its id when the catalogue no longer has it) */
  activityName: string;
  facilityName?: string;
  /** « Accueil de Loisirs ALSH Mercredi après-midi »: the « Structure » then the activity */
  label: string;
  enrolled: boolean;
  /** the regular contract's weekdays */
  regularDays: Weekday[];
  cells: GridCellView[];
};

export type GridView = {
  familyId: string;
  childId: string;
  month: MonthId;
  /** « Avril 2027 » */
  label: string;
  previousMonth: MonthId;
  nextMonth: MonthId;
  /** today in Paris */
  today: LocalDate;
  days: GridDayHeader[];
  rows: GridRowView[];
  legend: readonly GridLegendEntry[];
};

// ---------------------------------------------------------------------------------------------------
// Month and days
// ---------------------------------------------------------------------------------------------------

const WEEKDAY_ABBREVIATIONS_FR: Record<Weekday, string> = { 1: 'Lu', 2: 'Ma', 3: 'Me', 4: 'Je', 5: 'Ve', 6: 'Sa', 7: 'Di' };

function assertMonth(month: MonthId): void {
  if (!isMonthId(month)) {
    throw new DomainError('INVALID_MONTH', `Mois invalide (${String(month)}) : format attendu AAAA-MM.`, 'invalid', { field: 'month' });
  }
}

/** « Avril 2027 » */
export function monthLabelFr(month: MonthId): string {
  assertMonth(month);
  const [year, monthNumber] = month.split('-').map(Number);
  const name = MONTH_NAMES_FR[monthNumber - 1];
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} ${year}`;
}

/** Every day of the month. */
export function daysOfMonth(month: MonthId): LocalDate[] {
  assertMonth(month);
  const [year, monthNumber] = month.split('-').map(Number);
  return eachDay(localDate(year, monthNumber, 1), localDate(year, monthNumber, lastDayOfMonth(year, monthNumber)));
}

/** « Me 01 » */
export function dayLabelFr(date: LocalDate): string {
  return `${WEEKDAY_ABBREVIATIONS_FR[isoWeekday(date)]} ${date.slice(8, 10)}`;
}

export function dayHeaders(month: MonthId): GridDayHeader[] {
  return daysOfMonth(month).map((date) => {
    const weekday = isoWeekday(date);
    return { date, label: dayLabelFr(date), weekday, weekend: weekday >= 6 };
  });
}

// ---------------------------------------------------------------------------------------------------
// Codes
// ---------------------------------------------------------------------------------------------------

/**
 * The code of a booked day: « Régulier » on a weekday of the regular contract; « Réservation hors
 * contrat » on another day when the child has a regular contract; « Réservé » otherwise (occasional
 * attendance, or no enrolment known).
 */
export function bookedCode(date: LocalDate, enrolment: GridEnrolment | null): GridCellCode {
  const regularDays = enrolment?.regularDays ?? [];
  if (regularDays.length === 0) return 'Réservé';
  return regularDays.includes(isoWeekday(date)) ? 'Régulier' : 'Réservation hors contrat';
}

/** The code and details of a day as the events tell it (the activity runs that day). */
export function codeOfCell(cell: GridCell, date: LocalDate, enrolment: GridEnrolment | null): { code: GridCellCode; detail?: string } {
  switch (cell.status) {
    case 'requested':
      return { code: 'Demande en attente', detail: "Demande enregistrée, en attente d'attribution d'une place." };
    case 'waiting':
      return {
        code: 'Demande en attente',
        detail:
          cell.rank !== undefined ? `Complet : demande en liste d'attente (rang ${cell.rank}).` : "Complet : demande en liste d'attente.",
      };
    case 'offered':
      return {
        code: 'Demande en attente',
        detail: cell.offer
          ? `Une place vous est proposée : répondez avant le ${formatInstantFr(cell.offer.expiresAt)}.`
          : 'Une place vous est proposée.',
      };
    case 'awaiting-staff':
      return { code: 'Réserve en cours de traitement', detail: 'Place réservée, en attente de validation par le service.' };
    case 'booked':
      // Present without any booking that day: the child was taken in outside the contract.
      if (cell.reservation === undefined && cell.attendance?.status === 'present') {
        return { code: 'Heure hors contrat', detail: 'Accueilli sans réservation ce jour-là.' };
      }
      return { code: bookedCode(date, enrolment), ...(cell.attendance?.status === 'present' ? { detail: 'Présent' } : {}) };
    case 'refused':
      return { code: 'Réserve refusée', ...(cell.reason ? { detail: `Motif : ${cell.reason}` } : {}) };
    case 'closed':
      return { code: 'Fermeture', ...(cell.reason ? { detail: cell.reason } : {}) };
    case 'released':
      return {
        code: '',
        detail:
          cell.endReason === 'offer-declined'
            ? 'Vous avez décliné la place proposée.'
            : 'Le délai de réponse à la place proposée est dépassé : elle a été proposée à la famille suivante.',
      };
    case 'cancelled':
      // A contract day the family cancelled in time is a leave (« Congé »): not attended, not billed.
      return enrolment?.regularDays.includes(isoWeekday(date))
        ? { code: 'Congé', detail: 'Jour du contrat annulé dans les délais : congé, non facturé.' }
        : { code: '' };
    case 'absent-excused':
    case 'absent-billed':
    case 'absence-pending':
    case 'absence-to-verify':
      return { code: ABSENCE_CODE[cell.status satisfies GridAbsenceStatus] };
  }
}

/**
 * The code of a day the activity does not run on: `runsOn`'s F, P, G or Fermeture; and, as in the
 * seed's grids, P or G on the weekends inside holidays the activity does not run in (a weekend in term
 * time, or inside holidays the activity runs in, stays '').
 */
export function calendarCode(running: Extract<RunsOn, { runs: false }>, activity: Activity | undefined): GridCellCode {
  if (running.gridCode) return running.gridCode;
  if (running.reason === 'weekend' && running.holiday && activity) {
    const grandes = running.holiday.kind === 'grandes';
    const runsInThem = grandes ? activity.periods.grandesVacances : activity.periods.petitesVacances;
    if (!runsInThem) return grandes ? 'G' : 'P';
  }
  return '';
}

function notRunningDetail(running: Extract<RunsOn, { runs: false }>, code: GridCellCode, date: LocalDate): string | undefined {
  switch (code) {
    case 'F':
      return publicHolidayName(date) ?? 'Jour férié';
    case 'P':
    case 'G':
      return running.holiday?.name;
    case 'Fermeture':
      return running.closure?.reason;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// The view
// ---------------------------------------------------------------------------------------------------

type Context = BuildGridViewInput & { isPublicHoliday: (date: LocalDate) => boolean; today: LocalDate };

function rowShown(row: GridRow): boolean {
  return row.enrolment?.active === true || Object.keys(row.days).length > 0;
}

/** Whether the row's enrolment lets the child be booked on `date` (same school year, in force). */
function enrolledOn(row: GridRow, date: LocalDate, calendar: SchoolCalendar): boolean {
  if (!row.enrolment?.active) return false;
  return row.enrolment.schoolYear === (findSchoolYear(date, calendar)?.id ?? schoolYearOf(date));
}

function actionsFor(
  row: GridRow,
  cell: GridCell | undefined,
  date: LocalDate,
  running: RunsOn | null,
  config: GridActivity | undefined,
  context: Context,
): GridCellActions {
  if (!config) return {};
  const { activity, closures } = config;
  const { now, isPublicHoliday } = context;
  const actions: GridCellActions = {};

  const empty = !cell || cell.status === 'cancelled';
  if (empty && running?.runs) {
    const check = checkBooking({
      activity,
      date,
      now,
      enrolled: enrolledOn(row, date, context.calendar),
      familyCategory: context.familyCategory,
      calendar: context.calendar,
      closures,
      isPublicHoliday,
    });
    if (check.ok) actions.book = { until: check.deadline };
    else if (date >= context.today) {
      const deadline = check.code === 'DEADLINE_PASSED' ? (check.details?.deadline as Instant | undefined) : undefined;
      actions.bookingClosed = { code: check.code, message: check.message, ...(deadline ? { deadline } : {}) };
    }
  }

  if (cell?.requestId && isLiveReservation(cell.reservation) && !cell.absence && !cell.attendance) {
    const check = checkCancellation({ activity, date, now, isPublicHoliday });
    if (check.ok) actions.cancel = { requestId: cell.requestId, until: check.deadline };
  }

  if (cell?.status === 'booked' && !cell.attendance && running?.runs && date >= context.today && row.enrolment?.active) {
    actions.declareAbsence = {
      ...(cell.requestId ? { requestId: cell.requestId } : {}),
      reportBy: parisInstant(date, activity.absencePolicy.reportBy),
    };
  }

  if (cell?.requestId && cell.status === 'offered' && cell.offer && instantMs(now) < instantMs(cell.offer.expiresAt)) {
    actions.answerOffer = { requestId: cell.requestId, until: cell.offer.expiresAt };
  }
  return actions;
}

function cellView(row: GridRow, date: LocalDate, config: GridActivity | undefined, context: Context): GridCellView {
  const cell = row.days[date];
  const running = config
    ? runsOn(config.activity, date, context.calendar, { closures: config.closures, isPublicHoliday: context.isPublicHoliday })
    : null;
  let code: GridCellCode = '';
  let detail: string | undefined;
  if (running && !running.runs) {
    code = calendarCode(running, config?.activity);
    detail = notRunningDetail(running, code, date);
  } else if (cell) {
    ({ code, detail } = codeOfCell(cell, date, row.enrolment));
  }
  const conflict = running !== null && !running.runs && cell !== undefined && isLiveReservation(cell.reservation);
  if (conflict && code !== 'Fermeture') {
    // A request still live on a day the activity no longer runs because the calendar changed after it was
    // made: « Erreur », so the family and staff see it must be cancelled or settled. (A closure shows
    // « Fermeture » at once: the allocator releases the day's bookings itself.)
    detail = `Réservation sur un jour sans accueil (${GRID_LEGEND_LABELS[code] || 'pas d’accueil'}) : annulez-la ou contactez le service.`;
    code = 'Erreur';
  }
  return {
    date,
    label: dayLabelFr(date),
    code,
    legend: GRID_LEGEND_LABELS[code],
    ...(detail ? { detail } : {}),
    runs: running?.runs ?? false,
    ...(cell ? { status: cell.status } : {}),
    ...(cell?.requestId ? { requestId: cell.requestId } : {}),
    ...(conflict ? { conflict: true as const } : {}),
    actions: actionsFor(row, cell, date, running, config, context),
  };
}

function rowView(row: GridRow, days: LocalDate[], context: Context): GridRowView {
  const config = Object.prototype.hasOwnProperty.call(context.activities, row.activityId) ? context.activities[row.activityId] : undefined;
  const activityName = config?.activity.name ?? row.activityId;
  const facilityName = config?.facility?.name;
  return {
    activityId: row.activityId,
    activityName,
    ...(facilityName ? { facilityName } : {}),
    label: facilityName ? `${facilityName} ${activityName}` : activityName,
    enrolled: row.enrolment?.active === true,
    regularDays: [...(row.enrolment?.regularDays ?? [])],
    cells: days.map((date) => cellView(row, date, config, context)),
  };
}

/** One child's month (see the header). */
export function buildGridView(input: BuildGridViewInput): GridView {
  const { document, month, familyId, childId } = input;
  assertMonth(month);
  if (document && (document.month !== month || document.familyId !== familyId || document.childId !== childId)) {
    throw new Error(
      `planning-grid document ${document.familyId}|${document.childId}|${document.month} given for ${familyId}|${childId}|${month}`,
    );
  }
  const holidays = new Set(input.publicHolidays);
  const context: Context = { ...input, isPublicHoliday: (date) => holidays.has(date), today: parisDateOf(input.now) };
  const days = daysOfMonth(month);
  const rows = Object.values(document?.rows ?? {})
    .filter(rowShown)
    .map((row) => rowView(row, days, context))
    .sort((a, b) => a.label.localeCompare(b.label, 'fr') || a.activityId.localeCompare(b.activityId));
  return {
    familyId,
    childId,
    month,
    label: monthLabelFr(month),
    previousMonth: shiftMonth(month, -1),
    nextMonth: shiftMonth(month, 1),
    today: context.today,
    days: dayHeaders(month),
    rows,
    legend: GRID_LEGEND,
  };
}

// ---------------------------------------------------------------------------------------------------
// The family's month: every child
// ---------------------------------------------------------------------------------------------------

export type FamilyGridChild = {
  childId: string;
  /** shown above the child's rows, e.g. « LUCAS » */
  name?: string;
  rows: GridRowView[];
};

export type FamilyGridView = {
  familyId: string;
  month: MonthId;
  label: string;
  previousMonth: MonthId;
  nextMonth: MonthId;
  days: GridDayHeader[];
  children: FamilyGridChild[];
  legend: readonly GridLegendEntry[];
};

export type BuildFamilyViewInput = {
  familyId: string;
  month: MonthId;
  /** each child's view (buildGridView), in the order to show them */
  children: readonly { view: GridView; name?: string }[];
};

/** Every child of the family for one month: the children's grids under one header of days. */
export function buildFamilyView(input: BuildFamilyViewInput): FamilyGridView {
  const { familyId, month } = input;
  assertMonth(month);
  for (const { view } of input.children) {
    if (view.familyId !== familyId || view.month !== month) {
      throw new Error(`grid of ${view.familyId}|${view.childId}|${view.month} given for the family ${familyId}, ${month}`);
    }
  }
  return {
    familyId,
    month,
    label: monthLabelFr(month),
    previousMonth: shiftMonth(month, -1),
    nextMonth: shiftMonth(month, 1),
    days: dayHeaders(month),
    children: input.children.map(({ view, name }) => ({ childId: view.childId, ...(name ? { name } : {}), rows: view.rows })),
    legend: GRID_LEGEND,
  };
}
