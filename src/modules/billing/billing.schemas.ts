/** Request bodies of the billing endpoints (zod): amounts are integer cents, dates real `YYYY-MM-DD`. */
import { z } from 'zod';

import { bodyId, patternText, singleLineText } from '../../platform/domain/text';
import { pathId } from '../../platform/http/command-http';
import { REGIE_ID_PATTERN } from '../planning';
import {
  ANY,
  DESK_PAYMENT_MEANS,
  FAMILY_CATEGORIES,
  MAX_AMOUNT_CENTS,
  MAX_UNIT_CENTS,
  PAYMENT_MEANS,
  PERIOD_KINDS,
  schoolYearBounds,
  TARIFF_USAGES,
} from './billing.types';

const isRealDate = (v: string) => {
  const [y, m, d] = v.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};
export const localDate = patternText(/^\d{4}-\d{2}-\d{2}$/, 'Date invalide : AAAA-MM-JJ.').refine(isRealDate, 'Cette date n’existe pas.');
export const monthId = patternText(/^\d{4}-(0[1-9]|1[0-2])$/, 'Mois invalide : AAAA-MM.');
export const schoolYear = patternText(/^\d{4}-\d{4}$/, 'Année scolaire invalide : AAAA-AAAA.').refine(
  (v) => schoolYearBounds(v) !== null,
  'Année scolaire invalide : deux années qui se suivent (2014-2015).',
);
export const regieId = patternText(REGIE_ID_PATTERN, 'Identifiant de régie invalide.');
const cents = (max: number, what: string) =>
  z
    .number({ error: `${what} : un nombre entier de centimes.` })
    .int(`${what} : un nombre entier de centimes.`)
    .min(0, `${what} : positif.`)
    .max(max, `${what} : au plus ${max} centimes.`);
const amount = z
  .number({ error: 'Montant : un nombre entier de centimes.' })
  .int('Montant : un nombre entier de centimes.')
  .min(1, 'Montant : positif.')
  .max(MAX_AMOUNT_CENTS, `Montant : au plus ${MAX_AMOUNT_CENTS} centimes.`);

export const regieSettingsSchema = z.strictObject({
  name: singleLineText(120, 'Nom de la régie'),
  prefix: patternText(/^[A-Z0-9]{1,6}$/, 'Préfixe : 1 à 6 lettres majuscules ou chiffres.'),
  communes: z.array(singleLineText(80, 'Commune')).min(1).max(50),
  paymentMeans: z.array(z.enum(PAYMENT_MEANS)).min(1).max(PAYMENT_MEANS.length),
  dueAfterDays: z.number().int().min(0).max(90),
  deskInformation: singleLineText(300, 'Informations du guichet').optional(),
});
export const defineRegieSchema = regieSettingsSchema.extend({ regieId });

const mode = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), unit: z.enum(['day', 'unit']), cents: cents(MAX_UNIT_CENTS, 'Prix') }),
  z.strictObject({
    kind: z.literal('qf-bands'),
    bands: z
      .array(z.strictObject({ minQf: z.number().int().min(0).max(100_000), cents: cents(MAX_UNIT_CENTS, 'Prix') }))
      .min(1)
      .max(20),
  }),
  z.strictObject({
    kind: z.literal('effort-rate'),
    rateBasisPoints: z.number().int().min(1).max(10_000),
    minCents: cents(MAX_UNIT_CENTS, 'Minimum'),
    maxCents: cents(MAX_UNIT_CENTS, 'Maximum'),
  }),
  z.strictObject({ kind: z.literal('package'), cents: cents(MAX_UNIT_CENTS, 'Forfait'), label: singleLineText(120, 'Libellé du forfait') }),
]);

export const tariffSchema = z.strictObject({
  tariffId: pathId,
  activityId: pathId,
  label: singleLineText(120, 'Libellé du tarif'),
  usage: z.enum(TARIFF_USAGES).default('booking'),
  validFrom: localDate,
  validTo: localDate.nullable().default(null),
  category: z.enum([ANY, ...FAMILY_CATEGORIES]).default(ANY),
  periodKind: z.enum([ANY, ...PERIOD_KINDS]).default(ANY),
  mode,
  siblingReductions: z
    .array(z.strictObject({ fromRank: z.number().int().min(2).max(20), percent: z.number().min(0).max(100) }))
    .max(10)
    .default([]),
});

export const endTariffSchema = z.strictObject({ validTo: localDate });

export const recordPaymentSchema = z.strictObject({
  regieId,
  mean: z.enum(DESK_PAYMENT_MEANS),
  amountCents: amount,
  receivedOn: localDate,
  chequeNumber: patternText(/^[0-9A-Za-z]{1,20}$/, 'Numéro de chèque invalide.').optional(),
  bank: singleLineText(80, 'Banque').optional(),
  allocateTo: z.array(bodyId('Facture')).max(50).optional(),
});

export const cancelPaymentSchema = z.strictObject({ reason: singleLineText(200, 'Motif'), cancelledOn: localDate.optional() });
export const creditNoteSchema = z.strictObject({ amountCents: amount, reason: singleLineText(200, 'Motif') });
