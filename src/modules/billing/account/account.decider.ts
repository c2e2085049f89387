/**
 * A family's account: invoices posted (by an invoicing run or an import), payments recorded at the desk,
 * credit notes, cancellations by counter-entry, opening balances. Pure: numbers, dates and amounts arrive
 * in the commands.
 *
 * - a payment is allocated to the oldest unpaid invoices of its régie first, unless staff name them; what
 *   no invoice needs stays as a credit, used by the next invoice of the régie;
 * - a credit note references an invoice and never exceeds what the invoice has not been credited yet;
 * - a payment is cancelled by a counter-entry that undoes its allocations (a rejected cheque);
 * - the same invoice, payment or credit note twice (same id) changes nothing.
 */
import { type CommandMeta, STAFF_ROLES } from '../../../platform/domain/command-target';
import type { Decider } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import { type Cents, DESK_PAYMENT_MEANS, formatEuros, isCents, MAX_AMOUNT_CENTS, type PaymentMean } from '../billing.types';
import type { AccountEvent, Allocation, Invoice, PaymentRecordedData } from './account.events';

export type PostInvoice = CommandMeta & { type: 'PostInvoice'; familyId: string; invoice: Invoice };
export type RecordPayment = CommandMeta & {
  type: 'RecordPayment';
  familyId: string;
  paymentId: string;
  number: string;
  regieId: string;
  regieName: string;
  mean: PaymentMean;
  reference?: PaymentRecordedData['reference'];
  receivedOn: string;
  amountCents: Cents;
  /** the invoices staff chose, in order; absent: the oldest unpaid first */
  allocateTo?: string[];
  source: PaymentRecordedData['source'];
};
export type CancelPayment = CommandMeta & {
  type: 'CancelPayment';
  familyId: string;
  paymentId: string;
  reason: string;
  cancelledOn: string;
};
export type IssueCreditNote = CommandMeta & {
  type: 'IssueCreditNote';
  familyId: string;
  creditNoteId: string;
  number: string;
  invoiceId: string;
  amountCents: Cents;
  reason: string;
  issuedOn: string;
};
export type ImportOpeningBalance = CommandMeta & {
  type: 'ImportOpeningBalance';
  familyId: string;
  regieId: string;
  regieName: string;
  amountCents: Cents;
  on: string;
  file: string;
  line: number;
};
export type RecordInvoicePdf = CommandMeta & {
  type: 'RecordInvoicePdf';
  familyId: string;
  invoiceId: string;
  fileId: string;
  sha256: string;
};
export type AccountCommand = PostInvoice | RecordPayment | CancelPayment | IssueCreditNote | ImportOpeningBalance | RecordInvoicePdf;

/** Something the family owes: an invoice or a positive opening balance. */
export type OpenItem = {
  id: string;
  number: string;
  regieId: string;
  regieName: string;
  issuedOn: string;
  totalCents: Cents;
  paidCents: Cents;
  /** sum of the credit notes on it (bounded by its total) */
  creditedCents: Cents;
  /** the part of the credit notes that reduced what is due */
  creditAppliedCents: Cents;
};
/** A credit on the account: an over-payment, a credit note's surplus, a negative opening balance. */
export type CreditItem = { id: string; regieId: string; leftCents: Cents; on: string };
export type PaymentState = {
  number: string;
  regieId: string;
  regieName: string;
  amountCents: Cents;
  allocations: Allocation[];
  cancelled: boolean;
};

export type AccountState = {
  items: Record<string, OpenItem>;
  credits: Record<string, CreditItem>;
  payments: Record<string, PaymentState>;
  creditNotes: Record<string, { invoiceId: string; amountCents: Cents }>;
  numbers: Record<string, string>;
  /** the kept PDF of each invoice (file id) */
  pdfs: Record<string, string>;
};

export const remainingOf = (item: OpenItem): Cents => item.totalCents - item.paidCents - item.creditAppliedCents;
const isCancelled = (item: OpenItem) => item.creditedCents >= item.totalCents && item.totalCents > 0;
const byAge = (a: OpenItem, b: OpenItem) =>
  a.issuedOn !== b.issuedOn ? (a.issuedOn < b.issuedOn ? -1 : 1) : a.number.localeCompare(b.number, 'fr', { numeric: true });

/** The unpaid items of a régie, oldest first. */
export function unpaidItems(state: AccountState, regieId: string): OpenItem[] {
  return Object.values(state.items)
    .filter((i) => i.regieId === regieId && remainingOf(i) > 0)
    .sort(byAge);
}

function allocateOldestFirst(items: OpenItem[], amount: Cents): { allocations: Allocation[]; left: Cents } {
  const allocations: Allocation[] = [];
  let left = amount;
  for (const item of items) {
    if (left <= 0) break;
    const cents = Math.min(left, remainingOf(item));
    if (cents <= 0) continue;
    allocations.push({ invoiceId: item.id, cents });
    left -= cents;
  }
  return { allocations, left };
}

const refuse = (
  code: string,
  message: string,
  kind: 'invalid' | 'conflict' | 'not_found' | 'forbidden' = 'invalid',
  details?: Record<string, unknown>,
) => new DomainError(code, message, kind, details);

function checkAmount(cents: unknown, what: string): void {
  if (!isCents(cents)) {
    throw refuse('INVALID_AMOUNT', `${what} : un nombre entier de centimes, positif, au plus ${formatEuros(MAX_AMOUNT_CENTS)}.`, 'invalid');
  }
}

function evolve(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'InvoicePdfStored':
      state.pdfs[event.data.invoiceId] = event.data.fileId;
      return state;
    case 'InvoiceIssued': {
      const invoice = event.data.invoice;
      state.items[invoice.invoiceId] = {
        id: invoice.invoiceId,
        number: invoice.number,
        regieId: invoice.regieId,
        regieName: invoice.regieName,
        issuedOn: invoice.issuedOn,
        totalCents: invoice.totalCents,
        paidCents: 0,
        creditedCents: 0,
        creditAppliedCents: 0,
      };
      state.numbers[invoice.number] = invoice.invoiceId;
      return state;
    }
    case 'OpeningBalanceImported': {
      const id = `opening-${event.data.regieId}`;
      if (event.data.amountCents > 0) {
        state.items[id] = {
          id,
          number: 'Ancien solde',
          regieId: event.data.regieId,
          regieName: event.data.regieName,
          issuedOn: event.data.on,
          totalCents: event.data.amountCents,
          paidCents: 0,
          creditedCents: 0,
          creditAppliedCents: 0,
        };
      } else {
        state.credits[id] = { id, regieId: event.data.regieId, leftCents: -event.data.amountCents, on: event.data.on };
      }
      return state;
    }
    case 'PaymentRecorded': {
      const d = event.data;
      for (const a of d.allocations) if (state.items[a.invoiceId]) state.items[a.invoiceId].paidCents += a.cents;
      state.payments[d.paymentId] = {
        number: d.number,
        regieId: d.regieId,
        regieName: d.regieName,
        amountCents: d.amountCents,
        allocations: [...d.allocations],
        cancelled: false,
      };
      if (d.creditCents > 0)
        state.credits[d.paymentId] = { id: d.paymentId, regieId: d.regieId, leftCents: d.creditCents, on: d.receivedOn };
      state.numbers[d.number] = d.paymentId;
      return state;
    }
    case 'CreditAllocated': {
      const d = event.data;
      if (state.items[d.invoiceId]) state.items[d.invoiceId].paidCents += d.cents;
      const credit = state.credits[d.fromId];
      if (credit) {
        credit.leftCents -= d.cents;
        if (credit.leftCents <= 0) delete state.credits[d.fromId];
      }
      state.payments[d.fromId]?.allocations.push({ invoiceId: d.invoiceId, cents: d.cents });
      return state;
    }
    case 'PaymentCancelled': {
      const payment = state.payments[event.data.paymentId];
      if (!payment) return state;
      for (const a of payment.allocations) if (state.items[a.invoiceId]) state.items[a.invoiceId].paidCents -= a.cents;
      payment.cancelled = true;
      delete state.credits[event.data.paymentId];
      return state;
    }
    case 'CreditNoteIssued': {
      const d = event.data;
      const item = state.items[d.invoiceId];
      if (item) {
        item.creditedCents += d.amountCents;
        item.creditAppliedCents += d.amountCents - d.creditCents;
      }
      if (d.creditCents > 0)
        state.credits[d.creditNoteId] = { id: d.creditNoteId, regieId: d.regieId, leftCents: d.creditCents, on: d.issuedOn };
      state.creditNotes[d.creditNoteId] = { invoiceId: d.invoiceId, amountCents: d.amountCents };
      state.numbers[d.number] = d.creditNoteId;
      return state;
    }
  }
}

function postInvoice(command: PostInvoice, state: AccountState): AccountEvent[] {
  const invoice = command.invoice;
  if (state.items[invoice.invoiceId]) return []; // posted already (a resumed issue, a re-imported file)
  if (state.numbers[invoice.number]) {
    throw refuse('DUPLICATE_NUMBER', `Le numéro ${invoice.number} est déjà utilisé sur ce compte.`, 'conflict', { number: invoice.number });
  }
  if (!Number.isInteger(invoice.totalCents) || Math.abs(invoice.totalCents) > MAX_AMOUNT_CENTS) {
    throw refuse('INVALID_AMOUNT', 'Montant de facture invalide.');
  }
  const fromRun = invoice.source.kind === 'run';
  const previousUnpaidCents = fromRun
    ? unpaidItems(state, invoice.regieId).reduce((sum, item) => sum + remainingOf(item), 0)
    : invoice.previousUnpaidCents;
  const events: AccountEvent[] = [{ type: 'InvoiceIssued', data: { invoice: { ...invoice, previousUnpaidCents } } }];
  if (!fromRun || invoice.totalCents <= 0) return events;
  // a credit on the account pays the new invoice, oldest credit first
  let due = invoice.totalCents;
  const credits = Object.values(state.credits)
    .filter((c) => c.regieId === invoice.regieId && c.leftCents > 0)
    .sort((a, b) => (a.on !== b.on ? (a.on < b.on ? -1 : 1) : a.id.localeCompare(b.id)));
  for (const credit of credits) {
    if (due <= 0) break;
    const cents = Math.min(due, credit.leftCents);
    events.push({
      type: 'CreditAllocated',
      data: { fromId: credit.id, invoiceId: invoice.invoiceId, cents, allocatedOn: invoice.issuedOn },
    });
    due -= cents;
  }
  return events;
}

function recordPayment(command: RecordPayment, state: AccountState): AccountEvent[] {
  const known = state.payments[command.paymentId];
  if (known) {
    if (known.amountCents === command.amountCents) return [];
    throw refuse('PAYMENT_EXISTS', 'Ce règlement est déjà enregistré avec un autre montant.', 'conflict');
  }
  checkAmount(command.amountCents, 'Montant du règlement');
  if (command.source.kind === 'desk' && !(DESK_PAYMENT_MEANS as readonly string[]).includes(command.mean)) {
    throw refuse('INVALID_PAYMENT_MEAN', `Moyen de paiement au guichet : ${DESK_PAYMENT_MEANS.join(', ')}.`);
  }
  if (command.mean === 'cheque' && command.source.kind === 'desk' && !command.reference?.chequeNumber) {
    throw refuse('CHEQUE_NUMBER_REQUIRED', 'Indiquez le numéro du chèque et sa banque.');
  }
  if (state.numbers[command.number]) {
    throw refuse('DUPLICATE_NUMBER', `Le numéro ${command.number} est déjà utilisé sur ce compte.`, 'conflict', { number: command.number });
  }
  let targets: OpenItem[];
  if (command.allocateTo && command.allocateTo.length > 0) {
    targets = command.allocateTo.map((id) => {
      const item = state.items[id];
      if (!item) throw refuse('INVOICE_NOT_FOUND', 'Facture introuvable sur ce compte.', 'not_found', { invoiceId: id });
      if (item.regieId !== command.regieId) {
        throw refuse('WRONG_REGIE', `La facture ${item.number} relève d'une autre régie.`, 'invalid', { invoiceId: id });
      }
      if (isCancelled(item)) {
        throw refuse(
          'INVOICE_CANCELLED',
          `La facture ${item.number} est annulée par un avoir : elle ne peut plus être réglée.`,
          'conflict',
          {
            invoiceId: id,
          },
        );
      }
      return item;
    });
  } else {
    targets = unpaidItems(state, command.regieId);
  }
  const { allocations, left } = allocateOldestFirst(targets, command.amountCents);
  return [
    {
      type: 'PaymentRecorded',
      data: {
        paymentId: command.paymentId,
        number: command.number,
        regieId: command.regieId,
        regieName: command.regieName,
        mean: command.mean,
        ...(command.reference ? { reference: command.reference } : {}),
        receivedOn: command.receivedOn,
        amountCents: command.amountCents,
        allocations,
        creditCents: left,
        recordedBy: command.actor.userId,
        source: command.source,
      },
    },
  ];
}

function cancelPayment(command: CancelPayment, state: AccountState): AccountEvent[] {
  const payment = state.payments[command.paymentId];
  if (!payment) throw refuse('PAYMENT_NOT_FOUND', 'Règlement introuvable.', 'not_found');
  if (payment.cancelled) return [];
  if (!command.reason.trim()) throw refuse('REASON_REQUIRED', "Indiquez le motif de l'annulation (ex. « Chèque rejeté »).");
  return [
    {
      type: 'PaymentCancelled',
      data: {
        paymentId: command.paymentId,
        number: payment.number,
        regieId: payment.regieId,
        regieName: payment.regieName,
        amountCents: payment.amountCents,
        undone: payment.allocations.map((a) => ({ ...a })),
        reason: command.reason.trim(),
        cancelledOn: command.cancelledOn,
        cancelledBy: command.actor.userId,
      },
    },
  ];
}

function issueCreditNote(command: IssueCreditNote, state: AccountState): AccountEvent[] {
  const known = state.creditNotes[command.creditNoteId];
  if (known) return [];
  const item = state.items[command.invoiceId];
  if (!item || item.id.startsWith('opening-')) throw refuse('INVOICE_NOT_FOUND', 'Facture introuvable sur ce compte.', 'not_found');
  checkAmount(command.amountCents, "Montant de l'avoir");
  const creditable = item.totalCents - item.creditedCents;
  if (command.amountCents > creditable) {
    throw refuse(
      'CREDIT_NOTE_TOO_LARGE',
      `L'avoir (${formatEuros(command.amountCents)}) dépasse ce qui reste à annuler de la facture ${item.number} (${formatEuros(Math.max(0, creditable))}).`,
      'invalid',
    );
  }
  if (!command.reason.trim()) throw refuse('REASON_REQUIRED', "Indiquez le motif de l'avoir.");
  const applied = Math.min(command.amountCents, Math.max(0, remainingOf(item)));
  return [
    {
      type: 'CreditNoteIssued',
      data: {
        creditNoteId: command.creditNoteId,
        number: command.number,
        invoiceId: item.id,
        invoiceNumber: item.number,
        regieId: item.regieId,
        regieName: item.regieName,
        amountCents: command.amountCents,
        reason: command.reason.trim(),
        issuedOn: command.issuedOn,
        issuedBy: command.actor.userId,
        creditCents: command.amountCents - applied,
      },
    },
  ];
}

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: () => ({ items: {}, credits: {}, payments: {}, creditNotes: {}, numbers: {}, pdfs: {} }),
  // in place: the stream reader owns the state
  evolve,
  decide(command, state) {
    if (!STAFF_ROLES.includes(command.actor.role)) {
      throw refuse('FORBIDDEN_ROLE', 'Seuls les agents de la régie enregistrent les opérations du compte.', 'forbidden');
    }
    switch (command.type) {
      case 'PostInvoice':
        return postInvoice(command, state);
      case 'RecordPayment':
        return recordPayment(command, state);
      case 'CancelPayment':
        return cancelPayment(command, state);
      case 'IssueCreditNote':
        return issueCreditNote(command, state);
      case 'RecordInvoicePdf': {
        if (!state.items[command.invoiceId]) throw refuse('INVOICE_NOT_FOUND', 'Facture introuvable sur ce compte.', 'not_found');
        if (state.pdfs[command.invoiceId]) return []; // kept already: the first one stays
        return [
          {
            type: 'InvoicePdfStored',
            data: { invoiceId: command.invoiceId, fileId: command.fileId, sha256: command.sha256, storedAt: command.at },
          },
        ];
      }
      case 'ImportOpeningBalance': {
        const id = `opening-${command.regieId}`;
        if (state.items[id] || state.credits[id]) return [];
        if (!Number.isInteger(command.amountCents) || command.amountCents === 0 || Math.abs(command.amountCents) > MAX_AMOUNT_CENTS) {
          throw refuse('INVALID_AMOUNT', 'Ancien solde : un nombre entier de centimes, non nul.');
        }
        return [
          {
            type: 'OpeningBalanceImported',
            data: {
              regieId: command.regieId,
              regieName: command.regieName,
              amountCents: command.amountCents,
              on: command.on,
              file: command.file,
              line: command.line,
            },
          },
        ];
      }
    }
  },
};
