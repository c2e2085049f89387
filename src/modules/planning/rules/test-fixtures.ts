/**
 * Activities of a typical commune, used by the planning tests (and handy as demo data): the values are
 * the rules of DOMAIN.md.
 */
import { type Activity, type DaysBeforeDeadline, DEFAULT_ABSENCE_POLICY } from '../planning.types';

export const NO_SKIP: DaysBeforeDeadline['skip'] = { weekends: false, publicHolidays: false, weekdays: [] };

const base: Omit<Activity, 'activityId' | 'name' | 'periods' | 'bookingDeadline'> = {
  facilityId: 'alsh-saint-jean',
  regieId: 'regie-garderie-alsh',
  placesPerDay: 40,
  placeOverrides: {},
  validation: 'automatic',
  cancellationDeadline: null,
  bookingWindows: [],
  absencePolicy: DEFAULT_ABSENCE_POLICY,
};

/** Wednesday leisure centre: by Thursday 12:00 of the previous week. */
export const alshMercredi: Activity = {
  ...base,
  activityId: 'alsh-mercredi-pm',
  name: 'ALSH Mercredi après-midi',
  periods: { schoolDays: false, wednesdays: true, petitesVacances: false, grandesVacances: false },
  bookingDeadline: { kind: 'weekday-previous-week', weekday: 4, time: '12:00' },
  cancellationDeadline: { kind: 'weekday-previous-week', weekday: 4, time: '12:00' },
};

/** Canteen: by Tuesday 23:59 for the following week; no canteen on Wednesdays. */
export const restauration: Activity = {
  ...base,
  facilityId: 'ecole-jules-ferry',
  activityId: 'restauration-scolaire',
  name: 'Restauration scolaire',
  regieId: 'regie-restauration',
  periods: { schoolDays: true, wednesdays: false, petitesVacances: false, grandesVacances: false, weekdays: [1, 2, 4, 5] },
  bookingDeadline: { kind: 'weekday-previous-week', weekday: 2, time: '23:59' },
};

/** Morning garderie: the day before 18:00; cancellable until the day starts. */
export const garderieMatin: Activity = {
  ...base,
  facilityId: 'ecole-jules-ferry',
  activityId: 'garderie-matin',
  name: 'Garderie matin',
  periods: { schoolDays: true, wednesdays: true, petitesVacances: false, grandesVacances: false },
  bookingDeadline: { kind: 'days-before', days: 1, time: '18:00', skip: NO_SKIP },
};

/** Holiday leisure centre: J-2 at 12:00, weekends not counted; residents first. */
export const alshVacances: Activity = {
  ...base,
  activityId: 'alsh-vacances',
  name: 'ALSH Vacances',
  validation: 'staff',
  periods: { schoolDays: false, wednesdays: false, petitesVacances: true, grandesVacances: true },
  bookingDeadline: { kind: 'days-before', days: 2, time: '12:00', skip: { weekends: true, publicHolidays: false, weekdays: [] } },
  cancellationDeadline: { kind: 'days-before', days: 7, time: '12:00', skip: NO_SKIP },
};
