/**
 * What a family's month costs, from the planning facts: one pure function
 * `billableLines(facts, tariffs, family) -> { lines, problems }`. No framework, no I/O, no clock.
 *
 * - a reserved or present day is billed at the activity's tariff (« booking »);
 * - a day the child came without a booking (« Heure hors contrat ») is billed at the « out-of-contract » tariff;
 * - an unjustified or late-declared absence (« Absent facturé ») is billed at the activity's absence rule:
 *   a flat penalty with its own label, or a percentage of the day's price;
 * - an excused absence, a closure, a day the family cancelled in time, a refused request are not billed;
 * - a day still undecided (a request waiting, an absence to verify) is not billed this month: it is counted
 *   as pending and, once decided, billed as a regularisation on a later invoice;
 * - a package (forfait) is billed once for the month when the child has any billable day of the activity.
 * Prices follow the family's QF valid on the day (no QF → highest band / maximum) and the child's sibling rank.
 */
import {
  type AbsencePenalty,
  ANY,
  type Cents,
  type FamilyCategory,
  type PeriodKind,
  type Tariff,
  type TariffUsage,
} from '../billing.types';
import { unitPrice, usesQf, withSiblingReduction } from './tariff-modes';

export const DAY_STATES = [
  'booked',
  'present',
  'out-of-contract',
  'absent-billed',
  'absent-excused',
  'closed',
  'cancelled',
  'refused',
  'pending',
] as const;
/** What the planning says of one child's day at one activity (the legend, reduced to what billing needs). */
export type DayState = (typeof DAY_STATES)[number];

export type DayFact = {
  childId: string;
  childName: string;
  activityId: string;
  activityName: string;
  date: string;
  periodKind: PeriodKind;
  state: DayState;
};

export type BillingFacts = {
  days: DayFact[];
  /** each activity's absence rule (from its absence policy) */
  absencePenalties: Record<string, AbsencePenalty>;
};

export type FamilyBillingProfile = {
  category: FamilyCategory;
  /** QF values with the day they apply from (a change applies from the month after it was accepted) */
  qfHistory: { from: string; qf: number }[];
  /** rank of each child among the family's children billed (1 = eldest) */
  childRanks: Record<string, number>;
};

export type LineKind = 'day' | 'out-of-contract' | 'absence' | 'package';

/** One priced line: a child, an activity, a kind, a unit price, and the days it counts. */
export type InvoiceLine = {
  childId: string;
  childName: string;
  activityId: string;
  activityName: string;
  kind: LineKind;
  label: string;
  dates: string[];
  quantity: number;
  unitCents: Cents;
  amountCents: Cents;
  tariffId?: string;
  /** the QF the price used, when the tariff depends on it (null: no QF known) */
  qf?: number | null;
  siblingRank?: number;
};

export type BillingProblem = { code: 'NO_TARIFF'; childId: string; activityId: string; date: string; message: string };

export type BillableResult = { lines: InvoiceLine[]; problems: BillingProblem[]; pending: DayFact[] };

/** The QF valid on `date`: the latest entry starting on or before it, or null. */
export function qfOn(history: readonly { from: string; qf: number }[], date: string): number | null {
  let found: { from: string; qf: number } | null = null;
  for (const entry of history) if (entry.from <= date && (!found || entry.from >= found.from)) found = entry;
  return found ? found.qf : null;
}

/** The tariff for a day: valid on it, of its usage; the exact category and period kind win over '*'. */
export function tariffFor(
  tariffs: readonly Tariff[],
  activityId: string,
  usage: TariffUsage,
  date: string,
  category: FamilyCategory,
  periodKind: PeriodKind,
): Tariff | undefined {
  let best: { tariff: Tariff; score: number } | undefined;
  for (const tariff of tariffs) {
    if (tariff.activityId !== activityId || tariff.usage !== usage) continue;
    if (tariff.validFrom > date || (tariff.validTo !== null && tariff.validTo < date)) continue;
    if (tariff.category !== ANY && tariff.category !== category) continue;
    if (tariff.periodKind !== ANY && tariff.periodKind !== periodKind) continue;
    const score = (tariff.category === ANY ? 0 : 2) + (tariff.periodKind === ANY ? 0 : 1);
    if (!best || score > best.score) best = { tariff, score };
  }
  return best?.tariff;
}

const NOT_BILLED: ReadonlySet<DayState> = new Set(['absent-excused', 'closed', 'cancelled', 'refused']);

export const ABSENCE_LABEL = 'Absence non justifiée';

export function billableLines(facts: BillingFacts, tariffs: readonly Tariff[], family: FamilyBillingProfile): BillableResult {
  const grouped = new Map<string, InvoiceLine>();
  const problems: BillingProblem[] = [];
  const pending: DayFact[] = [];
  const packages = new Set<string>();

  const add = (line: Omit<InvoiceLine, 'dates' | 'quantity' | 'amountCents'>, date: string) => {
    const key = [line.childId, line.activityId, line.kind, line.unitCents, line.tariffId ?? '', line.label].join('|');
    const existing = grouped.get(key);
    if (existing) {
      existing.dates.push(date);
      existing.quantity += 1;
      existing.amountCents += line.unitCents;
    } else {
      grouped.set(key, { ...line, dates: [date], quantity: 1, amountCents: line.unitCents });
    }
  };

  const days = [...facts.days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const day of days) {
    if (NOT_BILLED.has(day.state)) continue;
    if (day.state === 'pending') {
      pending.push(day);
      continue;
    }
    const usage: TariffUsage = day.state === 'out-of-contract' ? 'out-of-contract' : 'booking';
    const tariff = tariffFor(tariffs, day.activityId, usage, day.date, family.category, day.periodKind);
    if (!tariff) {
      problems.push({
        code: 'NO_TARIFF',
        childId: day.childId,
        activityId: day.activityId,
        date: day.date,
        message: `Aucun tarif${usage === 'out-of-contract' ? ' « Heure hors contrat »' : ''} pour « ${day.activityName} » le ${day.date}.`,
      });
      continue;
    }
    const qf = qfOn(family.qfHistory, day.date);
    const rank = family.childRanks[day.childId] ?? 1;
    const price = withSiblingReduction(unitPrice(tariff.mode, qf), tariff.siblingReductions, rank);
    const base = {
      childId: day.childId,
      childName: day.childName,
      activityId: day.activityId,
      activityName: day.activityName,
      tariffId: tariff.tariffId,
      ...(usesQf(tariff.mode) ? { qf } : {}),
      ...(tariff.siblingReductions.length > 0 ? { siblingRank: rank } : {}),
    };
    if (tariff.mode.kind === 'package') {
      const key = `${day.childId}|${day.activityId}|${tariff.tariffId}`;
      if (day.state !== 'absent-billed' && !packages.has(key)) {
        packages.add(key);
        add({ ...base, kind: 'package', label: tariff.mode.label, unitCents: price }, day.date);
      }
      continue;
    }
    if (day.state === 'absent-billed') {
      const penalty = facts.absencePenalties[day.activityId] ?? { kind: 'percent', percent: 100 };
      if (penalty.kind === 'flat') {
        if (penalty.cents > 0) add({ ...base, kind: 'absence', label: ABSENCE_LABEL, unitCents: penalty.cents, qf: undefined }, day.date);
      } else {
        const cents = Math.round((price * penalty.percent) / 100);
        if (cents > 0) add({ ...base, kind: 'absence', label: `${ABSENCE_LABEL} (${penalty.percent} %)`, unitCents: cents }, day.date);
      }
      continue;
    }
    add(
      {
        ...base,
        kind: usage === 'out-of-contract' ? 'out-of-contract' : 'day',
        label: usage === 'out-of-contract' ? 'Heure hors contrat' : tariff.label,
        unitCents: price,
      },
      day.date,
    );
  }
  const lines = [...grouped.values()].map((line) => (line.qf === undefined ? (({ qf: _q, ...rest }) => rest)(line) : line));
  lines.sort((a, b) =>
    a.childName !== b.childName
      ? a.childName < b.childName
        ? -1
        : 1
      : a.activityName !== b.activityName
        ? a.activityName < b.activityName
          ? -1
          : 1
        : a.dates[0] < b.dates[0]
          ? -1
          : a.dates[0] > b.dates[0]
            ? 1
            : 0,
  );
  return { lines, problems, pending };
}
