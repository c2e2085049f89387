import type { ProjectedEvent } from '../../src/platform/projections/projection';
import { projectAll } from '../../test/support/projection-harness';
import { invoicesProjection } from './invoices.projection';

const at = '2015-04-08T10:00:00.000Z';
const event = (type: string, data: Record<string, unknown>, position: number): ProjectedEvent => ({
  type,
  data,
  metadata: { eventId: `e${position}`, correlationId: 'c', causationId: 'c', userId: 'agent', role: 'staff', recordedAt: at },
  streamId: 'ledger-f1',
  revision: position - 1,
  position,
  recordedAt: at,
});
const invoice = {
  invoiceId: 'inv-1',
  number: 'AL-36',
  regieId: 'r',
  regieName: 'Régie',
  familyId: 'f1',
  month: '2015-04',
  periodFrom: '2015-04-01',
  periodTo: '2015-04-30',
  issuedOn: '2015-05-02',
  dueOn: '2015-05-17',
  lines: [],
  regularisations: [],
  totalCents: 12060,
  previousUnpaidCents: 0,
  source: { kind: 'run', runId: 'invoicing-r-2015-04' },
};

describe('invoices read model', () => {
  it('follows what remains to pay through payments, credit and a counter-entry', () => {
    const events = [
      event('InvoiceIssued', { invoice }, 1),
      event('PaymentRecorded', { paymentId: 'p1', allocations: [{ invoiceId: 'inv-1', cents: 6000 }] }, 2),
      event('CreditAllocated', { fromId: 'p0', invoiceId: 'inv-1', cents: 60, allocatedOn: '2015-05-02' }, 3),
    ];
    const partly = projectAll(invoicesProjection, events).get('inv-1')!;
    expect([partly.paidCents, partly.remainingCents, partly.status, partly.runId, partly.monthKey]).toEqual([
      6060,
      6000,
      'unpaid',
      'invoicing-r-2015-04',
      '2015-04',
    ]);
    const paid = projectAll(invoicesProjection, [
      ...events,
      event('PaymentRecorded', { paymentId: 'p2', allocations: [{ invoiceId: 'inv-1', cents: 6000 }] }, 4),
    ]).get('inv-1')!;
    expect(paid.status).toBe('paid');
    const rejected = projectAll(invoicesProjection, [
      ...events,
      event('PaymentCancelled', { paymentId: 'p1', undone: [{ invoiceId: 'inv-1', cents: 6000 }] }, 4),
    ]).get('inv-1')!;
    expect(rejected.remainingCents).toBe(12000);
  });
});
