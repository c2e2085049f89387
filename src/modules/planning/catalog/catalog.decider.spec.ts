import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { Actor } from '../../../platform/domain/command-target';
import {
  activeClosures,
  type CatalogCommand,
  type CatalogCommandMeta,
  catalogDecider,
  type ChangeActivity,
  type DeclareClosure,
  type DefineActivity,
} from './catalog.decider';
import type { ActivityDefined, CatalogEvent, ClosureDeclared, FacilityDefined } from './catalog.events';
import { catalogEvents, facilityIdFromStream, facilityStream } from './catalog.events';
import { ALSH_FACILITY, ALSH_MERCREDI, ALSH_MERCREDI_CONFIG, ALSH_MERCREDI_ID, RESTAURATION_ID } from './catalog.examples';
import type { ActivityConfig } from './catalog-config.rules';

const spec = DeciderSpecification.for(catalogDecider);

const AT = '2026-06-15T08:00:00.000Z';
const SETUP_AT = '2026-06-01T08:00:00.000Z';
const staff: Actor = { userId: 'agent-enfance-01', role: 'staff' };
const FACILITY_ID = ALSH_FACILITY.facilityId;

const meta = (actor: Actor = staff): CatalogCommandMeta => ({ facilityId: FACILITY_ID, at: AT, actor });

const facilityDefined: FacilityDefined = {
  type: 'FacilityDefined',
  data: { facility: ALSH_FACILITY, definedAt: SETUP_AT, definedBy: staff.userId },
};
const alshDefined: ActivityDefined = {
  type: 'ActivityDefined',
  data: { activity: ALSH_MERCREDI, definedAt: SETUP_AT, definedBy: staff.userId },
};
const toussaintClosure: ClosureDeclared = {
  type: 'ClosureDeclared',
  data: {
    closure: {
      closureId: 'fermeture-pedagogique',
      scope: { activityId: ALSH_MERCREDI_ID },
      from: '2026-09-30',
      to: '2026-09-30',
      reason: 'Journée pédagogique',
    },
    declaredAt: SETUP_AT,
    declaredBy: staff.userId,
  },
};

const defineAlsh = (config: ActivityConfig = ALSH_MERCREDI_CONFIG, actor: Actor = staff): DefineActivity => ({
  ...meta(actor),
  type: 'DefineActivity',
  activityId: ALSH_MERCREDI_ID,
  config,
});

const changeAlsh = (config: ActivityConfig): ChangeActivity => ({
  ...meta(),
  type: 'ChangeActivity',
  activityId: ALSH_MERCREDI_ID,
  config,
});

const declareClosure = (overrides: Partial<DeclareClosure> = {}): DeclareClosure => ({
  ...meta(),
  type: 'DeclareClosure',
  closureId: 'fermeture-ete',
  scope: { facilityId: FACILITY_ID },
  from: '2027-08-02',
  to: '2027-08-22',
  reason: 'Fermeture estivale',
  ...overrides,
});

describe('catalogue streams and event types', () => {
  it('names one stream per facility', () => {
    expect(facilityStream('alsh-saint-jean')).toBe('facility-alsh-saint-jean');
    expect(facilityIdFromStream('facility-alsh-saint-jean')).toBe('alsh-saint-jean');
    expect(facilityIdFromStream('family-alsh')).toBeNull();
    expect(facilityIdFromStream('facility-')).toBeNull();
  });

  it('describes every event type, none with personal data', () => {
    expect(catalogEvents.definitions.map((t) => t.type)).toEqual([
      'FacilityDefined',
      'ActivityDefined',
      'ActivityChanged',
      'ClosureDeclared',
      'ClosureCancelled',
    ]);
    expect(catalogEvents.definitions.every((t) => t.personalData.length === 0)).toBe(true);
    // ActivityDefined / ActivityChanged are v2 since activities name their régie by id (regie-reference.spec.ts)
    expect(Object.fromEntries(catalogEvents.definitions.map((t) => [t.type, t.version]))).toMatchObject({
      ActivityDefined: 2,
      ActivityChanged: 2,
    });
  });
});

describe('who may change a catalogue', () => {
  const commands: CatalogCommand[] = [
    { ...meta(), type: 'DefineFacility', name: 'Accueil de Loisirs', commune: 'SAINT-JEAN' },
    defineAlsh(),
    changeAlsh(ALSH_MERCREDI_CONFIG),
    declareClosure(),
    { ...meta(), type: 'CancelClosure', closureId: 'fermeture-pedagogique' },
  ];

  it.each(['parent', 'auditor', 'anonymous'] as const)('refuses every command to a %s (403 FORBIDDEN_ROLE)', (role) => {
    for (const command of commands) {
      const error = spec
        .given([facilityDefined, alshDefined, toussaintClosure])
        .when({ ...command, actor: { userId: 'u-1', role } })
        .thenThrows('FORBIDDEN_ROLE', 'forbidden');
      expect(error.message).toBe('Le paramétrage des structures et des activités est réservé aux agents de la commune.');
    }
  });

  it.each(['staff', 'admin', 'system'] as const)('lets %s define a facility', (role) => {
    spec
      .given([])
      .when({ ...meta({ userId: 'u-1', role }), type: 'DefineFacility', name: 'Accueil de Loisirs', commune: 'SAINT-JEAN' })
      .then([{ type: 'FacilityDefined', data: { facility: ALSH_FACILITY, definedAt: AT, definedBy: 'u-1' } }]);
  });
});

describe('DefineFacility', () => {
  it('defines the facility (names trimmed)', () => {
    const state = spec
      .given([])
      .when({ ...meta(), type: 'DefineFacility', name: '  Accueil de Loisirs ', commune: 'SAINT-JEAN ' })
      .then([{ type: 'FacilityDefined', data: { facility: ALSH_FACILITY, definedAt: AT, definedBy: staff.userId } }]);
    expect(state.facility).toEqual(ALSH_FACILITY);
  });

  it('refuses a second definition (409 FACILITY_ALREADY_DEFINED)', () => {
    const error = spec
      .given([facilityDefined])
      .when({ ...meta(), type: 'DefineFacility', name: 'Autre nom', commune: 'SAINT-JEAN' })
      .thenThrows('FACILITY_ALREADY_DEFINED', 'conflict');
    expect(error.message).toBe('La structure « Accueil de Loisirs » existe déjà.');
  });

  it.each([
    ['an empty name', { name: '   ', commune: 'SAINT-JEAN' }],
    ['an empty commune', { name: 'Accueil de Loisirs', commune: '' }],
    ['a name of 101 characters', { name: 'A'.repeat(101), commune: 'SAINT-JEAN' }],
  ])('refuses %s (422 INVALID_NAME)', (_label, fields) => {
    spec
      .given([])
      .when({ ...meta(), type: 'DefineFacility', ...fields })
      .thenThrows('INVALID_NAME', 'invalid');
  });
});

describe('DefineActivity', () => {
  it('defines « ALSH Mercredi après-midi » with its whole configuration', () => {
    const state = spec
      .given([facilityDefined])
      .when(defineAlsh())
      .then([{ type: 'ActivityDefined', data: { activity: ALSH_MERCREDI, definedAt: AT, definedBy: staff.userId } }]);
    expect(state.activities[ALSH_MERCREDI_ID]).toEqual(ALSH_MERCREDI);
  });

  it('refuses an activity of a facility not defined yet (404 FACILITY_NOT_FOUND)', () => {
    spec.given([]).when(defineAlsh()).thenThrows('FACILITY_NOT_FOUND', 'not_found');
  });

  it('refuses an activity id already used in the facility (409 ACTIVITY_ALREADY_DEFINED)', () => {
    const error = spec
      .given([facilityDefined, alshDefined])
      .when(defineAlsh({ ...ALSH_MERCREDI_CONFIG, name: 'Autre' }))
      .thenThrows('ACTIVITY_ALREADY_DEFINED', 'conflict');
    expect(error.message).toBe("L'activité « ALSH Mercredi après-midi » existe déjà dans cette structure.");
  });

  describe('refuses an invalid configuration (422)', () => {
    const cases: [string, Partial<ActivityConfig>, string][] = [
      ['negative places', { placesPerDay: -1 }, 'INVALID_PLACES'],
      ['more than 10 000 places', { placesPerDay: 10_001 }, 'INVALID_PLACES'],
      ['a fractional number of places', { placesPerDay: 2.5 }, 'INVALID_PLACES'],
      ['a day override above 10 000', { placeOverrides: { '2026-09-09': 20_000 } }, 'INVALID_PLACES'],
      ['a day override on 30 February', { placeOverrides: { '2027-02-30': 10 } }, 'INVALID_DATE'],
      ['an empty name', { name: '  ' }, 'INVALID_NAME'],
      ['an empty régie', { regieId: '' }, 'INVALID_REGIE'],
      [
        'no period at all',
        { periods: { schoolDays: false, wednesdays: false, petitesVacances: false, grandesVacances: false } },
        'INVALID_PERIODS',
      ],
      [
        'weekend-only weekdays',
        { periods: { schoolDays: true, wednesdays: false, petitesVacances: false, grandesVacances: false, weekdays: [6, 7] } },
        'INVALID_PERIODS',
      ],
      [
        'a weekday 8',
        { periods: { schoolDays: true, wednesdays: false, petitesVacances: false, grandesVacances: false, weekdays: [1, 8 as 1] } },
        'INVALID_PERIODS',
      ],
      [
        'a J-400 deadline',
        {
          bookingDeadline: { kind: 'days-before', days: 400, time: '12:00', skip: { weekends: true, publicHolidays: false, weekdays: [] } },
        },
        'INVALID_DEADLINE_RULE',
      ],
      ['a deadline at 24:00', { bookingDeadline: { kind: 'weekday-previous-week', weekday: 4, time: '24:00' } }, 'INVALID_DEADLINE_RULE'],
      [
        'a deadline skipping every day',
        {
          bookingDeadline: {
            kind: 'days-before',
            days: 2,
            time: '12:00',
            skip: { weekends: true, publicHolidays: true, weekdays: [1, 2, 3, 4, 5] },
          },
        },
        'INVALID_DEADLINE_RULE',
      ],
      [
        'a cancellation deadline 0 weeks before',
        { cancellationDeadline: { kind: 'weekday-weeks-before', weekday: 1, weeks: 0, time: '08:00' } },
        'INVALID_DEADLINE_RULE',
      ],
      [
        'the 32nd of the previous month',
        { bookingDeadline: { kind: 'day-of-previous-month', day: 32, time: '23:59' } },
        'INVALID_DEADLINE_RULE',
      ],
      ['-1 hours before', { bookingDeadline: { kind: 'hours-before', hours: -1 } }, 'INVALID_DEADLINE_RULE'],
      [
        'a booking window closing before it opens',
        {
          bookingWindows: [{ category: 'resident', opensAt: '2026-08-28T05:00:00.000Z', closesAt: '2026-08-21T05:00:00.000Z' }],
        },
        'INVALID_BOOKING_WINDOW',
      ],
      [
        'a booking window that is not an instant',
        { bookingWindows: [{ category: '*', opensAt: '21/08/2026', closesAt: '2027-07-01T22:00:00.000Z' }] },
        'INVALID_BOOKING_WINDOW',
      ],
      [
        'a booking window governing a reversed period',
        {
          bookingWindows: [
            {
              category: '*',
              opensAt: '2026-08-21T05:00:00.000Z',
              closesAt: '2027-07-01T22:00:00.000Z',
              appliesTo: { from: '2027-07-02', to: '2026-09-01' },
            },
          ],
        },
        'REVERSED_PERIOD',
      ],
      [
        'a booking window without category',
        { bookingWindows: [{ category: ' ', opensAt: '2026-08-21T05:00:00.000Z', closesAt: '2027-07-01T22:00:00.000Z' }] },
        'INVALID_NAME',
      ],
      [
        'a certificate excusing 40 days',
        {
          absencePolicy: {
            certificateWithinHours: 72,
            maxExcusedDaysPerCertificate: 40,
            reportBy: '09:00',
            penalty: { kind: 'flat', cents: 375 },
          },
        },
        'INVALID_ABSENCE_POLICY',
      ],
      [
        'a penalty of 150 %',
        {
          absencePolicy: {
            certificateWithinHours: 72,
            maxExcusedDaysPerCertificate: 10,
            reportBy: '09:00',
            penalty: { kind: 'percent', percent: 150 },
          },
        },
        'INVALID_ABSENCE_POLICY',
      ],
      [
        'a report time of 9h',
        {
          absencePolicy: {
            certificateWithinHours: 72,
            maxExcusedDaysPerCertificate: 10,
            reportBy: '9h',
            penalty: { kind: 'flat', cents: 375 },
          },
        },
        'INVALID_ABSENCE_POLICY',
      ],
    ];

    it.each(cases)('%s', (_label, change, code) => {
      spec
        .given([facilityDefined])
        .when(defineAlsh({ ...ALSH_MERCREDI_CONFIG, ...change }))
        .thenThrows(code, 'invalid');
    });
  });

  it('names the rule that is out of range', () => {
    const error = spec
      .given([facilityDefined])
      .when(
        defineAlsh({
          ...ALSH_MERCREDI_CONFIG,
          bookingDeadline: {
            kind: 'days-before',
            days: 400,
            time: '12:00',
            skip: { weekends: false, publicHolidays: false, weekdays: [] },
          },
        }),
      )
      .thenThrows('INVALID_DEADLINE_RULE');
    expect(error.message).toBe('Règle de délai invalide : Le nombre de jours (J-n) doit être un entier entre 0 et 366.');
    expect(error.details).toEqual({ field: 'bookingDeadline' });
  });

  it('accepts the limits: 0 and 10 000 places, J-0, no cancellation deadline', () => {
    const config: ActivityConfig = {
      ...ALSH_MERCREDI_CONFIG,
      placesPerDay: 0,
      placeOverrides: { '2026-09-09': 10_000 },
      bookingDeadline: { kind: 'days-before', days: 0, time: '09:00', skip: { weekends: false, publicHolidays: false, weekdays: [] } },
      cancellationDeadline: null,
    };
    spec
      .given([facilityDefined])
      .when(defineAlsh(config))
      .then([
        {
          type: 'ActivityDefined',
          data: { activity: { ...config, activityId: ALSH_MERCREDI_ID, facilityId: FACILITY_ID }, definedAt: AT, definedBy: staff.userId },
        },
      ]);
  });
});

describe('ChangeActivity', () => {
  it('records the full new configuration: places, validation, deadlines, windows', () => {
    const config: ActivityConfig = {
      ...ALSH_MERCREDI_CONFIG,
      placesPerDay: 30,
      placeOverrides: { '2026-12-16': 12 },
      validation: 'staff',
      cancellationDeadline: { kind: 'days-before', days: 2, time: '12:00', skip: { weekends: true, publicHolidays: true, weekdays: [] } },
      bookingWindows: [],
    };
    const state = spec
      .given([facilityDefined, alshDefined])
      .when(changeAlsh(config))
      .then([
        {
          type: 'ActivityChanged',
          data: { activity: { ...config, activityId: ALSH_MERCREDI_ID, facilityId: FACILITY_ID }, changedAt: AT, changedBy: staff.userId },
        },
      ]);
    expect(state.activities[ALSH_MERCREDI_ID].placesPerDay).toBe(30);
    expect(state.activities[ALSH_MERCREDI_ID].validation).toBe('staff');
  });

  it('records nothing when the configuration is saved unchanged', () => {
    spec
      .given([facilityDefined, alshDefined])
      .when(changeAlsh({ ...ALSH_MERCREDI_CONFIG }))
      .then([]);
  });

  it('refuses an unknown activity (404 ACTIVITY_NOT_FOUND)', () => {
    spec
      .given([facilityDefined, alshDefined])
      .when({ ...changeAlsh(ALSH_MERCREDI_CONFIG), activityId: RESTAURATION_ID })
      .thenThrows('ACTIVITY_NOT_FOUND', 'not_found');
  });

  it('refuses a change in a facility not defined (404 FACILITY_NOT_FOUND)', () => {
    spec.given([]).when(changeAlsh(ALSH_MERCREDI_CONFIG)).thenThrows('FACILITY_NOT_FOUND', 'not_found');
  });

  it('refuses an invalid new configuration (422)', () => {
    spec
      .given([facilityDefined, alshDefined])
      .when(changeAlsh({ ...ALSH_MERCREDI_CONFIG, placesPerDay: -5 }))
      .thenThrows('INVALID_PLACES', 'invalid');
  });
});

describe('DeclareClosure', () => {
  it('closes the whole facility for the summer', () => {
    const state = spec
      .given([facilityDefined, alshDefined])
      .when(declareClosure())
      .then([
        {
          type: 'ClosureDeclared',
          data: {
            closure: {
              closureId: 'fermeture-ete',
              scope: { facilityId: FACILITY_ID },
              from: '2027-08-02',
              to: '2027-08-22',
              reason: 'Fermeture estivale',
            },
            declaredAt: AT,
            declaredBy: staff.userId,
          },
        },
      ]);
    expect(activeClosures(state).map((c) => c.closureId)).toEqual(['fermeture-ete']);
  });

  it('closes one activity for a day (reason trimmed)', () => {
    spec
      .given([facilityDefined, alshDefined])
      .when(
        declareClosure({
          closureId: 'fermeture-pedagogique',
          scope: { activityId: ALSH_MERCREDI_ID },
          from: '2026-09-30',
          to: '2026-09-30',
          reason: ' Journée pédagogique ',
        }),
      )
      .then([{ ...toussaintClosure, data: { ...toussaintClosure.data, declaredAt: AT } }]);
  });

  it('refuses a closure of an activity of another facility (422 CLOSURE_SCOPE_INVALID)', () => {
    const error = spec
      .given([facilityDefined, alshDefined])
      .when(declareClosure({ scope: { activityId: RESTAURATION_ID } }))
      .thenThrows('CLOSURE_SCOPE_INVALID', 'invalid');
    expect(error.message).toBe(
      "L'activité restauration-scolaire n'appartient pas à la structure « Accueil de Loisirs » : déclarez la fermeture dans sa structure.",
    );
  });

  it('refuses a facility-wide closure of another facility (422 CLOSURE_SCOPE_INVALID)', () => {
    spec
      .given([facilityDefined])
      .when(declareClosure({ scope: { facilityId: 'periscolaire-saint-jean' } }))
      .thenThrows('CLOSURE_SCOPE_INVALID', 'invalid');
  });

  it.each([
    ['a reversed period', { from: '2027-08-22', to: '2027-08-02' }, 'REVERSED_PERIOD'],
    ['a date that does not exist', { from: '2027-02-29', to: '2027-03-01' }, 'INVALID_DATE'],
    ['more than a year', { from: '2026-09-01', to: '2027-09-02' }, 'PERIOD_TOO_LONG'],
    ['an empty reason', { reason: '  ' }, 'INVALID_NAME'],
  ])('refuses %s (422)', (_label, fields, code) => {
    spec.given([facilityDefined]).when(declareClosure(fields)).thenThrows(code, 'invalid');
  });

  it('refuses a closure id already used, even cancelled (409 CLOSURE_ALREADY_DECLARED)', () => {
    spec
      .given([
        facilityDefined,
        alshDefined,
        toussaintClosure,
        { type: 'ClosureCancelled', data: { closureId: 'fermeture-pedagogique', cancelledAt: AT, cancelledBy: staff.userId } },
      ])
      .when(declareClosure({ closureId: 'fermeture-pedagogique' }))
      .thenThrows('CLOSURE_ALREADY_DECLARED', 'conflict');
  });

  it('refuses a closure in a facility not defined (404 FACILITY_NOT_FOUND)', () => {
    spec.given([]).when(declareClosure()).thenThrows('FACILITY_NOT_FOUND', 'not_found');
  });
});

describe('CancelClosure', () => {
  const given: CatalogEvent[] = [facilityDefined, alshDefined, toussaintClosure];

  it('cancels a closure: its days run again', () => {
    const state = spec
      .given(given)
      .when({ ...meta(), type: 'CancelClosure', closureId: 'fermeture-pedagogique' })
      .then([{ type: 'ClosureCancelled', data: { closureId: 'fermeture-pedagogique', cancelledAt: AT, cancelledBy: staff.userId } }]);
    expect(activeClosures(state)).toEqual([]);
    expect(state.closures['fermeture-pedagogique'].cancelled).toBe(true);
  });

  it('refuses an unknown closure (404 CLOSURE_NOT_FOUND)', () => {
    spec
      .given(given)
      .when({ ...meta(), type: 'CancelClosure', closureId: 'inconnue' })
      .thenThrows('CLOSURE_NOT_FOUND', 'not_found');
  });

  it('refuses a closure already cancelled (409 CLOSURE_ALREADY_CANCELLED)', () => {
    spec
      .given([
        ...given,
        { type: 'ClosureCancelled', data: { closureId: 'fermeture-pedagogique', cancelledAt: AT, cancelledBy: staff.userId } },
      ])
      .when({ ...meta(), type: 'CancelClosure', closureId: 'fermeture-pedagogique' })
      .thenThrows('CLOSURE_ALREADY_CANCELLED', 'conflict');
  });

  it('refuses in a facility not defined (404 FACILITY_NOT_FOUND)', () => {
    spec
      .given([])
      .when({ ...meta(), type: 'CancelClosure', closureId: 'fermeture-pedagogique' })
      .thenThrows('FACILITY_NOT_FOUND', 'not_found');
  });
});
