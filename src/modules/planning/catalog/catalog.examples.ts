/**
 * A realistic catalogue for SAINT-JEAN (the seed's commune, zone C), with the rules of DOMAIN.md. Used
 * by the tests and fit for demo data:
 * - « ALSH Mercredi après-midi » of the « Accueil de Loisirs »: Wednesdays outside the holidays, booked
 *   and cancelled by « le jeudi 12:00 de la semaine précédente »; bookings open to residents from
 *   21 August 07:00 and to non-residents from 28 August 07:00;
 * - « Restauration scolaire » of the « Périscolaire et restauration »: Mon, Tue, Thu, Fri outside the
 *   holidays, booked and cancelled by « le mardi 23:59 pour la semaine suivante », always open.
 * Both: the default absence policy (certificate within 72 h for 10 days at most, report by 09:00, else
 * 3,75 €).
 */
import { type Activity, DEFAULT_ABSENCE_POLICY, type Facility } from '../planning.types';
import type { ActivityConfig } from './catalog-config.rules';

export const EXAMPLE_COMMUNE = 'SAINT-JEAN';

export const ALSH_FACILITY: Facility = {
  facilityId: 'alsh-saint-jean',
  name: 'Accueil de Loisirs',
  commune: EXAMPLE_COMMUNE,
};

export const PERISCOLAIRE_FACILITY: Facility = {
  facilityId: 'periscolaire-saint-jean',
  name: 'Périscolaire et restauration',
  commune: EXAMPLE_COMMUNE,
};

export const ALSH_MERCREDI_ID = 'alsh-mercredi-pm';
export const RESTAURATION_ID = 'restauration-scolaire';

export const ALSH_MERCREDI_CONFIG: ActivityConfig = {
  name: 'ALSH Mercredi après-midi',
  regieId: 'regie-garderie-alsh',
  periods: { schoolDays: false, wednesdays: true, petitesVacances: false, grandesVacances: false },
  placesPerDay: 24,
  placeOverrides: {},
  validation: 'automatic',
  bookingDeadline: { kind: 'weekday-previous-week', weekday: 4, time: '12:00' },
  cancellationDeadline: { kind: 'weekday-previous-week', weekday: 4, time: '12:00' },
  bookingWindows: [
    {
      category: 'resident',
      // 21 August 2026 07:00 and 2 July 2027 00:00, Paris summer time (UTC+2)
      opensAt: '2026-08-21T05:00:00.000Z',
      closesAt: '2027-07-01T22:00:00.000Z',
      appliesTo: { from: '2026-09-01', to: '2027-07-02' },
      label: 'Mercredis 2026-2027',
    },
    {
      category: 'non-resident',
      opensAt: '2026-08-28T05:00:00.000Z',
      closesAt: '2027-07-01T22:00:00.000Z',
      appliesTo: { from: '2026-09-01', to: '2027-07-02' },
      label: 'Mercredis 2026-2027',
    },
  ],
  absencePolicy: DEFAULT_ABSENCE_POLICY,
};

export const RESTAURATION_CONFIG: ActivityConfig = {
  name: 'Restauration scolaire',
  regieId: 'regie-restauration-scolaire',
  periods: { schoolDays: true, wednesdays: false, petitesVacances: false, grandesVacances: false, weekdays: [1, 2, 4, 5] },
  placesPerDay: 180,
  placeOverrides: {},
  validation: 'automatic',
  bookingDeadline: { kind: 'weekday-previous-week', weekday: 2, time: '23:59' },
  cancellationDeadline: { kind: 'weekday-previous-week', weekday: 2, time: '23:59' },
  bookingWindows: [],
  absencePolicy: DEFAULT_ABSENCE_POLICY,
};

export const ALSH_MERCREDI: Activity = {
  ...ALSH_MERCREDI_CONFIG,
  activityId: ALSH_MERCREDI_ID,
  facilityId: ALSH_FACILITY.facilityId,
};

export const RESTAURATION_SCOLAIRE: Activity = {
  ...RESTAURATION_CONFIG,
  activityId: RESTAURATION_ID,
  facilityId: PERISCOLAIRE_FACILITY.facilityId,
};
