import type { z } from 'zod';

import type { Activity, Closure, DeadlineRule } from '../planning.types';
import type { ChangeActivity, DeclareClosure, DefineActivity, DefineFacility } from './catalog.decider';
import { ALSH_MERCREDI_CONFIG, RESTAURATION_CONFIG } from './catalog.examples';
import {
  activityConfigSchema,
  changeActivityBodySchema,
  deadlineRuleSchema,
  declareClosureBodySchema,
  defineActivityBodySchema,
  defineFacilityBodySchema,
} from './catalog.schemas';
import type { ActivityConfig } from './catalog-config.rules';

// --- compile-time: a parsed body plus what the server fills is a valid command ------------------------
type ServerFilled = 'type' | 'facilityId' | 'at' | 'actor' | 'closureId';
type Assert<T extends true> = T;
type Fits<Body, Command> = Body extends Omit<Command, ServerFilled> ? true : false;
export type SchemasMatchCommands = [
  Assert<z.output<typeof defineFacilityBodySchema> extends Omit<DefineFacility, 'type' | 'at' | 'actor'> ? true : false>,
  Assert<Fits<Omit<z.output<typeof defineActivityBodySchema>, 'activityId'>, DefineActivity['config']>>,
  Assert<Fits<z.output<typeof changeActivityBodySchema>, ChangeActivity['config']>>,
  Assert<Fits<z.output<typeof declareClosureBodySchema>, DeclareClosure>>,
  Assert<z.output<typeof activityConfigSchema> extends Omit<Activity, 'activityId' | 'facilityId'> ? true : false>,
  Assert<z.output<typeof deadlineRuleSchema> extends DeadlineRule ? true : false>,
  Assert<z.output<typeof declareClosureBodySchema>['scope'] extends Closure['scope'] ? true : false>,
];

/** The examples as a client sends them (JSON: no undefined, no shared references). */
const json = (config: ActivityConfig): Record<string, unknown> => JSON.parse(JSON.stringify(config)) as Record<string, unknown>;

describe('activity configuration schema', () => {
  it.each([
    ['ALSH Mercredi après-midi', ALSH_MERCREDI_CONFIG],
    ['Restauration scolaire', RESTAURATION_CONFIG],
  ])('accepts « %s » as it is', (_name, config) => {
    expect(activityConfigSchema.parse(json(config))).toEqual(config);
  });

  it('fills the defaults: no overrides, no windows, the default absence policy', () => {
    const { placeOverrides: _o, bookingWindows: _w, absencePolicy: _a, ...minimal } = json(RESTAURATION_CONFIG);
    expect(activityConfigSchema.parse(minimal)).toEqual(RESTAURATION_CONFIG);
  });

  it('stores booking window instants in UTC', () => {
    const parsed = activityConfigSchema.parse({
      ...json(RESTAURATION_CONFIG),
      bookingWindows: [{ category: 'resident', opensAt: '2026-08-21T07:00:00+02:00', closesAt: '2027-07-02T00:00:00+02:00' }],
    });
    expect(parsed.bookingWindows[0]).toEqual({
      category: 'resident',
      opensAt: '2026-08-21T05:00:00.000Z',
      closesAt: '2027-07-01T22:00:00.000Z',
    });
  });

  const invalid: [string, Record<string, unknown>][] = [
    ['an unknown key', { capacity: 12 }],
    ['negative places', { placesPerDay: -1 }],
    ['10 001 places', { placesPerDay: 10_001 }],
    ['an override on 29 February 2027', { placeOverrides: { '2027-02-29': 10 } }],
    ['a time of 7:00', { bookingDeadline: { kind: 'weekday-previous-week', weekday: 4, time: '7:00' } }],
    ['a weekday 0', { bookingDeadline: { kind: 'previous-weekday', weekday: 0, time: '12:00' } }],
    [
      'a J-400 rule',
      { bookingDeadline: { kind: 'days-before', days: 400, time: '12:00', skip: { weekends: true, publicHolidays: false, weekdays: [] } } },
    ],
    ['an unknown deadline kind', { bookingDeadline: { kind: 'la-veille', time: '18:00' } }],
    ['a rule with an extra key', { bookingDeadline: { kind: 'hours-before', hours: 72, time: '12:00' } }],
    ['no period', { periods: { schoolDays: false, wednesdays: false, petitesVacances: false, grandesVacances: false } }],
    [
      'a weekday given twice',
      { periods: { schoolDays: true, wednesdays: false, petitesVacances: false, grandesVacances: false, weekdays: [1, 1] } },
    ],
    [
      'a window closing before it opens',
      { bookingWindows: [{ category: '*', opensAt: '2026-08-28T05:00:00Z', closesAt: '2026-08-21T05:00:00Z' }] },
    ],
    [
      'a window of a reversed period',
      {
        bookingWindows: [
          {
            category: '*',
            opensAt: '2026-08-21T05:00:00Z',
            closesAt: '2027-07-01T22:00:00Z',
            appliesTo: { from: '2027-07-02', to: '2026-09-01' },
          },
        ],
      },
    ],
    ['a validation mode « auto »', { validation: 'auto' }],
    ['an empty name', { name: ' ' }],
  ];

  it.each(invalid)('refuses %s', (_label, change) => {
    expect(activityConfigSchema.safeParse({ ...json(ALSH_MERCREDI_CONFIG), ...change }).success).toBe(false);
  });
});

describe('command bodies', () => {
  it('defines a facility with an id fit for a stream name', () => {
    expect(defineFacilityBodySchema.parse({ facilityId: 'alsh-saint-jean', name: 'Accueil de Loisirs', commune: 'SAINT-JEAN' })).toEqual({
      facilityId: 'alsh-saint-jean',
      name: 'Accueil de Loisirs',
      commune: 'SAINT-JEAN',
    });
    expect(defineFacilityBodySchema.safeParse({ facilityId: 'alsh saint jean', name: 'A', commune: 'B' }).success).toBe(false);
  });

  it('defines an activity: its id and its configuration', () => {
    const parsed = defineActivityBodySchema.parse({ activityId: 'alsh-mercredi-pm', ...json(ALSH_MERCREDI_CONFIG) });
    expect(parsed.activityId).toBe('alsh-mercredi-pm');
  });

  it('declares a closure of the facility or of one activity', () => {
    const body = { scope: { activityId: 'alsh-mercredi-pm' }, from: '2026-09-30', to: '2026-09-30', reason: 'Journée pédagogique' };
    expect(declareClosureBodySchema.parse(body)).toEqual(body);
    expect(declareClosureBodySchema.safeParse({ ...body, scope: { facilityId: 'x', activityId: 'y' } }).success).toBe(false);
    expect(declareClosureBodySchema.safeParse({ ...body, from: '2026-10-01' }).success).toBe(false);
    expect(declareClosureBodySchema.safeParse({ ...body, reason: '' }).success).toBe(false);
  });
});
