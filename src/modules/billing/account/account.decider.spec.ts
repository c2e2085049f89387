import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { Actor } from '../../../platform/domain/command-target';
import { type AccountCommand, accountDecider, remainingOf } from './account.decider';
import type { AccountEvent, Invoice } from './account.events';

const spec = DeciderSpecification.for(accountDecider);
const staff: Actor = { userId: 'agent', role: 'staff' };
const meta = { familyId: '1001001818331', at: '2015-04-08T10:00:00.000Z', actor: staff };
const invoice = (id: string, number: string, totalCents: number, extra: Partial<Invoice> = {}): Invoice => ({
  invoiceId: id,
  number,
  regieId: 'regie-garderie-alsh',
  regieName: 'Régie garderie ALSH',
  familyId: '1001001818331',
  periodFrom: '2015-02-01',
  periodTo: '2015-03-31',
  issuedOn: '2015-04-08',
  dueOn: '2015-04-30',
  lines: [],
  regularisations: [],
  totalCents,
  previousUnpaidCents: 0,
  source: { kind: 'run', runId: 'run' },
  ...extra,
});
const issued = (i: Invoice): AccountEvent => ({ type: 'InvoiceIssued', data: { invoice: i } });
const al12 = invoice('inv-al-12', 'AL-12', 24320);
const al36 = invoice('inv-al-36', 'AL-36', 12060, { periodFrom: '2015-04-01', periodTo: '2015-04-30', month: '2015-04' });
const cheque = (amountCents: number, extra: Partial<Extract<AccountCommand, { type: 'RecordPayment' }>> = {}): AccountCommand => ({
  ...meta,
  type: 'RecordPayment',
  paymentId: 'pay-228',
  number: 'AL-228',
  regieId: 'regie-garderie-alsh',
  regieName: 'Régie garderie ALSH',
  mean: 'cheque',
  reference: { chequeNumber: '0001234', bank: 'Banque Postale' },
  receivedOn: '2015-04-08',
  amountCents,
  source: { kind: 'desk' },
  ...extra,
});
const recorded = (amountCents: number, allocations: { invoiceId: string; cents: number }[], creditCents: number): AccountEvent => ({
  type: 'PaymentRecorded',
  data: {
    paymentId: 'pay-228',
    number: 'AL-228',
    regieId: 'regie-garderie-alsh',
    regieName: 'Régie garderie ALSH',
    mean: 'cheque',
    reference: { chequeNumber: '0001234', bank: 'Banque Postale' },
    receivedOn: '2015-04-08',
    amountCents,
    allocations,
    creditCents,
    recordedBy: 'agent',
    source: { kind: 'desk' },
  },
});

describe('account decider (the tutorial 2014-2015 example and the payment rules)', () => {
  it('posts an invoice with the unpaid amount of earlier invoices shown apart; the same invoice again writes nothing', () => {
    spec
      .given([])
      .when({ ...meta, type: 'PostInvoice', invoice: al12 })
      .then([issued(al12)]);
    spec
      .given([issued(al12)])
      .when({ ...meta, type: 'PostInvoice', invoice: al36 })
      .then([issued({ ...al36, previousUnpaidCents: 24320 })]);
    spec
      .given([issued(al12)])
      .when({ ...meta, type: 'PostInvoice', invoice: al12 })
      .then([]);
    spec
      .given([issued(al12)])
      .when({ ...meta, type: 'PostInvoice', invoice: { ...al36, number: 'AL-12' } })
      .thenThrows('DUPLICATE_NUMBER');
  });

  it('allocates a cheque to the oldest unpaid invoice first: AL-228 pays AL-12, AL-36 stays unpaid', () => {
    const state = spec
      .given([issued(al12), issued(al36)])
      .when(cheque(24320))
      .then([recorded(24320, [{ invoiceId: 'inv-al-12', cents: 24320 }], 0)]);
    expect(remainingOf(state.items['inv-al-12'])).toBe(0);
    expect(remainingOf(state.items['inv-al-36'])).toBe(12060);
  });

  it('allocates to the invoices staff choose', () => {
    spec
      .given([issued(al12), issued(al36)])
      .when(cheque(12060, { allocateTo: ['inv-al-36'] }))
      .then([recorded(12060, [{ invoiceId: 'inv-al-36', cents: 12060 }], 0)]);
  });

  it('keeps an over-payment as a credit, used by the next invoice of the régie', () => {
    const over = recorded(30000, [{ invoiceId: 'inv-al-12', cents: 24320 }], 5680);
    spec
      .given([issued(al12)])
      .when(cheque(30000))
      .then([over]);
    spec
      .given([issued(al12), over])
      .when({ ...meta, type: 'PostInvoice', invoice: al36 })
      .then([
        issued(al36),
        { type: 'CreditAllocated', data: { fromId: 'pay-228', invoiceId: 'inv-al-36', cents: 5680, allocatedOn: '2015-04-08' } },
      ]);
  });

  it('cancels a rejected cheque by a counter-entry: the invoice is unpaid again', () => {
    const paid = recorded(24320, [{ invoiceId: 'inv-al-12', cents: 24320 }], 0);
    const state = spec
      .given([issued(al12), paid])
      .when({ ...meta, type: 'CancelPayment', paymentId: 'pay-228', reason: 'Chèque rejeté', cancelledOn: '2015-04-20' })
      .then([
        {
          type: 'PaymentCancelled',
          data: {
            paymentId: 'pay-228',
            number: 'AL-228',
            regieId: 'regie-garderie-alsh',
            regieName: 'Régie garderie ALSH',
            amountCents: 24320,
            undone: [{ invoiceId: 'inv-al-12', cents: 24320 }],
            reason: 'Chèque rejeté',
            cancelledOn: '2015-04-20',
            cancelledBy: 'agent',
          },
        },
      ]);
    expect(remainingOf(state.items['inv-al-12'])).toBe(24320);
  });

  it('issues a credit note within what the invoice has left; a fully credited invoice cannot be paid', () => {
    const note = (amountCents: number): AccountCommand => ({
      ...meta,
      type: 'IssueCreditNote',
      creditNoteId: 'cn-1',
      number: 'AL-AV-1',
      invoiceId: 'inv-al-36',
      amountCents,
      reason: 'Erreur de pointage',
      issuedOn: '2015-04-10',
    });
    spec
      .given([issued(al36)])
      .when(note(12061))
      .thenThrows('CREDIT_NOTE_TOO_LARGE');
    const state2 = spec
      .given([issued(al36)])
      .when(note(12060))
      .then([
        {
          type: 'CreditNoteIssued',
          data: {
            creditNoteId: 'cn-1',
            number: 'AL-AV-1',
            invoiceId: 'inv-al-36',
            invoiceNumber: 'AL-36',
            regieId: 'regie-garderie-alsh',
            regieName: 'Régie garderie ALSH',
            amountCents: 12060,
            reason: 'Erreur de pointage',
            issuedOn: '2015-04-10',
            issuedBy: 'agent',
            creditCents: 0,
          },
        },
      ]);
    expect(remainingOf(state2.items['inv-al-36'])).toBe(0);
    const cancelled = accountDecider.decide(note(12060), [issued(al36)].reduce(accountDecider.evolve, accountDecider.initialState()));
    spec
      .given([issued(al36), ...(cancelled as AccountEvent[])])
      .when(cheque(1000, { allocateTo: ['inv-al-36'] }))
      .thenThrows('INVOICE_CANCELLED');
  });

  it('refuses an amount of zero, negative, fractional or above the maximum, a cheque without number, a parent', () => {
    for (const amount of [0, -5, 10.5, 10_000_001]) spec.given([]).when(cheque(amount)).thenThrows('INVALID_AMOUNT');
    spec
      .given([])
      .when(cheque(100, { reference: undefined }))
      .thenThrows('CHEQUE_NUMBER_REQUIRED');
    spec
      .given([])
      .when(cheque(100, { mean: 'card-online' }))
      .thenThrows('INVALID_PAYMENT_MEAN');
    spec
      .given([])
      .when({ ...cheque(100), actor: { userId: 'p', role: 'parent' } })
      .thenThrows('FORBIDDEN_ROLE');
  });
});
