/**
 * The draft of a monthly invoicing run, from the facts: pure, so the same facts give the same draft (ids
 * included: an invoice's id is the run's id and the family's). No framework, no I/O, no clock.
 *
 * For each family with anything billable at the régie this month, one invoice: the month's lines, and
 * regularisation lines for the months before whose facts changed after their invoice was issued (attendance
 * recorded late, an absence excused later): what the facts say now minus what was invoiced, day by day.
 */
import type { RegularisationLine } from '../account/account.events';
import type { Cents, Tariff } from '../billing.types';
import {
  billableLines,
  type BillingFacts,
  type BillingProblem,
  type DayFact,
  type FamilyBillingProfile,
  type InvoiceLine,
  qfOn,
} from '../tariffs/billable-lines';
import type { DraftInvoice, DraftPreparedData } from './invoicing-run.events';

export type FamilyFacts = {
  familyId: string;
  familyNumber: string;
  familyName: string;
  profile: FamilyBillingProfile;
  /** the days of the run's month at the régie's activities */
  days: DayFact[];
  /** earlier months already invoiced: the facts now, and the lines invoiced for them (with their regularisations) */
  earlier: { month: string; days: DayFact[]; invoiced: InvoiceLine[] }[];
};

export type DraftInput = {
  runId: string;
  regieId: string;
  month: string;
  tariffs: Tariff[];
  absencePenalties: BillingFacts['absencePenalties'];
  families: FamilyFacts[];
};

type Unit = { line: InvoiceLine; date: string; cents: Cents };

/** One unit per day (a package: one unit for the month, keyed on the package). */
function units(lines: readonly InvoiceLine[]): Map<string, Unit> {
  const map = new Map<string, Unit>();
  for (const line of lines) {
    const dates = line.kind === 'package' ? [line.dates[0]] : line.dates;
    for (const date of dates) {
      const key = [line.childId, line.activityId, line.kind === 'package' ? 'package' : date, line.kind].join('|');
      const known = map.get(key);
      const cents = line.kind === 'package' ? line.amountCents : line.unitCents * Math.sign(line.quantity || 1);
      map.set(key, { line, date, cents: (known?.cents ?? 0) + cents });
    }
  }
  return map;
}

/** What the facts say now minus what was invoiced, as signed lines grouped by child, activity, kind and price. */
export function regularisationLines(month: string, now: readonly InvoiceLine[], invoiced: readonly InvoiceLine[]): RegularisationLine[] {
  const current = units(now);
  const before = units(invoiced);
  const deltas: { line: InvoiceLine; date: string; cents: Cents }[] = [];
  for (const [key, unit] of current) {
    const old = before.get(key);
    if (!old) deltas.push(unit);
    else if (old.cents !== unit.cents) {
      deltas.push({ ...old, cents: -old.cents });
      deltas.push(unit);
    }
  }
  for (const [key, unit] of before) if (!current.has(key) && unit.cents !== 0) deltas.push({ ...unit, cents: -unit.cents });
  const grouped = new Map<string, RegularisationLine>();
  for (const d of deltas) {
    if (d.cents === 0) continue;
    const sign = d.cents > 0 ? 1 : -1;
    const unitCents = Math.abs(d.cents);
    const key = [d.line.childId, d.line.activityId, d.line.kind, unitCents, sign, d.line.label].join('|');
    const known = grouped.get(key);
    if (known) {
      known.dates.push(d.date);
      known.quantity += sign;
      known.amountCents += d.cents;
    } else {
      const { qf: _qf, siblingRank: _rank, ...rest } = d.line;
      grouped.set(key, {
        ...rest,
        label: `Régularisation ${month} : ${d.line.label}`,
        dates: [d.date],
        quantity: sign,
        unitCents,
        amountCents: d.cents,
        month,
      });
    }
  }
  return [...grouped.values()];
}

export function draftRun(input: DraftInput): Omit<DraftPreparedData, 'runId' | 'preparedAt' | 'preparedBy'> {
  const invoices: DraftInvoice[] = [];
  const problems: (BillingProblem & { familyId: string })[] = [];
  let pendingDays = 0;
  const families = [...input.families].sort((a, b) => a.familyId.localeCompare(b.familyId));
  for (const family of families) {
    const facts = { days: family.days, absencePenalties: input.absencePenalties };
    const result = billableLines(facts, input.tariffs, family.profile);
    problems.push(...result.problems.map((p) => ({ ...p, familyId: family.familyId })));
    pendingDays += result.pending.length;
    const regularisations: RegularisationLine[] = [];
    for (const earlier of family.earlier) {
      const again = billableLines({ days: earlier.days, absencePenalties: input.absencePenalties }, input.tariffs, family.profile);
      if (again.problems.length > 0) continue; // reported when that month was drafted; nothing is guessed
      regularisations.push(...regularisationLines(earlier.month, again.lines, earlier.invoiced));
    }
    if (result.lines.length === 0 && regularisations.length === 0) continue;
    const totalCents = [...result.lines, ...regularisations].reduce((sum, line) => sum + line.amountCents, 0);
    invoices.push({
      invoiceId: `${input.runId}-${family.familyId}`,
      familyId: family.familyId,
      familyNumber: family.familyNumber,
      familyName: family.familyName,
      lines: result.lines,
      regularisations,
      totalCents,
      qf: qfOn(family.profile.qfHistory, `${input.month}-31`),
    });
  }
  return {
    regieId: input.regieId,
    month: input.month,
    invoices,
    problems,
    pendingDays,
    totalCents: invoices.reduce((sum, invoice) => sum + invoice.totalCents, 0),
  };
}
