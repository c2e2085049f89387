import { formatEuros, schoolYearBounds, schoolYearOfDate } from '../../src/modules/billing/billing.types';
import type { ReadModels } from '../../src/platform/projections/read-models';
import {
  type AccountStatementDocument,
  accountStatementProjection,
  type StatementInvoice,
  type StatementOperation,
  type StatementPayment,
} from './account-statement.projection';

export function accountStatementOf(readModels: ReadModels, familyId: string): Promise<AccountStatementDocument | null> {
  return readModels.get<AccountStatementDocument>(accountStatementProjection.name, familyId);
}

/** An amount in cents with its French display beside it. */
export type Amount = { cents: number; display: string };
const amount = (cents: number): Amount => ({ cents, display: formatEuros(cents) });

export type InvoiceAtDate = Omit<StatementInvoice, 'settlements'> & {
  total: Amount;
  paid: Amount;
  remaining: Amount;
  status: 'paid' | 'unpaid';
};

export type Statement = {
  familyId: string;
  schoolYear: string;
  asOf: string;
  /** « Mes factures » */
  invoices: InvoiceAtDate[];
  /** « Mes règlements » */
  payments: (StatementPayment & { amount: Amount })[];
  /** « Relevé des opérations », newest first as the portal shows it */
  operations: (StatementOperation & { debit: Amount | null; credit: Amount | null })[];
  previousBalance: Amount;
  totalDebit: Amount;
  totalCredit: Amount;
  balance: Amount;
  /** the school years with operations, for the year selector */
  schoolYears: string[];
};

const newestFirst = (a: { date: string; number: string }, b: { date: string; number: string }) =>
  a.date !== b.date ? (a.date < b.date ? 1 : -1) : b.number.localeCompare(a.number, 'fr', { numeric: true });

export function invoiceAt(invoice: StatementInvoice, asOf: string): InvoiceAtDate {
  const { settlements, ...rest } = invoice;
  const paid = settlements.filter((s) => s.on <= asOf).reduce((sum, s) => sum + s.cents, 0);
  const remaining = invoice.totalCents - paid;
  return {
    ...rest,
    total: amount(invoice.totalCents),
    paid: amount(paid),
    remaining: amount(remaining),
    status: remaining > 0 ? 'unpaid' : 'paid',
  };
}

/** The statement of a school year (September–August) as it stood at the end of `asOf` (pure). */
export function statementOf(doc: AccountStatementDocument | null, familyId: string, schoolYear: string, asOf: string): Statement {
  const bounds = schoolYearBounds(schoolYear)!;
  const operations = (doc?.operations ?? []).filter((o) => o.date <= asOf);
  const before = operations.filter((o) => o.date < bounds.from);
  const inYear = operations.filter((o) => o.date >= bounds.from && o.date <= bounds.to);
  const previous = before.reduce((sum, o) => sum + o.debitCents - o.creditCents, 0);
  const debit = inYear.reduce((sum, o) => sum + o.debitCents, 0);
  const credit = inYear.reduce((sum, o) => sum + o.creditCents, 0);
  const inRange = (date: string) => date >= bounds.from && date <= bounds.to && date <= asOf;
  return {
    familyId,
    schoolYear,
    asOf,
    invoices: Object.values(doc?.invoices ?? {})
      .filter((i) => inRange(i.issuedOn) && !i.invoiceId.startsWith('opening-'))
      .map((i) => invoiceAt(i, asOf))
      .sort((a, b) => newestFirst({ date: a.issuedOn, number: a.number }, { date: b.issuedOn, number: b.number })),
    payments: Object.values(doc?.payments ?? {})
      .filter((p) => inRange(p.receivedOn))
      .map((p) => ({
        ...p,
        allocations: p.allocations.filter((a) => a.on <= asOf),
        ...(p.cancelled && p.cancelled.on > asOf ? { cancelled: undefined } : {}),
        amount: amount(p.amountCents),
      }))
      .sort((a, b) => newestFirst({ date: a.receivedOn, number: a.number }, { date: b.receivedOn, number: b.number })),
    // newest first; operations of the same day in the reverse order they were recorded (as the portal lists them)
    operations: inYear
      .map((o, index) => ({ o, index }))
      .sort((a, b) => (a.o.date !== b.o.date ? (a.o.date < b.o.date ? 1 : -1) : b.index - a.index))
      .map(({ o }) => ({ ...o, debit: o.debitCents ? amount(o.debitCents) : null, credit: o.creditCents ? amount(o.creditCents) : null })),
    previousBalance: amount(previous),
    totalDebit: amount(debit),
    totalCredit: amount(credit),
    balance: amount(previous + debit - credit),
    schoolYears: [...new Set([...(doc?.operations ?? []).map((o) => schoolYearOfDate(o.date)), schoolYearOfDate(asOf)])].sort().reverse(),
  };
}

export type HomeAccount = {
  familyId: string;
  asOf: string;
  balance: Amount;
  unpaidInvoices: (InvoiceAtDate & { pdf: string })[];
  unpaidTotal: Amount;
};

/** « Accueil »: the balance and the unpaid invoices at a date, oldest first (pure). */
export function homeAccountOf(doc: AccountStatementDocument | null, familyId: string, asOf: string): HomeAccount {
  const operations = (doc?.operations ?? []).filter((o) => o.date <= asOf);
  const unpaid = Object.values(doc?.invoices ?? {})
    .filter((i) => i.issuedOn <= asOf && !i.invoiceId.startsWith('opening-'))
    .map((i) => invoiceAt(i, asOf))
    .filter((i) => i.remaining.cents > 0)
    .sort((a, b) =>
      a.issuedOn !== b.issuedOn ? (a.issuedOn < b.issuedOn ? -1 : 1) : a.number.localeCompare(b.number, 'fr', { numeric: true }),
    );
  return {
    familyId,
    asOf,
    balance: amount(operations.reduce((sum, o) => sum + o.debitCents - o.creditCents, 0)),
    unpaidInvoices: unpaid.map((i) => ({ ...i, pdf: `/families/${familyId}/invoices/${i.invoiceId}/pdf` })),
    unpaidTotal: amount(unpaid.reduce((sum, i) => sum + i.remaining.cents, 0)),
  };
}
