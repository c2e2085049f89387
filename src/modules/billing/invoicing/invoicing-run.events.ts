import { type EventOf, eventTable } from '../../../platform/domain/event-table';
import type { RegularisationLine } from '../account/account.events';
import type { Cents } from '../billing.types';
import type { BillingProblem, InvoiceLine } from '../tariffs/billable-lines';

/** One run per régie and month, `invoicing-<regieId>-<YYYY-MM>` (also the run's id and its job's id). */
export function invoicingRunId(regieId: string, month: string): string {
  return `invoicing-${regieId}-${month}`;
}

/** A family's invoice as drafted (no number yet: numbers are taken at issue). */
export type DraftInvoice = {
  invoiceId: string;
  familyId: string;
  familyNumber: string;
  familyName: string;
  lines: InvoiceLine[];
  regularisations: RegularisationLine[];
  totalCents: Cents;
  /** the QF used (the last one of the month), null when none was known */
  qf: number | null;
};

export type DraftPreparedData = {
  runId: string;
  regieId: string;
  month: string;
  invoices: DraftInvoice[];
  problems: (BillingProblem & { familyId: string })[];
  /** days not decided yet (a request waiting, an absence to verify): billed later as regularisations */
  pendingDays: number;
  totalCents: Cents;
  preparedAt: string;
  preparedBy: string;
};

export type IssueBegunData = {
  runId: string;
  issuedOn: string;
  dueOn: string;
  year: number;
  count: number;
  begunAt: string;
  begunBy: string;
};
export type RunIssuedData = { runId: string; numbers: { invoiceId: string; number: string }[]; issuedAt: string };

type InvoicingEventData = { DraftPrepared: DraftPreparedData; IssueBegun: IssueBegunData; RunIssued: RunIssuedData };

/** A draft lists families and children's first names. */
export const invoicingEvents = eventTable<InvoicingEventData>({
  DraftPrepared: { version: 1, personalData: ['invoices', 'problems'] },
  IssueBegun: { version: 1, personalData: [] },
  RunIssued: { version: 1, personalData: [] },
});

export type InvoicingEvent = EventOf<InvoicingEventData>;
