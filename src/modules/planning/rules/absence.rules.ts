/**
 * Whether each day of a declared absence is excused (not billed) or billed (the activity's penalty).
 *
 * DOMAIN.md: "a medical certificate within 72 h (at most 10 days) makes an absence excused; an absence
 * not reported by 09:00 the same day is billed (flat penalty, e.g. 3.75 €, or a percentage of the
 * price)". Precise interpretation, for each absent day D (the days are those of one declaration):
 *
 * 1. CERTIFICATE — excused when a medical certificate was provided no later than
 *    `certificateWithinHours` (72) hours after the START of the FIRST absent day (00:00 Paris; exactly
 *    72 h is still in time), and D lies within `maxExcusedDaysPerCertificate` (10) CALENDAR days from the
 *    first absent day (first day + 0 … + 9; a certificate covers a period, like the doctor's "arrêt de
 *    10 jours", whether or not the child was booked on each of those days). A certificate may be provided
 *    with the declaration or later (the decision is then taken again with it).
 * 2. REPORTED_IN_TIME — otherwise, excused when the absence was declared no later than `reportBy`
 *    (09:00, Paris) on D itself (09:00:00 exactly is in time; declaring on the eve or earlier is in time).
 *    Reporting in time is what the families are asked to do; the penalty is for not doing it.
 * 3. Otherwise billed, with the policy's penalty, and the reason says why: NOT_REPORTED_IN_TIME, or when
 *    a certificate was given but did not cover D, CERTIFICATE_TOO_LATE / CERTIFICATE_LIMIT_EXCEEDED.
 *
 * So a certificate in time excuses even an absence reported late (the child was ill), and a parent who
 * warns by 09:00 is not billed. How much a billed absence costs (flat cents or a percentage of the
 * day's price) is for billing: the decision carries the penalty as configured.
 */
import { DomainError } from '../../../platform/domain/domain-error';
import { addDays, instantMs, parisInstant, startOfParisDay } from '../calendar/local-date';
import { type AbsencePenalty, type AbsencePolicy, type Instant, isLocalDate, type LocalDate } from '../planning.types';
import { formatDateFr, formatInstantFr } from './format-fr';

export type MedicalCertificate = {
  /** the reference of the uploaded document */
  reference: string;
  /** when the family provided it */
  providedAt: Instant;
};

export type AbsenceInput = {
  days: readonly LocalDate[];
  /** when the parent declared the absence */
  declaredAt: Instant;
  certificate?: MedicalCertificate;
  policy: AbsencePolicy;
};

export type ExcusedReason = 'CERTIFICATE' | 'REPORTED_IN_TIME';
export type BilledReason = 'NOT_REPORTED_IN_TIME' | 'CERTIFICATE_TOO_LATE' | 'CERTIFICATE_LIMIT_EXCEEDED';

export type AbsenceDayDecision =
  | { date: LocalDate; outcome: 'excused'; reason: ExcusedReason; message: string }
  | { date: LocalDate; outcome: 'billed'; reason: BilledReason; message: string; penalty: AbsencePenalty };

/** « 3,75 € » or « 50 % du prix » */
export function formatPenaltyFr(penalty: AbsencePenalty): string {
  if (penalty.kind === 'percent') return `${String(penalty.percent).replace('.', ',')} % du prix`;
  const euros = Math.trunc(penalty.cents / 100);
  const cents = String(Math.abs(penalty.cents % 100)).padStart(2, '0');
  return `${euros},${cents} €`;
}

/** The latest instant a certificate excuses an absence starting on `firstDay`. */
export function certificateDeadline(firstDay: LocalDate, policy: AbsencePolicy): Instant {
  return new Date(instantMs(startOfParisDay(firstDay)) + policy.certificateWithinHours * 3_600_000).toISOString();
}

/** Decides, day by day, whether the absence is excused or billed (see the header). */
export function decideAbsence(input: AbsenceInput): AbsenceDayDecision[] {
  const { declaredAt, certificate, policy } = input;
  const days = [...new Set(input.days)].sort();
  if (days.length === 0) throw new DomainError('NO_ABSENCE_DAYS', "L'absence doit porter sur au moins un jour.");
  const invalid = days.find((day) => !isLocalDate(day));
  if (invalid !== undefined) throw new DomainError('INVALID_DATE', `La date « ${String(invalid)} » n'est pas valide.`);

  const firstDay = days[0];
  const certificateInTime =
    certificate !== undefined && instantMs(certificate.providedAt) <= instantMs(certificateDeadline(firstDay, policy));
  const lastCoveredDay = addDays(firstDay, policy.maxExcusedDaysPerCertificate - 1);
  const declaredMs = instantMs(declaredAt);
  const penalty = policy.penalty;

  return days.map((date): AbsenceDayDecision => {
    const day = formatDateFr(date);
    if (certificate && certificateInTime && date <= lastCoveredDay) {
      return {
        date,
        outcome: 'excused',
        reason: 'CERTIFICATE',
        message: `Absence du ${day} excusée : certificat médical ${certificate.reference} fourni le ${formatInstantFr(certificate.providedAt)}, dans les ${policy.certificateWithinHours} h.`,
      };
    }
    const reportDeadline = parisInstant(date, policy.reportBy);
    if (declaredMs <= instantMs(reportDeadline)) {
      return {
        date,
        outcome: 'excused',
        reason: 'REPORTED_IN_TIME',
        message: `Absence du ${day} signalée le ${formatInstantFr(declaredAt)}, au plus tard à ${policy.reportBy} le jour même : elle n'est pas facturée.`,
      };
    }
    const billed = `elle est facturée (pénalité : ${formatPenaltyFr(penalty)})`;
    if (certificate && !certificateInTime) {
      return {
        date,
        outcome: 'billed',
        reason: 'CERTIFICATE_TOO_LATE',
        message: `Absence du ${day} : le certificat médical ${certificate.reference} a été fourni le ${formatInstantFr(certificate.providedAt)}, plus de ${policy.certificateWithinHours} h après le début de l'absence (au plus tard le ${formatInstantFr(certificateDeadline(firstDay, policy))}), et l'absence n'a pas été signalée avant ${policy.reportBy} le jour même : ${billed}.`,
        penalty,
      };
    }
    if (certificate) {
      return {
        date,
        outcome: 'billed',
        reason: 'CERTIFICATE_LIMIT_EXCEEDED',
        message: `Absence du ${day} : un certificat médical excuse au plus ${policy.maxExcusedDaysPerCertificate} jours (jusqu'au ${formatDateFr(lastCoveredDay)}), et l'absence n'a pas été signalée avant ${policy.reportBy} le jour même : ${billed}.`,
        penalty,
      };
    }
    return {
      date,
      outcome: 'billed',
      reason: 'NOT_REPORTED_IN_TIME',
      message: `Absence du ${day} signalée le ${formatInstantFr(declaredAt)}, après ${policy.reportBy} le jour même : ${billed}.`,
      penalty,
    };
  });
}
