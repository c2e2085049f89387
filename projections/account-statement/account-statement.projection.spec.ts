import { type AccountCommand, accountDecider, type AccountState } from '../../src/modules/billing/account/account.decider';
import type { AccountEvent, Invoice } from '../../src/modules/billing/account/account.events';
import type { WithoutMeta } from '../../src/platform/domain/command-target';
import type { ProjectedEvent } from '../../src/platform/projections/projection';
import { projectAll } from '../../test/support/projection-harness';
import { type AccountStatementDocument, accountStatementProjection } from './account-statement.projection';
import { homeAccountOf, statementOf } from './account-statement.queries';

const FAMILY = '1001001818331';
const staff = { userId: 'agent', role: 'staff' as const };
const invoice = (id: string, number: string, totalCents: number, periodFrom: string, periodTo: string, dueOn: string): Invoice => ({
  invoiceId: id,
  number,
  regieId: 'regie-garderie-alsh',
  regieName: 'Régie garderie ALSH',
  familyId: FAMILY,
  periodFrom,
  periodTo,
  issuedOn: '2015-04-08',
  dueOn,
  lines: [],
  regularisations: [],
  totalCents,
  previousUnpaidCents: 0,
  source: { kind: 'import', file: 'historique.csv', line: 2 },
});

/** Runs commands through the account decider and projects the events, as the runner would. */
function account(commands: WithoutMeta<AccountCommand, 'familyId'>[]): AccountStatementDocument {
  let state: AccountState = accountDecider.initialState();
  const projected: ProjectedEvent[] = [];
  for (const command of commands) {
    const events = accountDecider.decide(
      { ...command, familyId: FAMILY, at: '2015-04-08T10:00:00.000Z', actor: staff } as AccountCommand,
      state,
    ) as AccountEvent[];
    for (const event of events) {
      state = accountDecider.evolve(state, event);
      projected.push({
        ...event,
        data: event.data as unknown as Record<string, unknown>,
        metadata: {
          eventId: `e${projected.length}`,
          correlationId: 'c',
          causationId: 'c',
          userId: 'agent',
          role: 'staff',
          recordedAt: '2015-04-08T10:00:00.000Z',
        },
        streamId: `ledger-${FAMILY}`,
        revision: projected.length,
        position: projected.length + 1,
        recordedAt: '2015-04-08T10:00:00.000Z',
      });
    }
  }
  return projectAll(accountStatementProjection, projected).get(FAMILY)!;
}

const tutorial = () =>
  account([
    { type: 'PostInvoice', invoice: invoice('inv-al-12', 'AL-12', 24320, '2015-02-01', '2015-03-31', '2015-04-30') },
    {
      type: 'RecordPayment',
      paymentId: 'pay-al-228',
      number: 'AL-228',
      regieId: 'regie-garderie-alsh',
      regieName: 'Régie garderie ALSH',
      mean: 'cheque',
      receivedOn: '2015-04-08',
      amountCents: 24320,
      allocateTo: ['inv-al-12'],
      source: { kind: 'import', file: 'historique.csv', line: 3 },
    },
    { type: 'PostInvoice', invoice: invoice('inv-al-36', 'AL-36', 12060, '2015-04-01', '2015-04-30', '2015-04-30') },
  ]);

describe('account statement (the tutorial « Relevé de compte », 2014-2015)', () => {
  it('shows the operations newest first with débit, crédit, previous balance, totals and balance', () => {
    const doc = projectAll(accountStatementProjection, []).get(FAMILY) ?? null;
    expect(statementOf(doc, FAMILY, '2014-2015', '2015-05-04').balance.cents).toBe(0);
    const s = statementOf(tutorial(), FAMILY, '2014-2015', '2015-05-04');
    expect(
      s.operations.map((o) => [o.number, o.date, o.description, o.regieName, o.debit?.display ?? '', o.credit?.display ?? '']),
    ).toEqual([
      ['AL-36', '2015-04-08', 'Facture : 01/04/2015 - 30/04/2015', 'Régie garderie ALSH', '120,60\u00a0€', ''],
      ['AL-228', '2015-04-08', 'Règlement : Chèque', 'Régie garderie ALSH', '', '243,20\u00a0€'],
      ['AL-12', '2015-04-08', 'Facture : 01/02/2015 - 31/03/2015', 'Régie garderie ALSH', '243,20\u00a0€', ''],
    ]);
    expect([s.previousBalance.cents, s.totalDebit.cents, s.totalCredit.cents, s.balance.cents]).toEqual([0, 36380, 24320, 12060]);
    expect(s.invoices.map((i) => [i.number, i.status, i.remaining.cents])).toEqual([
      ['AL-36', 'unpaid', 12060],
      ['AL-12', 'paid', 0],
    ]);
    expect(s.payments.map((p) => [p.number, p.meanLabel, p.amount.display, p.allocations.map((a) => a.number)])).toEqual([
      ['AL-228', 'Chèque', '243,20\u00a0€', ['AL-12']],
    ]);
  });

  it('carries the balance into the next school year as its previous balance', () => {
    const s = statementOf(tutorial(), FAMILY, '2015-2016', '2015-10-01');
    expect([s.previousBalance.cents, s.totalDebit.cents, s.balance.cents, s.operations.length]).toEqual([12060, 0, 12060, 0]);
    expect(s.schoolYears).toEqual(['2015-2016', '2014-2015']);
  });

  it('« Accueil »: the unpaid invoices at Monday 4 May 2015 (AL-36, 120.60) and the balance; nothing before 8 April', () => {
    const home = homeAccountOf(tutorial(), FAMILY, '2015-05-04');
    expect(home.unpaidInvoices.map((i) => [i.number, i.issuedOn, i.dueOn, i.remaining.cents])).toEqual([
      ['AL-36', '2015-04-08', '2015-04-30', 12060],
    ]);
    expect(home.unpaidTotal.display).toBe('120,60\u00a0€');
    expect(home.balance.cents).toBe(12060);
    expect(homeAccountOf(tutorial(), FAMILY, '2015-04-07').unpaidInvoices).toEqual([]);
  });

  it('a rejected cheque is a counter-entry: the invoice it paid is unpaid again, nothing disappears', () => {
    const doc = account([
      { type: 'PostInvoice', invoice: invoice('inv-al-12', 'AL-12', 24320, '2015-02-01', '2015-03-31', '2015-04-30') },
      {
        type: 'RecordPayment',
        paymentId: 'pay-1',
        number: 'AL-R1',
        regieId: 'regie-garderie-alsh',
        regieName: 'Régie garderie ALSH',
        mean: 'cheque',
        reference: { chequeNumber: '123', bank: 'CIC' },
        receivedOn: '2015-04-08',
        amountCents: 24320,
        source: { kind: 'desk' },
      },
      { type: 'CancelPayment', paymentId: 'pay-1', reason: 'Chèque rejeté', cancelledOn: '2015-04-08' },
    ]);
    const s = statementOf(doc, FAMILY, '2014-2015', '2015-05-04');
    expect(s.operations.map((o) => o.kind)).toEqual(['payment-cancelled', 'payment', 'invoice']);
    expect(s.balance.cents).toBe(24320);
    expect(s.invoices[0].status).toBe('unpaid');
  });
});
