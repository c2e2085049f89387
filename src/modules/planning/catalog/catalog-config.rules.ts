/**
 * What makes a facility, an activity configuration or a closure valid. Pure checks that throw a
 * DomainError (422, 'invalid') with a French message naming the field; the HTTP schemas
 * (catalog.schemas.ts) check the shapes first, these rules hold for every caller (API, CLI, demo data).
 */
import { DomainError } from '../../../platform/domain/domain-error';
import { assertNever } from '../../../platform/domain/exhaustive';
import { MAX_PLACES } from '../allocation/allocation.decider';
import { daysBetween } from '../calendar/local-date';
import {
  type AbsencePolicy,
  type Activity,
  type ActivityPeriods,
  type BookingWindow,
  type DaysBeforeDeadline,
  type DeadlineKind,
  type DeadlineRule,
  type Facility,
  isLocalDate,
  isLocalTime,
  isWeekday,
  type LocalDate,
  type Weekday,
} from '../planning.types';
import { deadlineRuleProblems } from '../rules/deadline.rules';
import { REGIE_ID_PATTERN } from './regie-reference';

export { MAX_PLACES };
export const NAME_MAX_LENGTH = 100;
export const CATEGORY_MAX_LENGTH = 50;
export const CLOSURE_REASON_MAX_LENGTH = 200;
export const MAX_PLACE_OVERRIDES = 1000;
export const MAX_BOOKING_WINDOWS = 50;
/** a certificate may come at most 30 days after the first absent day */
export const CERTIFICATE_MAX_HOURS = 30 * 24;
/** an absence is declared for 31 days at most, so a certificate cannot excuse more */
export const MAX_EXCUSED_DAYS_PER_CERTIFICATE = 31;
/** a flat penalty of 1 000 € at most */
export const PENALTY_MAX_CENTS = 100_000;
/** a closure spans a year at most (a longer one is a facility that no longer runs) */
export const CLOSURE_MAX_DAYS = 366;

/** What an activity is made of besides its ids: what staff fill in. */
export type ActivityConfig = Omit<Activity, 'activityId' | 'facilityId'>;

function invalid(code: string, message: string, field: string): DomainError {
  return new DomainError(code, message, 'invalid', { field });
}

/** Non-empty after trimming and at most `max` characters. */
export function checkText(value: unknown, field: string, label: string, max: number = NAME_MAX_LENGTH): void {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw invalid('INVALID_NAME', `${label} : ce champ ne peut pas être vide.`, field);
  }
  if (value.length > max) {
    throw invalid('INVALID_NAME', `${label} : ${max} caractères au plus.`, field);
  }
}

function checkDate(value: unknown, field: string): asserts value is LocalDate {
  if (!isLocalDate(value)) {
    throw invalid('INVALID_DATE', `Date invalide (${String(value)}) : format attendu AAAA-MM-JJ.`, field);
  }
}

/** Both ends real dates and `from <= to`. */
export function checkPeriod(from: unknown, to: unknown, field: string): void {
  checkDate(from, `${field}.from`);
  checkDate(to, `${field}.to`);
  if (from > to) {
    throw invalid('REVERSED_PERIOD', `La période se termine (${to}) avant de commencer (${from}).`, field);
  }
}

function checkPlaces(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_PLACES) {
    throw invalid(
      'INVALID_PLACES',
      `Nombre de places invalide (${String(value)}) : un nombre entier de 0 à ${MAX_PLACES} est attendu.`,
      field,
    );
  }
}

function checkWeekdays(weekdays: unknown, field: string, code: string): asserts weekdays is Weekday[] {
  if (!Array.isArray(weekdays) || !weekdays.every(isWeekday) || new Set(weekdays).size !== weekdays.length) {
    throw invalid(code, 'Jours de la semaine invalides : des nombres de 1 (lundi) à 7 (dimanche), sans doublon.', field);
  }
}

// ---------------------------------------------------------------------------------------------------
// Facility
// ---------------------------------------------------------------------------------------------------

export function checkFacility(facility: Facility): void {
  checkText(facility.name, 'name', 'Nom de la structure');
  checkText(facility.commune, 'commune', 'Commune');
}

// ---------------------------------------------------------------------------------------------------
// Activity
// ---------------------------------------------------------------------------------------------------

export function checkActivityConfig(config: ActivityConfig): void {
  checkText(config.name, 'name', "Nom de l'activité");
  checkRegieId(config.regieId);
  checkPeriods(config.periods);
  checkPlaces(config.placesPerDay, 'placesPerDay');
  checkPlaceOverrides(config.placeOverrides);
  if (config.validation !== 'automatic' && config.validation !== 'staff') {
    throw invalid('INVALID_VALIDATION_MODE', 'Mode de validation invalide : « automatic » ou « staff ».', 'validation');
  }
  checkDeadline(config.bookingDeadline, 'bookingDeadline');
  if (config.cancellationDeadline !== null) checkDeadline(config.cancellationDeadline, 'cancellationDeadline');
  checkBookingWindows(config.bookingWindows);
  checkAbsencePolicy(config.absencePolicy);
}

function checkPeriods(periods: ActivityPeriods): void {
  const { schoolDays, wednesdays, petitesVacances, grandesVacances, weekdays } = periods;
  if (!schoolDays && !wednesdays && !petitesVacances && !grandesVacances) {
    throw invalid(
      'INVALID_PERIODS',
      "L'activité doit fonctionner sur au moins une période : jours scolaires, mercredis, petites ou grandes vacances.",
      'periods',
    );
  }
  if (weekdays === undefined) return;
  checkWeekdays(weekdays, 'periods.weekdays', 'INVALID_PERIODS');
  if (weekdays.length === 0 || weekdays.every((day) => day >= 6)) {
    throw invalid(
      'INVALID_PERIODS',
      'Les jours de fonctionnement doivent comprendre au moins un jour du lundi au vendredi (ou être omis pour « tous »).',
      'periods.weekdays',
    );
  }
}

function checkPlaceOverrides(overrides: Record<LocalDate, number>): void {
  const entries = Object.entries(overrides);
  if (entries.length > MAX_PLACE_OVERRIDES) {
    throw invalid('INVALID_PLACES', `${MAX_PLACE_OVERRIDES} jours à capacité particulière au plus.`, 'placeOverrides');
  }
  for (const [date, places] of entries) {
    checkDate(date, `placeOverrides.${date}`);
    checkPlaces(places, `placeOverrides.${date}`);
  }
}

const DEADLINE_KINDS: readonly DeadlineKind[] = [
  'days-before',
  'weekday-previous-week',
  'previous-weekday',
  'weekday-weeks-before',
  'day-of-previous-month',
  'hours-before',
];

/**
 * Every form of deadline (planning.types.ts), with its numbers in range: the bounds are those of the
 * deadline computation itself (`deadlineRuleProblems`, rules/deadline.rules.ts), so a rule accepted here
 * can always be computed.
 */
export function checkDeadline(rule: DeadlineRule, field: string): void {
  if (typeof rule !== 'object' || rule === null || !DEADLINE_KINDS.includes(rule.kind)) {
    throw invalid('INVALID_DEADLINE_RULE', `Règle de délai invalide : forme inconnue (${DEADLINE_KINDS.join(', ')}).`, field);
  }
  if (rule.kind === 'days-before') {
    const skip: Partial<DaysBeforeDeadline['skip']> | undefined = rule.skip;
    if (typeof skip?.weekends !== 'boolean' || typeof skip.publicHolidays !== 'boolean' || !Array.isArray(skip.weekdays)) {
      throw invalid(
        'INVALID_DEADLINE_RULE',
        'Règle de délai invalide : indiquez si les week-ends, les jours fériés et quels jours de la semaine ne sont pas comptés.',
        `${field}.skip`,
      );
    }
  }
  const problems = deadlineRuleProblems(rule);
  if (problems.length > 0) {
    throw invalid('INVALID_DEADLINE_RULE', `Règle de délai invalide : ${problems.join(' ')}`, field);
  }
}

function isInstant(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

function checkBookingWindows(windows: BookingWindow[]): void {
  if (windows.length > MAX_BOOKING_WINDOWS) {
    throw invalid('INVALID_BOOKING_WINDOW', `${MAX_BOOKING_WINDOWS} périodes d'inscription au plus.`, 'bookingWindows');
  }
  windows.forEach((window, index) => {
    const field = `bookingWindows.${index}`;
    checkText(window.category, `${field}.category`, 'Catégorie de familles', CATEGORY_MAX_LENGTH);
    if (!isInstant(window.opensAt) || !isInstant(window.closesAt)) {
      throw invalid(
        'INVALID_BOOKING_WINDOW',
        "Période d'inscription invalide : l'ouverture et la clôture sont des instants ISO (AAAA-MM-JJTHH:mm:ssZ).",
        field,
      );
    }
    if (Date.parse(window.closesAt) <= Date.parse(window.opensAt)) {
      throw invalid(
        'INVALID_BOOKING_WINDOW',
        `Période d'inscription${window.label ? ` « ${window.label} »` : ''} invalide : elle se ferme avant d'ouvrir.`,
        field,
      );
    }
    if (window.appliesTo) checkPeriod(window.appliesTo.from, window.appliesTo.to, `${field}.appliesTo`);
    if (window.label !== undefined) checkText(window.label, `${field}.label`, "Libellé de la période d'inscription");
  });
}

function checkAbsencePolicy(policy: AbsencePolicy): void {
  const fail = (field: string, what: string) =>
    invalid('INVALID_ABSENCE_POLICY', `Règle d'absence invalide : ${what}.`, `absencePolicy.${field}`);
  const integerIn = (value: unknown, min: number, max: number) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
  if (!integerIn(policy.certificateWithinHours, 0, CERTIFICATE_MAX_HOURS)) {
    throw fail('certificateWithinHours', `le délai du certificat est un nombre d'heures de 0 à ${CERTIFICATE_MAX_HOURS}`);
  }
  if (!integerIn(policy.maxExcusedDaysPerCertificate, 1, MAX_EXCUSED_DAYS_PER_CERTIFICATE)) {
    throw fail('maxExcusedDaysPerCertificate', `un certificat excuse de 1 à ${MAX_EXCUSED_DAYS_PER_CERTIFICATE} jours`);
  }
  if (!isLocalTime(policy.reportBy)) throw fail('reportBy', "l'heure limite de signalement est au format HH:mm");
  const penalty = policy.penalty;
  switch (penalty.kind) {
    case 'flat':
      if (!integerIn(penalty.cents, 0, PENALTY_MAX_CENTS)) {
        throw fail('penalty.cents', `la pénalité forfaitaire est un montant en centimes de 0 à ${PENALTY_MAX_CENTS}`);
      }
      return;
    case 'percent':
      if (typeof penalty.percent !== 'number' || !Number.isFinite(penalty.percent) || penalty.percent < 0 || penalty.percent > 100) {
        throw fail('penalty.percent', 'le pourcentage du prix est compris entre 0 et 100');
      }
      return;
    default:
      return assertNever(penalty);
  }
}

// ---------------------------------------------------------------------------------------------------
// Closure
// ---------------------------------------------------------------------------------------------------

/** A closure's own fields: real dates in order, a year at most, a reason to show to parents. */
export function checkClosurePeriod(from: LocalDate, to: LocalDate, reason: string): void {
  checkPeriod(from, to, 'closure');
  if (daysBetween(from, to) + 1 > CLOSURE_MAX_DAYS) {
    throw invalid('PERIOD_TOO_LONG', `Une fermeture couvre ${CLOSURE_MAX_DAYS} jours au plus.`, 'closure');
  }
  checkText(reason, 'reason', 'Motif de la fermeture', CLOSURE_REASON_MAX_LENGTH);
}

function checkRegieId(regieId: string): void {
  if (typeof regieId !== 'string' || !REGIE_ID_PATTERN.test(regieId.trim())) {
    throw invalid('INVALID_REGIE', 'Régie invalide : indiquez son identifiant (lettres, chiffres, - et _).', 'regieId');
  }
}
