import { projected, WorkflowSpecification } from '../../../../test/support/workflow-specification';
import { NOTIFICATION_JOB } from '../../messaging';
import type { Invoice } from '../account/account.events';
import { billingNotificationWorkflow } from './billing-notification.workflow';

const AT = '2026-12-01T06:00:00.000Z';
const invoice: Invoice = {
  invoiceId: 'I1',
  number: 'AL-36',
  regieId: 'regie-alsh',
  regieName: 'Régie garderie ALSH',
  familyId: 'F1',
  month: '2026-11',
  periodFrom: '2026-11-01',
  periodTo: '2026-11-30',
  issuedOn: '2026-12-01',
  dueOn: '2026-12-15',
  lines: [],
  regularisations: [],
  totalCents: 12060,
  previousUnpaidCents: 0,
  source: { kind: 'run', runId: 'run-1' },
};
const payment = {
  paymentId: 'P1',
  number: 'R-12',
  regieId: 'regie-alsh',
  regieName: 'Régie garderie ALSH',
  mean: 'cheque',
  receivedOn: '2026-12-05',
  amountCents: 15000,
  allocations: [{ invoiceId: 'I1', cents: 12060 }],
  creditCents: 2940,
  recordedBy: 'agent',
  source: { kind: 'desk' },
};
const on = (type: string, data: Record<string, unknown>) =>
  projected(type, data, { metadata: { familyId: 'F1' }, recordedAt: AT, streamId: 'ledger-F1' });
const outputsOf = (type: string, data: Record<string, unknown>) =>
  WorkflowSpecification.for(billingNotificationWorkflow).given(undefined).when(on(type, data)).outputs();

describe('billing notification workflow', () => {
  it('tells the family an invoice of a monthly run is issued: number, amount and due date, in French, once per invoice', () => {
    const [output] = outputsOf('InvoiceIssued', { invoice });
    expect(output).toMatchObject({
      kind: 'schedule-job',
      name: NOTIFICATION_JOB,
      id: 'invoice-issued-I1',
      runAt: AT,
      payload: { notificationId: 'invoice-issued-I1', familyId: 'F1', kind: 'invoice-issued', title: 'Nouvelle facture AL-36' },
    });
    const message = (output as unknown as { payload: { message: string } }).payload.message;
    expect(message).toBe(
      'Votre facture AL-36 (Régie garderie ALSH) du 01/11/2026 au 30/11/2026 est disponible : 120,60\u00a0€, à régler avant le 15/12/2026. Retrouvez-la dans « Mes factures ».',
    );
  });

  it('tells the family a desk payment is received, with what stays as a credit', () => {
    const [output] = outputsOf('PaymentRecorded', payment);
    expect(output).toMatchObject({ id: 'payment-received-P1', payload: { kind: 'payment-received', title: 'Paiement reçu' } });
    const message = (output as unknown as { payload: { message: string } }).payload.message;
    expect(message).toContain('paiement de 150,00\u00a0€ (chèque) le 05/12/2026 pour Régie garderie ALSH, reçu n° R-12');
    expect(message).toContain('29,40\u00a0€ restent en avoir');
  });

  it('says nothing of the history imported from the previous software', () => {
    expect(outputsOf('InvoiceIssued', { invoice: { ...invoice, source: { kind: 'import', file: 'f.csv', line: 2 } } })).toEqual([]);
    expect(outputsOf('PaymentRecorded', { ...payment, source: { kind: 'import', file: 'f.csv', line: 3 } })).toEqual([]);
  });
});
