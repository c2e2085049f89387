import { accountEvents, familyIdFromAccountStream, type Invoice } from '../../src/modules/billing/account/account.events';
import type { ProjectionDefinition } from '../../src/platform/projections/projection';

/**
 * Every issued invoice, one document each, with what remains to pay: what staff list (the invoices of a run
 * with totals per régie, the unpaid invoices by family and age) and what a new run compares the facts with
 * (the lines invoiced for a month, regularisations included).
 */
export type InvoiceDocument = Invoice & {
  paidCents: number;
  remainingCents: number;
  status: 'paid' | 'unpaid';
  /** the invoicing run, or 'import' */
  runId: string;
  /** the month for queries ('' for an imported invoice over several months) */
  monthKey: string;
  /** the kept PDF (file store id), once rendered */
  pdfFileId?: string;
};

export const invoicesProjection: ProjectionDefinition<InvoiceDocument> = {
  name: 'invoices',
  version: 1,
  eventTypes: ['InvoiceIssued', 'PaymentRecorded', 'CreditAllocated', 'PaymentCancelled', 'CreditNoteIssued', 'InvoicePdfStored'],
  indexedFields: ['familyId', 'regieId', 'monthKey', 'runId', 'status', 'dueOn'],

  documentIds(event) {
    const account = accountEvents.narrow(event);
    if (!account || !familyIdFromAccountStream(event.streamId)) return [];
    switch (account.type) {
      case 'InvoiceIssued':
        return [account.data.invoice.invoiceId];
      case 'PaymentRecorded':
        return account.data.allocations.map((a) => a.invoiceId);
      case 'CreditAllocated':
        return [account.data.invoiceId];
      case 'PaymentCancelled':
        return [...new Set(account.data.undone.map((a) => a.invoiceId))];
      case 'CreditNoteIssued':
      case 'InvoicePdfStored':
        return [account.data.invoiceId];
      default:
        return [];
    }
  },

  evolve(document, event, id) {
    const account = accountEvents.narrow(event);
    if (!account) return document;
    if (account.type === 'InvoiceIssued') {
      const invoice = account.data.invoice;
      return {
        ...invoice,
        paidCents: 0,
        remainingCents: invoice.totalCents,
        status: invoice.totalCents > 0 ? 'unpaid' : 'paid',
        runId: invoice.source.kind === 'run' ? invoice.source.runId : 'import',
        monthKey: invoice.month ?? '',
      };
    }
    if (!document) return document;
    if (account.type === 'InvoicePdfStored') return { ...document, pdfFileId: account.data.fileId };
    let settled = 0;
    switch (account.type) {
      case 'PaymentRecorded':
        settled = account.data.allocations.filter((a) => a.invoiceId === id).reduce((sum, a) => sum + a.cents, 0);
        break;
      case 'CreditAllocated':
        settled = account.data.cents;
        break;
      case 'PaymentCancelled':
        settled = -account.data.undone.filter((a) => a.invoiceId === id).reduce((sum, a) => sum + a.cents, 0);
        break;
      case 'CreditNoteIssued':
        settled = account.data.amountCents - account.data.creditCents;
        break;
      default:
        return document;
    }
    const paidCents = document.paidCents + settled;
    const remainingCents = document.totalCents - paidCents;
    return { ...document, paidCents, remainingCents, status: remainingCents > 0 ? 'unpaid' : 'paid' };
  },
};
