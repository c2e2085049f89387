/**
 * Types shared by the billing context: money, régies, tariffs, invoice lines. Pure types and small pure
 * helpers: no framework, no I/O, no clock. Money is integer cents; dates are `YYYY-MM-DD` (Europe/Paris).
 */
import type { AbsencePenalty, LocalDate } from '../planning';

export type Cents = number;

/** The largest amount of one invoice, payment or credit note: 100 000,00 €. */
export const MAX_AMOUNT_CENTS = 10_000_000;
/** The largest unit price of a tariff: 1 000,00 €. */
export const MAX_UNIT_CENTS = 100_000;

export function isCents(value: unknown, max = MAX_AMOUNT_CENTS): value is Cents {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= max;
}

/** French display of an amount: 12060 → « 120,60 € », -500 → « -5,00 € » (narrow no-break space before €). */
export function formatEuros(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${sign}${euros},${String(abs % 100).padStart(2, '0')}\u00a0€`;
}

/** `YYYY-MM` */
export type MonthId = string;
const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
export function isMonthId(value: unknown): value is MonthId {
  return typeof value === 'string' && MONTH_RE.test(value);
}

/** The first and last days of a month: '2015-04' → ['2015-04-01', '2015-04-30']. */
export function monthBounds(month: MonthId): { from: LocalDate; to: LocalDate } {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The month after: '2015-12' → '2016-01'. */
export function nextMonth(month: MonthId): MonthId {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** A date plus n days (calendar days, no time zone involved). */
export function plusDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The school year (September–August) of a date: '2015-04-08' → '2014-2015'. */
export function schoolYearOfDate(date: LocalDate): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= 9 ? `${year}-${year + 1}` : `${year - 1}-${year}`;
}

/** The first and last days of a school year: '2014-2015' → 2014-09-01 … 2015-08-31. */
export function schoolYearBounds(schoolYear: string): { from: LocalDate; to: LocalDate } | null {
  const match = /^(\d{4})-(\d{4})$/.exec(schoolYear);
  if (!match || Number(match[2]) !== Number(match[1]) + 1) return null;
  return { from: `${match[1]}-09-01`, to: `${match[2]}-08-31` };
}

/** 'YYYY-MM-DD' → 'DD/MM/YYYY', as the portal shows dates. */
export function frenchDate(date: LocalDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

// ---------------------------------------------------------------------------------------------------
// Régies
// ---------------------------------------------------------------------------------------------------

export const PAYMENT_MEANS = ['cheque', 'cash', 'transfer', 'cesu', 'card-desk', 'card-online', 'direct-debit'] as const;
export type PaymentMean = (typeof PAYMENT_MEANS)[number];
/** What staff record at the desk (online card and direct debit come with issue 11). */
export const DESK_PAYMENT_MEANS = ['cheque', 'cash', 'transfer', 'cesu', 'card-desk'] as const;
export type DeskPaymentMean = (typeof DESK_PAYMENT_MEANS)[number];

export const PAYMENT_MEAN_LABELS: Record<PaymentMean, string> = {
  cheque: 'Chèque',
  cash: 'Espèces',
  transfer: 'Virement',
  cesu: 'CESU',
  'card-desk': 'Carte bancaire (guichet)',
  'card-online': 'Carte bancaire (en ligne)',
  'direct-debit': 'Prélèvement',
};

/**
 * A billing unit (« Régie garderie ALSH »): it numbers its invoices with its prefix (AL-36). The activities it
 * bills are those whose `regieId` names it (the catalogue holds the reference, once).
 */
export type Regie = {
  regieId: string;
  name: string;
  /** invoice-number prefix: 'AL' */
  prefix: string;
  /** the communes it bills for (upper case) */
  communes: string[];
  paymentMeans: PaymentMean[];
  /** the due date is the issue date plus this many days */
  dueAfterDays: number;
  /** shown on invoices: address of the desk, opening hours */
  deskInformation?: string;
};

// ---------------------------------------------------------------------------------------------------
// Tariffs
// ---------------------------------------------------------------------------------------------------

export const PERIOD_KINDS = ['school-days', 'wednesdays', 'holidays'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export const FAMILY_CATEGORIES = ['resident', 'non-resident'] as const;
export type FamilyCategory = (typeof FAMILY_CATEGORIES)[number];
/** '*' = every category / every period kind; a tariff for the exact case wins over '*'. */
export const ANY = '*';

/** A QF band: from `minQf` (included) up to the next band's minQf. The first band starts at 0. */
export type QfBand = { minQf: number; cents: Cents };

export type TariffMode =
  /** a fixed price per day (or per unit: an hour, a meal) */
  | { kind: 'fixed'; unit: 'day' | 'unit'; cents: Cents }
  /** quotient familial bands → price; no QF known → the highest band */
  | { kind: 'qf-bands'; bands: QfBand[] }
  /** QF × rate, clamped; `rateBasisPoints` in hundredths of a percent (0.36 % → 36); no QF known → the maximum */
  | { kind: 'effort-rate'; rateBasisPoints: number; minCents: Cents; maxCents: Cents }
  /** a package (forfait) for the month, whatever the number of days */
  | { kind: 'package'; cents: Cents; label: string };

/** A reduction from the nth child of the family (2nd: 20 %, 3rd and next: 50 %). */
export type SiblingReduction = { fromRank: number; percent: number };

export const TARIFF_USAGES = ['booking', 'out-of-contract'] as const;
/** 'booking': a reserved or present day; 'out-of-contract': « Heure hors contrat » (came without a booking). */
export type TariffUsage = (typeof TARIFF_USAGES)[number];

export type Tariff = {
  tariffId: string;
  activityId: string;
  label: string;
  usage: TariffUsage;
  validFrom: LocalDate;
  /** included; null = open-ended */
  validTo: LocalDate | null;
  category: FamilyCategory | typeof ANY;
  periodKind: PeriodKind | typeof ANY;
  mode: TariffMode;
  siblingReductions: SiblingReduction[];
};

export type { AbsencePenalty };
