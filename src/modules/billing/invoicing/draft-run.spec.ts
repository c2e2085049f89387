import type { Tariff } from '../billing.types';
import { billableLines, type DayFact, type FamilyBillingProfile } from '../tariffs/billable-lines';
import { draftRun, type FamilyFacts, regularisationLines } from './draft-run';

const tariff: Tariff = {
  tariffId: 't',
  activityId: 'alsh',
  label: 'Journée',
  usage: 'booking',
  validFrom: '2015-01-01',
  validTo: null,
  category: '*',
  periodKind: '*',
  mode: { kind: 'fixed', unit: 'day', cents: 1206 },
  siblingReductions: [],
};
const profile: FamilyBillingProfile = { category: 'resident', qfHistory: [{ from: '2000-01-01', qf: 800 }], childRanks: {} };
const day = (date: string, state: DayFact['state']): DayFact => ({
  childId: 'lucie',
  childName: 'LUCIE',
  activityId: 'alsh',
  activityName: 'ALSH',
  date,
  periodKind: 'wednesdays',
  state,
});
const family = (id: string, days: DayFact[], earlier: FamilyFacts['earlier'] = []): FamilyFacts => ({
  familyId: id,
  familyNumber: id,
  familyName: `FAMILLE ${id}`,
  profile,
  days,
  earlier,
});
const input = (families: FamilyFacts[]) => ({
  runId: 'invoicing-r-2015-04',
  regieId: 'r',
  month: '2015-04',
  tariffs: [tariff],
  absencePenalties: {},
  families,
});

describe('draft of an invoicing run', () => {
  it('one invoice per family with something billable, deterministic ids, same facts → same draft', () => {
    const families = [
      family('f2', [day('2015-04-01', 'booked')]),
      family('f1', [day('2015-04-01', 'booked'), day('2015-04-08', 'present')]),
      family('f3', [day('2015-04-01', 'absent-excused')]),
    ];
    const draft = draftRun(input(families));
    expect(draft.invoices.map((i) => [i.invoiceId, i.totalCents])).toEqual([
      ['invoicing-r-2015-04-f1', 2412],
      ['invoicing-r-2015-04-f2', 1206],
    ]);
    expect(draft.totalCents).toBe(3618);
    expect(draftRun(input([...families].reverse()))).toEqual(draft);
  });

  it('an absence excused after its month was invoiced becomes a negative regularisation line next month', () => {
    const invoiced = billableLines(
      { days: [day('2015-03-04', 'booked'), day('2015-03-11', 'booked')], absencePenalties: {} },
      [tariff],
      profile,
    ).lines;
    const now = [day('2015-03-04', 'booked'), day('2015-03-11', 'absent-excused')];
    const draft = draftRun(input([family('f1', [day('2015-04-01', 'booked')], [{ month: '2015-03', days: now, invoiced }])]));
    expect(draft.invoices[0].regularisations).toEqual([
      expect.objectContaining({ month: '2015-03', quantity: -1, unitCents: 1206, amountCents: -1206, dates: ['2015-03-11'] }),
    ]);
    expect(draft.invoices[0].totalCents).toBe(0);
  });

  it('attendance recorded late adds a positive regularisation; nothing changed → no line', () => {
    const lines = billableLines({ days: [day('2015-03-04', 'booked')], absencePenalties: {} }, [tariff], profile).lines;
    const now = billableLines(
      { days: [day('2015-03-04', 'booked'), day('2015-03-11', 'present')], absencePenalties: {} },
      [tariff],
      profile,
    ).lines;
    expect(regularisationLines('2015-03', now, lines)).toEqual([
      expect.objectContaining({ quantity: 1, amountCents: 1206, dates: ['2015-03-11'] }),
    ]);
    expect(regularisationLines('2015-03', lines, lines)).toEqual([]);
  });

  it('reports the days without a tariff, with the family', () => {
    const draft = draftRun({ ...input([family('f1', [day('2015-04-01', 'booked')])]), tariffs: [] });
    expect(draft.problems).toEqual([expect.objectContaining({ code: 'NO_TARIFF', familyId: 'f1' })]);
    expect(draft.invoices).toEqual([]);
  });
});
