/**
 * HTTP bodies of the catalogue commands (zod v4), shaped like the types of planning.types.ts. The server
 * adds what it knows itself: the facilityId of the path, at, actor, and the closureId of a new closure.
 * Objects are strict: an unknown key is an error, never silently dropped. Dates are real calendar days
 * (YYYY-MM-DD), times HH:mm, weekdays 1 (lundi) … 7 (dimanche), instants ISO 8601 (stored in UTC).
 *
 * The decider checks the same rules again (catalog-config.rules.ts): these schemas give the client every
 * problem at once with its path, the decider guarantees them whoever calls it.
 */
import { z } from 'zod';

import { isoDate, patternText, plainString, singleLineText } from '../../../platform/domain/text';
import { DEFAULT_ABSENCE_POLICY } from '../planning.types';
import { DEADLINE_LIMITS } from '../rules/deadline.rules';
import {
  CATEGORY_MAX_LENGTH,
  CERTIFICATE_MAX_HOURS,
  CLOSURE_REASON_MAX_LENGTH,
  MAX_BOOKING_WINDOWS,
  MAX_EXCUSED_DAYS_PER_CERTIFICATE,
  MAX_PLACE_OVERRIDES,
  MAX_PLACES,
  NAME_MAX_LENGTH,
  PENALTY_MAX_CENTS,
} from './catalog-config.rules';
import { REGIE_ID_PATTERN } from './regie-reference';

// ---------------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------------

const text = (max: number, what: string) => singleLineText(max, what);

/** Ids of facilities, activities and closures: they end up in stream names (`allocation-<activityId>-<date>`). */
export const catalogIdSchema = plainString('Identifiant')
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/,
    'Identifiant invalide : lettres, chiffres, « - » et « _ » (100 caractères au plus), sans espace.',
  )
  .describe('Identifiant (lettres, chiffres, - et _)');

/** A real calendar date written YYYY-MM-DD (2027-02-29 is refused). */
export const localDateSchema = isoDate().describe('Date (AAAA-MM-JJ)');

export const localTimeSchema = plainString('Heure')
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Heure invalide : format attendu HH:mm (00:00 à 23:59).')
  .describe('Heure (HH:mm, heure de Paris)');

/** An ISO instant with its offset (…Z or …+02:00), stored as a UTC ISO string. */
export const instantSchema = z.iso
  .datetime({ offset: true, message: 'Instant invalide : format attendu AAAA-MM-JJTHH:mm:ssZ (ou avec un décalage +02:00).' })
  .max(35, 'Instant invalide : format attendu AAAA-MM-JJTHH:mm:ssZ (ou avec un décalage +02:00).')
  .transform((value) => new Date(value).toISOString())
  .describe('Instant ISO 8601');

export const weekdaySchema = z
  .literal([1, 2, 3, 4, 5, 6, 7], { message: 'Jour de la semaine invalide : de 1 (lundi) à 7 (dimanche).' })
  .describe('Jour de la semaine ISO : 1 = lundi … 7 = dimanche');

const distinct = <T>(values: T[]) => new Set(values).size === values.length;

export const weekdaysSchema = z.array(weekdaySchema).max(7).refine(distinct, { message: 'Un jour de la semaine est indiqué deux fois.' });

const placesSchema = z
  .int('Nombre de places : un nombre entier est attendu.')
  .min(0, 'Nombre de places : 0 au moins.')
  .max(MAX_PLACES, `Nombre de places : ${MAX_PLACES} au plus.`);

function integer(min: number, max: number, what: string) {
  return z.int(`${what} : un nombre entier est attendu.`).min(min, `${what} : ${min} au moins.`).max(max, `${what} : ${max} au plus.`);
}

export const periodSchema = z
  .strictObject({ from: localDateSchema, to: localDateSchema })
  .refine((period) => period.from <= period.to, { message: 'La période se termine avant de commencer.', path: ['to'] });

// ---------------------------------------------------------------------------------------------------
// Activity configuration
// ---------------------------------------------------------------------------------------------------

export const activityPeriodsSchema = z
  .strictObject({
    schoolDays: z.boolean().describe('Jours scolaires (lundi, mardi, jeudi, vendredi hors vacances)'),
    wednesdays: z.boolean().describe('Mercredis hors vacances'),
    petitesVacances: z.boolean().describe('Petites vacances'),
    grandesVacances: z.boolean().describe('Grandes vacances (été)'),
    weekdays: weekdaysSchema
      .min(1, 'Indiquez au moins un jour de fonctionnement, ou omettez la liste pour « tous les jours ».')
      .optional()
      .describe('Restriction à certains jours de la semaine (ex. [1, 2, 4, 5] sans le mercredi)'),
  })
  .refine((p) => p.schoolDays || p.wednesdays || p.petitesVacances || p.grandesVacances, {
    message: "L'activité doit fonctionner sur au moins une période : jours scolaires, mercredis, petites ou grandes vacances.",
  });

const daysBeforeSchema = z.strictObject({
  kind: z.literal('days-before'),
  days: integer(0, DEADLINE_LIMITS.maxDays, 'Nombre de jours (J-n)'),
  time: localTimeSchema,
  skip: z
    .strictObject({
      weekends: z.boolean().describe('Ne pas compter les week-ends'),
      publicHolidays: z.boolean().describe('Ne pas compter les jours fériés'),
      weekdays: weekdaysSchema.describe('Autres jours de la semaine non comptés'),
    })
    .refine((skip) => new Set<number>([...skip.weekdays, ...(skip.weekends ? [6, 7] : [])]).size < 7, {
      message: 'Au moins un jour de la semaine doit être compté.',
    }),
});

export const deadlineRuleSchema = z
  .discriminatedUnion('kind', [
    daysBeforeSchema,
    z.strictObject({ kind: z.literal('weekday-previous-week'), weekday: weekdaySchema, time: localTimeSchema }),
    z.strictObject({ kind: z.literal('previous-weekday'), weekday: weekdaySchema, time: localTimeSchema }),
    z.strictObject({
      kind: z.literal('weekday-weeks-before'),
      weekday: weekdaySchema,
      weeks: integer(1, DEADLINE_LIMITS.maxWeeks, 'Nombre de semaines'),
      time: localTimeSchema,
    }),
    z.strictObject({ kind: z.literal('day-of-previous-month'), day: integer(1, 31, 'Jour du mois'), time: localTimeSchema }),
    z.strictObject({ kind: z.literal('hours-before'), hours: integer(0, DEADLINE_LIMITS.maxHours, "Nombre d'heures") }),
  ])
  .describe('Délai, relatif au jour réservé');

export const bookingWindowSchema = z
  .strictObject({
    category: text(CATEGORY_MAX_LENGTH, 'Catégorie').describe("'*' (toutes), 'resident', 'non-resident', …"),
    opensAt: instantSchema.describe('Ouverture (incluse)'),
    closesAt: instantSchema.describe('Clôture (exclue)'),
    appliesTo: periodSchema.optional().describe('Jours réservables concernés (absent = tous)'),
    label: text(NAME_MAX_LENGTH, 'Libellé').optional().describe('Libellé, ex. « Inscriptions été 2027 »'),
  })
  .refine((window) => window.closesAt > window.opensAt, {
    message: "La période d'inscription se ferme avant d'ouvrir.",
    path: ['closesAt'],
  });

export const absencePenaltySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('flat'), cents: integer(0, PENALTY_MAX_CENTS, 'Pénalité (centimes)') }),
  z.strictObject({
    kind: z.literal('percent'),
    percent: z.number().min(0, 'Pourcentage : 0 au moins.').max(100, 'Pourcentage : 100 au plus.'),
  }),
]);

export const absencePolicySchema = z.strictObject({
  certificateWithinHours: integer(0, CERTIFICATE_MAX_HOURS, 'Délai du certificat médical (heures)'),
  maxExcusedDaysPerCertificate: integer(1, MAX_EXCUSED_DAYS_PER_CERTIFICATE, 'Jours excusés par certificat'),
  reportBy: localTimeSchema.describe('Heure limite de signalement le jour même'),
  penalty: absencePenaltySchema,
});

export const activityConfigSchema = z.strictObject({
  name: text(NAME_MAX_LENGTH, "Nom de l'activité").describe('ex. « ALSH Mercredi après-midi »'),
  regieId: patternText(REGIE_ID_PATTERN, 'Régie : identifiant invalide.').describe(
    'identifiant de la régie qui facture, ex. « regie-garderie-alsh »',
  ),
  periods: activityPeriodsSchema,
  placesPerDay: placesSchema.describe('Places par jour'),
  placeOverrides: z
    .record(localDateSchema, placesSchema)
    .refine((overrides) => Object.keys(overrides).length <= MAX_PLACE_OVERRIDES, {
      message: `${MAX_PLACE_OVERRIDES} jours à capacité particulière au plus.`,
    })
    .default({})
    .describe('Places de certains jours (AAAA-MM-JJ → places)'),
  validation: z.enum(['automatic', 'staff']).describe('automatic : acceptée si elle respecte les règles ; staff : validée par un agent'),
  bookingDeadline: deadlineRuleSchema,
  cancellationDeadline: deadlineRuleSchema.nullable().describe("Délai d'annulation (null : jusqu'au début du jour réservé)"),
  bookingWindows: z
    .array(bookingWindowSchema)
    .max(MAX_BOOKING_WINDOWS, `${MAX_BOOKING_WINDOWS} périodes d'inscription au plus.`)
    .default([])
    .describe("Périodes d'inscription (vide : toujours ouvert)"),
  absencePolicy: absencePolicySchema.default(DEFAULT_ABSENCE_POLICY),
});

// ---------------------------------------------------------------------------------------------------
// Command bodies
// ---------------------------------------------------------------------------------------------------

export const defineFacilityBodySchema = z.strictObject({
  facilityId: catalogIdSchema,
  name: text(NAME_MAX_LENGTH, 'Nom de la structure').describe('ex. « Accueil de Loisirs »'),
  commune: text(NAME_MAX_LENGTH, 'Commune'),
});

export const defineActivityBodySchema = activityConfigSchema.extend({ activityId: catalogIdSchema });

/** The full new configuration (every field, not a patch). */
export const changeActivityBodySchema = activityConfigSchema;

export const closureScopeSchema = z.union([
  z.strictObject({ facilityId: catalogIdSchema }),
  z.strictObject({ activityId: catalogIdSchema }),
]);

export const declareClosureBodySchema = z
  .strictObject({
    scope: closureScopeSchema.describe('{ facilityId } : toute la structure ; { activityId } : une activité'),
    from: localDateSchema.describe('Premier jour fermé'),
    to: localDateSchema.describe('Dernier jour fermé'),
    reason: text(CLOSURE_REASON_MAX_LENGTH, 'Motif').describe('Affiché aux familles, ex. « Journée pédagogique »'),
  })
  .refine((closure) => closure.from <= closure.to, {
    message: 'La fermeture se termine avant de commencer.',
    path: ['to'],
  });

export type DefineFacilityBody = z.output<typeof defineFacilityBodySchema>;
export type DefineActivityBody = z.output<typeof defineActivityBodySchema>;
export type ChangeActivityBody = z.output<typeof changeActivityBodySchema>;
export type DeclareClosureBody = z.output<typeof declareClosureBodySchema>;
