import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { Actor } from '../../../platform/domain/command-target';
import type { Tariff } from '../billing.types';
import { regieDecider, type RegieSettings } from './regie.decider';
import type { RegieEvent } from './regie.events';

const spec = DeciderSpecification.for(regieDecider);
const staff: Actor = { userId: 'agent', role: 'staff' };
const at = '2015-03-01T10:00:00.000Z';
const settings: RegieSettings = {
  name: 'Régie garderie ALSH',
  prefix: 'AL',
  communes: ['saint-jean'],
  paymentMeans: ['cheque', 'cash'],
  dueAfterDays: 22,
};
const defined: RegieEvent = {
  type: 'RegieDefined',
  data: { regie: { ...settings, communes: ['SAINT-JEAN'], regieId: 'regie-garderie-alsh' }, definedAt: at, definedBy: 'agent' },
};
const tariff: Tariff = {
  tariffId: 't1',
  activityId: 'alsh',
  label: 'Journée',
  usage: 'booking',
  validFrom: '2014-09-01',
  validTo: '2015-08-31',
  category: 'resident',
  periodKind: '*',
  mode: {
    kind: 'qf-bands',
    bands: [
      { minQf: 0, cents: 100 },
      { minQf: 600, cents: 305 },
    ],
  },
  siblingReductions: [{ fromRank: 3, percent: 50 }],
};
const tariffDefined: RegieEvent = {
  type: 'TariffDefined',
  data: { regieId: 'regie-garderie-alsh', tariff, definedAt: at, definedBy: 'agent' },
};
const base = { regieId: 'regie-garderie-alsh', at, actor: staff };

describe('régie decider', () => {
  it('defines a régie (communes in upper case); the same definition again writes nothing', () => {
    spec
      .given([])
      .when({ ...base, type: 'DefineRegie', settings })
      .then([defined]);
    spec
      .given([defined])
      .when({ ...base, type: 'DefineRegie', settings })
      .then([]);
    spec
      .given([defined])
      .when({ ...base, type: 'DefineRegie', settings: { ...settings, prefix: 'XX' } })
      .thenThrows('REGIE_EXISTS');
  });

  it('refuses a bad prefix, no commune, an unknown payment mean, a due rule out of range, a parent', () => {
    spec
      .given([])
      .when({ ...base, type: 'DefineRegie', settings: { ...settings, prefix: 'al-' } })
      .thenThrows('INVALID_PREFIX');
    spec
      .given([])
      .when({ ...base, type: 'DefineRegie', settings: { ...settings, communes: [] } })
      .thenThrows('INVALID_COMMUNES');
    spec
      .given([])
      .when({ ...base, type: 'DefineRegie', settings: { ...settings, paymentMeans: ['bitcoin' as never] } })
      .thenThrows('INVALID_PAYMENT_MEANS');
    spec
      .given([])
      .when({ ...base, type: 'DefineRegie', settings: { ...settings, dueAfterDays: 365 } })
      .thenThrows('INVALID_DUE_RULE');
    spec
      .given([])
      .when({ ...base, actor: { userId: 'p', role: 'parent' }, type: 'DefineRegie', settings })
      .thenThrows('FORBIDDEN_ROLE');
  });

  it('defines a tariff; refuses one that overlaps the same case, naming the overlap', () => {
    spec
      .given([defined])
      .when({ ...base, type: 'DefineTariff', tariff })
      .then([tariffDefined]);
    spec
      .given([defined, tariffDefined])
      .when({ ...base, type: 'DefineTariff', tariff: { ...tariff, tariffId: 't2', validFrom: '2015-06-01', validTo: null } })
      .thenThrows('TARIFF_OVERLAP');
    // another category, or after the end of the first: no overlap
    spec
      .given([defined, tariffDefined])
      .when({ ...base, type: 'DefineTariff', tariff: { ...tariff, tariffId: 't3', category: 'non-resident' } })
      .then([
        { ...tariffDefined, data: { ...tariffDefined.data, tariff: { ...tariff, tariffId: 't3', category: 'non-resident' } } },
      ] as RegieEvent[]);
  });

  it('names the overlapping tariff in its French message', () => {
    expect(() =>
      regieDecider.decide(
        { ...base, type: 'DefineTariff', tariff: { ...tariff, tariffId: 't2', validFrom: '2015-06-01', validTo: null } },
        [defined, tariffDefined].reduce(regieDecider.evolve, regieDecider.initialState()),
      ),
    ).toThrow('chevauche le tarif « Journée » (t1, du 01/09/2014 au 31/08/2015)');
  });

  it('ends a tariff so that a new one can follow', () => {
    const ended: RegieEvent = {
      type: 'TariffEnded',
      data: { regieId: 'regie-garderie-alsh', tariffId: 't1', validTo: '2015-05-31', endedAt: at, endedBy: 'agent' },
    };
    spec
      .given([defined, tariffDefined])
      .when({ ...base, type: 'EndTariff', tariffId: 't1', validTo: '2015-05-31' })
      .then([ended]);
    const next = { ...tariff, tariffId: 't2', validFrom: '2015-06-01', validTo: null };
    spec
      .given([defined, tariffDefined, ended])
      .when({ ...base, type: 'DefineTariff', tariff: next })
      .then([{ type: 'TariffDefined', data: { ...tariffDefined.data, tariff: next } }]);
  });

  it('refuses a tariff with no price for some QF, a bad effort rate, a price out of range, reversed dates', () => {
    const bad = (t: Partial<Tariff>) => ({ ...base, type: 'DefineTariff' as const, tariff: { ...tariff, ...t } });
    spec
      .given([defined])
      .when(bad({ mode: { kind: 'qf-bands', bands: [{ minQf: 600, cents: 305 }] } }))
      .thenThrows('TARIFF_QF_GAP');
    spec
      .given([defined])
      .when(bad({ mode: { kind: 'effort-rate', rateBasisPoints: 36, minCents: 500, maxCents: 260 } }))
      .thenThrows('INVALID_EFFORT_RATE');
    spec
      .given([defined])
      .when(bad({ mode: { kind: 'fixed', unit: 'day', cents: -1 } }))
      .thenThrows('INVALID_PRICE');
    spec
      .given([defined])
      .when(bad({ validTo: '2014-01-01' }))
      .thenThrows('INVALID_DATE');
    spec.given([]).when(bad({})).thenThrows('REGIE_NOT_FOUND');
  });
});
