/**
 * A family's account (its ledger with the commune's régies): invoices, credit notes, payments and their
 * allocation, opening balances imported from the previous software. One stream per family,
 * `ledger-<familyId>`: money events are never edited; a correction is a credit note, a rejected cheque a
 * counter-entry. Each event's metadata says who, when and from which request (the command pipeline).
 */
import { type EventOf, eventTable } from '../../../platform/domain/event-table';
import type { Cents, PaymentMean } from '../billing.types';
import type { InvoiceLine } from '../tariffs/billable-lines';

const ACCOUNT_STREAM_PREFIX = 'ledger-';

/** `ledger-<familyId>` (identity's login accounts already use `account-<login>`, and a parent's login may be the family number). */
export function accountStream(familyId: string): string {
  return `${ACCOUNT_STREAM_PREFIX}${familyId}`;
}

export function familyIdFromAccountStream(streamId: string): string | null {
  return streamId.startsWith(ACCOUNT_STREAM_PREFIX) ? streamId.slice(ACCOUNT_STREAM_PREFIX.length) || null : null;
}

/** A line of a later invoice correcting a past month (a fact that arrived after its invoice was issued). */
export type RegularisationLine = InvoiceLine & { month: string };

/** An invoice as issued: everything the PDF and the statement show, frozen. */
export type Invoice = {
  invoiceId: string;
  /** `AL-36` */
  number: string;
  regieId: string;
  regieName: string;
  familyId: string;
  /** the month invoiced ('2015-04'); absent for an imported invoice over several months */
  month?: string;
  periodFrom: string;
  periodTo: string;
  issuedOn: string;
  dueOn: string;
  lines: InvoiceLine[];
  regularisations: RegularisationLine[];
  /** the total of this invoice's lines (what it adds to the balance) */
  totalCents: Cents;
  /** unpaid amount of the family's earlier invoices at this régie, shown separately (not part of the total) */
  previousUnpaidCents: Cents;
  /** the invoicing run that produced it, or 'import' */
  source: { kind: 'run'; runId: string } | { kind: 'import'; file: string; line: number };
};

export type Allocation = { invoiceId: string; cents: Cents };

export type InvoiceIssuedData = { invoice: Invoice };

export type CreditNoteIssuedData = {
  creditNoteId: string;
  number: string;
  invoiceId: string;
  invoiceNumber: string;
  regieId: string;
  regieName: string;
  amountCents: Cents;
  reason: string;
  issuedOn: string;
  issuedBy: string;
  /** the part of the credit note the invoice no longer needed (it was paid): a credit on the account */
  creditCents: Cents;
};

export type PaymentRecordedData = {
  paymentId: string;
  number: string;
  regieId: string;
  regieName: string;
  mean: PaymentMean;
  /** cheque: number and bank */
  reference?: { chequeNumber?: string; bank?: string; label?: string };
  receivedOn: string;
  amountCents: Cents;
  allocations: Allocation[];
  /** what no invoice needed: stays as a credit on the account, used by the next invoices */
  creditCents: Cents;
  recordedBy: string;
  source: { kind: 'desk' } | { kind: 'import'; file: string; line: number };
};

/** Credit on the account (an over-payment, a credit note) used by a newer invoice. */
export type CreditAllocatedData = { fromId: string; invoiceId: string; cents: Cents; allocatedOn: string };

/** The counter-entry of a payment (a rejected cheque): its allocations are undone, nothing is deleted. */
export type PaymentCancelledData = {
  paymentId: string;
  number: string;
  regieId: string;
  regieName: string;
  amountCents: Cents;
  /** the allocations undone (the invoices it paid are unpaid again) */
  undone: Allocation[];
  reason: string;
  cancelledOn: string;
  cancelledBy: string;
};

/** The balance carried from the previous software (positive: the family owed; negative: a credit). */
export type OpeningBalanceImportedData = {
  regieId: string;
  regieName: string;
  amountCents: Cents;
  on: string;
  file: string;
  line: number;
};

/** The PDF of an issued invoice, rendered once and kept in the file store: it never changes afterwards. */
export type InvoicePdfStoredData = { invoiceId: string; fileId: string; sha256: string; storedAt: string };

type AccountEventData = {
  InvoiceIssued: InvoiceIssuedData;
  CreditNoteIssued: CreditNoteIssuedData;
  PaymentRecorded: PaymentRecordedData;
  CreditAllocated: CreditAllocatedData;
  PaymentCancelled: PaymentCancelledData;
  OpeningBalanceImported: OpeningBalanceImportedData;
  InvoicePdfStored: InvoicePdfStoredData;
};

/** Children's first names on invoice lines and cheque references are personal data of the family. */
export const accountEvents = eventTable<AccountEventData>({
  InvoiceIssued: { version: 1, personalData: ['invoice.lines', 'invoice.regularisations'] },
  CreditNoteIssued: { version: 1, personalData: ['reason'] },
  PaymentRecorded: { version: 1, personalData: ['reference'] },
  CreditAllocated: { version: 1, personalData: [] },
  PaymentCancelled: { version: 1, personalData: ['reason'] },
  OpeningBalanceImported: { version: 1, personalData: [] },
  InvoicePdfStored: { version: 1, personalData: [] },
});

export type AccountEvent = EventOf<AccountEventData>;
