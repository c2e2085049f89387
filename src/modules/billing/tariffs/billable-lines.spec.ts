import type { Tariff } from '../billing.types';
import {
  billableLines,
  type BillingFacts,
  type DayFact,
  type DayState,
  type FamilyBillingProfile,
  qfOn,
  tariffFor,
} from './billable-lines';

const day = (date: string, state: DayState, extra: Partial<DayFact> = {}): DayFact => ({
  childId: 'lucie',
  childName: 'LUCIE',
  activityId: 'alsh',
  activityName: 'ALSH Mercredi',
  date,
  periodKind: 'wednesdays',
  state,
  ...extra,
});
const tariff = (extra: Partial<Tariff> = {}): Tariff => ({
  tariffId: 't-alsh',
  activityId: 'alsh',
  label: 'Journée',
  usage: 'booking',
  validFrom: '2014-09-01',
  validTo: null,
  category: '*',
  periodKind: '*',
  mode: { kind: 'fixed', unit: 'day', cents: 1000 },
  siblingReductions: [],
  ...extra,
});
const family: FamilyBillingProfile = { category: 'resident', qfHistory: [], childRanks: { lucie: 1, paul: 2 } };
const flat: BillingFacts['absencePenalties'] = { alsh: { kind: 'flat', cents: 375 } };

/** given the facts of the month, when they are billed, then these lines (or nothing). */
function given(days: DayFact[], penalties = flat) {
  return {
    when: (tariffs: Tariff[], profile = family) => {
      const result = billableLines({ days, absencePenalties: penalties }, tariffs, profile);
      return {
        then: (expected: { kind: string; quantity: number; unitCents: number; label?: string }[]) =>
          expect(result.lines.map(({ kind, quantity, unitCents, label }) => ({ kind, quantity, unitCents, label }))).toEqual(
            expected.map((e) => expect.objectContaining(e)),
          ),
        result,
      };
    },
  };
}

describe('billableLines: what a day costs, for every legend state', () => {
  it('Réservé / Régulier and Présent: billed at the tariff, grouped as quantity × unit price', () => {
    given([day('2015-04-01', 'booked'), day('2015-04-08', 'present'), day('2015-04-15', 'booked')])
      .when([tariff()])
      .then([{ kind: 'day', quantity: 3, unitCents: 1000, label: 'Journée' }]);
  });

  it('Heure hors contrat: billed at its own tariff; none defined → a problem, nothing billed', () => {
    given([day('2015-04-01', 'out-of-contract')])
      .when([tariff(), tariff({ tariffId: 't-hc', usage: 'out-of-contract', mode: { kind: 'fixed', unit: 'unit', cents: 250 } })])
      .then([{ kind: 'out-of-contract', quantity: 1, unitCents: 250, label: 'Heure hors contrat' }]);
    const { result } = given([day('2015-04-01', 'out-of-contract')]).when([tariff()]);
    expect(result.lines).toEqual([]);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'NO_TARIFF', date: '2015-04-01' })]);
  });

  it('Absent facturé: the flat penalty with its own label, or a percentage of the day price', () => {
    given([day('2015-04-01', 'absent-billed')])
      .when([tariff()])
      .then([{ kind: 'absence', quantity: 1, unitCents: 375, label: 'Absence non justifiée' }]);
    given([day('2015-04-01', 'absent-billed')], { alsh: { kind: 'percent', percent: 50 } })
      .when([tariff()])
      .then([{ kind: 'absence', quantity: 1, unitCents: 500, label: 'Absence non justifiée (50 %)' }]);
  });

  it('Absent excusé, Fermeture, a day cancelled in time, a refused request: not billed', () => {
    for (const state of ['absent-excused', 'closed', 'cancelled', 'refused'] as const) {
      const { result } = given([day('2015-04-01', state)]).when([tariff()]);
      expect(result.lines).toEqual([]);
      expect(result.problems).toEqual([]);
    }
  });

  it('Demande en attente / Absence à vérifier: not billed yet, counted as pending', () => {
    const { result } = given([day('2015-04-01', 'pending')]).when([tariff()]);
    expect(result.lines).toEqual([]);
    expect(result.pending).toHaveLength(1);
  });

  it('QF bands follow the QF valid on each day; no QF → the highest band; the QF used is on the line', () => {
    const bands = tariff({
      mode: {
        kind: 'qf-bands',
        bands: [
          { minQf: 0, cents: 100 },
          { minQf: 600, cents: 305 },
          { minQf: 1500, cents: 315 },
        ],
      },
    });
    const { result } = given([day('2015-04-01', 'booked'), day('2015-05-06', 'booked')]).when([bands], {
      ...family,
      qfHistory: [
        { from: '2014-09-01', qf: 550 },
        { from: '2015-05-01', qf: 700 },
      ],
    });
    expect(result.lines.map((l) => [l.unitCents, l.qf])).toEqual([
      [100, 550],
      [305, 700],
    ]);
    given([day('2015-04-01', 'booked')])
      .when([bands])
      .then([{ kind: 'day', quantity: 1, unitCents: 315 }]);
  });

  it('sibling rank: the second child gets the reduction', () => {
    const t = tariff({ siblingReductions: [{ fromRank: 2, percent: 20 }] });
    given([day('2015-04-01', 'booked'), day('2015-04-01', 'booked', { childId: 'paul', childName: 'PAUL' })])
      .when([t])
      .then([
        { kind: 'day', quantity: 1, unitCents: 1000 },
        { kind: 'day', quantity: 1, unitCents: 800 },
      ]);
  });

  it('package: billed once for the month when the child has a billable day', () => {
    const pkg = tariff({ mode: { kind: 'package', cents: 4500, label: 'Forfait mensuel' } });
    given([day('2015-04-01', 'booked'), day('2015-04-08', 'present'), day('2015-04-15', 'absent-excused')])
      .when([pkg])
      .then([{ kind: 'package', quantity: 1, unitCents: 4500, label: 'Forfait mensuel' }]);
    const { result } = given([day('2015-04-15', 'absent-excused')]).when([pkg]);
    expect(result.lines).toEqual([]);
  });

  it('the exact category and period kind win over "*", and only tariffs valid on the day apply', () => {
    const tariffs = [
      tariff({ tariffId: 'any' }),
      tariff({
        tariffId: 'resident-wed',
        category: 'resident',
        periodKind: 'wednesdays',
        mode: { kind: 'fixed', unit: 'day', cents: 800 },
      }),
      tariff({ tariffId: 'old', category: 'resident', periodKind: 'wednesdays', validFrom: '2013-09-01', validTo: '2014-08-31' }),
    ];
    expect(tariffFor(tariffs, 'alsh', 'booking', '2015-04-01', 'resident', 'wednesdays')?.tariffId).toBe('resident-wed');
    expect(tariffFor(tariffs, 'alsh', 'booking', '2015-04-01', 'non-resident', 'wednesdays')?.tariffId).toBe('any');
    expect(tariffFor(tariffs, 'alsh', 'booking', '2014-04-01', 'resident', 'wednesdays')?.tariffId).toBe('old');
    expect(qfOn([{ from: '2015-05-01', qf: 1 }], '2015-04-30')).toBeNull();
  });
});
