import { accountEvents, familyIdFromAccountStream } from '../../src/modules/billing/account/account.events';
import { frenchDate, PAYMENT_MEAN_LABELS, type PaymentMean } from '../../src/modules/billing/billing.types';
import type { ProjectionDefinition } from '../../src/platform/projections/projection';

/**
 * The account statement of a family (« Relevé de compte »): one document per family with every operation
 * of its account (invoices, payments, credit notes, counter-entries, opening balances) and what settled
 * each invoice, dated. The statement of a school year at a date is computed from it by the queries
 * (account-statement.queries.ts), so `?asOf=` needs no second read model. A family's account holds a few
 * dozen operations a year.
 */
export type StatementOperation = {
  id: string;
  kind: 'invoice' | 'payment' | 'credit-note' | 'payment-cancelled' | 'opening-balance';
  number: string;
  date: string;
  description: string;
  regieId: string;
  regieName: string;
  debitCents: number;
  creditCents: number;
};

export type StatementInvoice = {
  invoiceId: string;
  number: string;
  issuedOn: string;
  dueOn: string;
  periodFrom: string;
  periodTo: string;
  month?: string;
  regieId: string;
  regieName: string;
  totalCents: number;
  previousUnpaidCents: number;
  /** what paid or cancelled part of it, dated (a counter-entry is negative) */
  settlements: { on: string; cents: number; by: string }[];
};

export type StatementPayment = {
  paymentId: string;
  number: string;
  receivedOn: string;
  mean: PaymentMean;
  meanLabel: string;
  regieId: string;
  regieName: string;
  amountCents: number;
  allocations: { invoiceId: string; number: string; cents: number; on: string }[];
  creditCents: number;
  cancelled?: { on: string; reason: string };
};

export type AccountStatementDocument = {
  familyId: string;
  operations: StatementOperation[];
  invoices: Record<string, StatementInvoice>;
  payments: Record<string, StatementPayment>;
};

const empty = (familyId: string): AccountStatementDocument => ({ familyId, operations: [], invoices: {}, payments: {} });

export const accountStatementProjection: ProjectionDefinition<AccountStatementDocument> = {
  name: 'account-statement',
  version: 1,
  eventTypes: accountEvents.types.filter((type) => type !== 'InvoicePdfStored'),
  indexedFields: [],

  documentIds(event) {
    const familyId = familyIdFromAccountStream(event.streamId);
    return familyId ? [familyId] : [];
  },

  evolve(document, event, familyId) {
    const account = accountEvents.narrow(event);
    if (!account || account.type === 'InvoicePdfStored') return document;
    const doc: AccountStatementDocument = document
      ? { ...document, operations: [...document.operations], invoices: { ...document.invoices }, payments: { ...document.payments } }
      : empty(familyId);
    const settle = (invoiceId: string, on: string, cents: number, by: string) => {
      const invoice = doc.invoices[invoiceId];
      if (invoice) doc.invoices[invoiceId] = { ...invoice, settlements: [...invoice.settlements, { on, cents, by }] };
    };
    switch (account.type) {
      case 'InvoiceIssued': {
        const i = account.data.invoice;
        if (doc.invoices[i.invoiceId]) return document;
        doc.invoices[i.invoiceId] = {
          invoiceId: i.invoiceId,
          number: i.number,
          issuedOn: i.issuedOn,
          dueOn: i.dueOn,
          periodFrom: i.periodFrom,
          periodTo: i.periodTo,
          ...(i.month ? { month: i.month } : {}),
          regieId: i.regieId,
          regieName: i.regieName,
          totalCents: i.totalCents,
          previousUnpaidCents: i.previousUnpaidCents,
          settlements: [],
        };
        doc.operations.push({
          id: i.invoiceId,
          kind: 'invoice',
          number: i.number,
          date: i.issuedOn,
          description: `Facture : ${frenchDate(i.periodFrom)} - ${frenchDate(i.periodTo)}`,
          regieId: i.regieId,
          regieName: i.regieName,
          debitCents: Math.max(0, i.totalCents),
          creditCents: Math.max(0, -i.totalCents),
        });
        return doc;
      }
      case 'PaymentRecorded': {
        const p = account.data;
        if (doc.payments[p.paymentId]) return document;
        doc.payments[p.paymentId] = {
          paymentId: p.paymentId,
          number: p.number,
          receivedOn: p.receivedOn,
          mean: p.mean,
          meanLabel: PAYMENT_MEAN_LABELS[p.mean],
          regieId: p.regieId,
          regieName: p.regieName,
          amountCents: p.amountCents,
          allocations: p.allocations.map((a) => ({ ...a, number: doc.invoices[a.invoiceId]?.number ?? a.invoiceId, on: p.receivedOn })),
          creditCents: p.creditCents,
        };
        for (const a of p.allocations) settle(a.invoiceId, p.receivedOn, a.cents, p.paymentId);
        doc.operations.push({
          id: p.paymentId,
          kind: 'payment',
          number: p.number,
          date: p.receivedOn,
          description: `Règlement : ${PAYMENT_MEAN_LABELS[p.mean]}`,
          regieId: p.regieId,
          regieName: p.regieName,
          debitCents: 0,
          creditCents: p.amountCents,
        });
        return doc;
      }
      case 'CreditAllocated': {
        const c = account.data;
        settle(c.invoiceId, c.allocatedOn, c.cents, c.fromId);
        const payment = doc.payments[c.fromId];
        if (payment) {
          doc.payments[c.fromId] = {
            ...payment,
            allocations: [
              ...payment.allocations,
              { invoiceId: c.invoiceId, number: doc.invoices[c.invoiceId]?.number ?? c.invoiceId, cents: c.cents, on: c.allocatedOn },
            ],
            creditCents: payment.creditCents - c.cents,
          };
        }
        return doc;
      }
      case 'PaymentCancelled': {
        const c = account.data;
        for (const a of c.undone) settle(a.invoiceId, c.cancelledOn, -a.cents, c.paymentId);
        const payment = doc.payments[c.paymentId];
        if (payment) doc.payments[c.paymentId] = { ...payment, creditCents: 0, cancelled: { on: c.cancelledOn, reason: c.reason } };
        doc.operations.push({
          id: `${c.paymentId}-cancelled`,
          kind: 'payment-cancelled',
          number: c.number,
          date: c.cancelledOn,
          description: `Annulation du règlement ${c.number} : ${c.reason}`,
          regieId: c.regieId,
          regieName: c.regieName,
          debitCents: c.amountCents,
          creditCents: 0,
        });
        return doc;
      }
      case 'CreditNoteIssued': {
        const n = account.data;
        settle(n.invoiceId, n.issuedOn, n.amountCents - n.creditCents, n.creditNoteId);
        doc.operations.push({
          id: n.creditNoteId,
          kind: 'credit-note',
          number: n.number,
          date: n.issuedOn,
          description: `Avoir sur la facture ${n.invoiceNumber} : ${n.reason}`,
          regieId: n.regieId,
          regieName: n.regieName,
          debitCents: 0,
          creditCents: n.amountCents,
        });
        return doc;
      }
      case 'OpeningBalanceImported': {
        const o = account.data;
        const id = `opening-${o.regieId}`;
        if (o.amountCents > 0) {
          doc.invoices[id] = {
            invoiceId: id,
            number: 'Ancien solde',
            issuedOn: o.on,
            dueOn: o.on,
            periodFrom: o.on,
            periodTo: o.on,
            regieId: o.regieId,
            regieName: o.regieName,
            totalCents: o.amountCents,
            previousUnpaidCents: 0,
            settlements: [],
          };
        }
        doc.operations.push({
          id,
          kind: 'opening-balance',
          number: '',
          date: o.on,
          description: 'Solde repris du logiciel précédent',
          regieId: o.regieId,
          regieName: o.regieName,
          debitCents: Math.max(0, o.amountCents),
          creditCents: Math.max(0, -o.amountCents),
        });
        return doc;
      }
    }
  },
};
