/**
 * HTTP bodies of the family planning commands (zod v4). The server adds what it knows itself: familyId,
 * at, actor, the requestId / absenceId of a new request, and every fact the rules need (the activity's
 * configuration, the calendar, closures, public holidays, the family's category). Objects are strict.
 *
 * A certificate is referenced by the id of the document already uploaded; WHEN it was provided is taken
 * by the server from that document (never from the body: it decides whether the absence is excused).
 */
import { z } from 'zod';

import { bodyId, plainString } from '../../../platform/domain/text';
import { catalogIdSchema, localDateSchema, weekdaysSchema } from '../catalog/catalog.schemas';
import { MAX_ABSENCE_DAYS, MAX_BULK_ITEMS } from './family-planning.decider';
import { MAX_TYPICAL_WEEK_DAYS } from './typical-week';

const childIdSchema = bodyId("Identifiant de l'enfant").describe("Identifiant de l'enfant");

const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;

export const schoolYearSchema = plainString('Année scolaire')
  .regex(/^\d{4}-\d{4}$/, 'Année scolaire invalide : format attendu « 2026-2027 ».')
  .refine((year) => Number(year.slice(5)) === Number(year.slice(0, 4)) + 1, {
    message: 'Année scolaire invalide : deux années qui se suivent, par exemple « 2026-2027 ».',
  })
  .describe('Année scolaire, ex. « 2026-2027 »');

export const enrolChildBodySchema = z.strictObject({
  childId: childIdSchema,
  activityId: catalogIdSchema,
  schoolYear: schoolYearSchema,
  regularDays: z
    .array(z.literal([1, 2, 3, 4, 5], { message: 'Jour du contrat régulier : de 1 (lundi) à 5 (vendredi).' }))
    .max(5)
    .refine((values) => new Set(values).size === values.length, { message: 'Un jour est indiqué deux fois.' })
    .default([])
    .describe('Contrat régulier : jours réservés par défaut (1 = lundi … 5 = vendredi)'),
});

export const reservationDaySchema = z.strictObject({
  childId: childIdSchema,
  activityId: catalogIdSchema,
  date: localDateSchema.describe('Jour réservé'),
});

export const requestReservationBodySchema = reservationDaySchema;

export const requestReservationsBodySchema = z.strictObject({
  items: z
    .array(reservationDaySchema)
    .min(1, 'Choisissez au moins une journée à réserver.')
    .max(MAX_BULK_ITEMS, `${MAX_BULK_ITEMS} journées au plus par demande.`),
});

/** A "semaine type": the weekdays to book for each child and activity over a period. */
export const typicalWeekBodySchema = z
  .strictObject({
    from: localDateSchema,
    to: localDateSchema,
    lines: z
      .array(z.strictObject({ childId: childIdSchema, activityId: catalogIdSchema, weekdays: weekdaysSchema.min(1) }))
      .min(1)
      .max(50),
  })
  .refine((week) => week.from <= week.to, { message: 'La période se termine avant de commencer.', path: ['to'] })
  .refine((week) => days(week.from, week.to) <= MAX_TYPICAL_WEEK_DAYS, {
    message: `Une semaine type s'applique sur ${MAX_TYPICAL_WEEK_DAYS} jours au plus.`,
    path: ['to'],
  });

export const declareAbsenceBodySchema = z
  .strictObject({
    childId: childIdSchema,
    activityId: catalogIdSchema,
    from: localDateSchema.describe("Premier jour d'absence"),
    to: localDateSchema.describe("Dernier jour d'absence"),
    certificate: z
      .strictObject({ reference: bodyId('Identifiant du document').describe('Identifiant du document déposé') })
      .optional()
      .describe('Certificat médical déjà déposé'),
  })
  .refine((absence) => absence.from <= absence.to, { message: "La période d'absence se termine avant de commencer.", path: ['to'] })
  .refine((absence) => days(absence.from, absence.to) <= MAX_ABSENCE_DAYS, {
    message: `Une absence se déclare pour ${MAX_ABSENCE_DAYS} jours au plus.`,
    path: ['to'],
  });

export type EnrolChildBody = z.output<typeof enrolChildBodySchema>;
export type RequestReservationBody = z.output<typeof requestReservationBodySchema>;
export type RequestReservationsBody = z.output<typeof requestReservationsBodySchema>;
export type TypicalWeekBody = z.output<typeof typicalWeekBodySchema>;
export type DeclareAbsenceBody = z.output<typeof declareAbsenceBodySchema>;
