/**
 * HTTP bodies of the families commands (zod v4). The server adds what it knows itself: familyId, at,
 * actor, requestId, and the childId of a child created by staff. Objects are strict: an unknown key is
 * an error, never silently dropped. Parsed outputs are normalized (trimmed text, phones written
 * "01 02 03 04 05", lower-case e-mails) and match the command types of families.decider.ts, which
 * families.schemas.spec.ts checks at compile time.
 *
 * This file imports zod only, so the enumerations below repeat the constants of families.types.ts;
 * the spec checks that both lists are equal.
 */
import { z } from 'zod';

import { bodyId, isoDate, multiLineText, plainString, singleLineText } from '../../platform/domain/text';

export const NAME_MAX_LENGTH = 100;
export const ADDRESS_LINE_MAX_LENGTH = 200;
export const REASON_MAX_LENGTH = 500;
export const LIST_MAX_ITEMS = 20;

// ---------------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------------

const text = (max: number, what: string) => singleLineText(max, what);

export const idSchema = bodyId().describe('Identifiant');

export const personNameSchema = text(NAME_MAX_LENGTH, 'Nom ou prénom');

export const postalCodeSchema = plainString('Code postal')
  .trim()
  .regex(/^\d{5}$/, 'Le code postal doit comporter 5 chiffres.')
  .describe('Code postal (5 chiffres)');

/** A real calendar date written YYYY-MM-DD (2015-02-29 is refused). */
export const calendarDateSchema = isoDate().describe('Date (AAAA-MM-JJ)');

/**
 * A French phone number in the national format (10 digits starting with 0) or international (+33 /
 * 0033, optionally "+33 (0)"), with spaces, dots or dashes. Null when it is not one.
 */
export function normalizeFrenchPhone(raw: string): string | null {
  let digits = raw.replace(/[\s.\-()]/g, '');
  if (digits.startsWith('+330')) digits = `0${digits.slice(4)}`;
  else if (digits.startsWith('+33')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('00330')) digits = `0${digits.slice(5)}`;
  else if (digits.startsWith('0033')) digits = `0${digits.slice(4)}`;
  if (!/^0[1-9]\d{8}$/.test(digits)) return null;
  return (digits.match(/\d{2}/g) ?? []).join(' ');
}

export const phoneSchema = plainString('Téléphone')
  .trim()
  .max(30, 'Numéro de téléphone invalide.')
  .refine((value) => normalizeFrenchPhone(value) !== null, {
    message: 'Numéro de téléphone invalide : indiquez un numéro français à 10 chiffres, par exemple 01 02 03 04 05.',
  })
  .transform((value) => normalizeFrenchPhone(value) ?? value)
  .describe('Numéro de téléphone français, enregistré au format « 01 02 03 04 05 »');

export const emailSchema = plainString('E-mail')
  .trim()
  .toLowerCase()
  .max(254, 'Adresse e-mail trop longue.')
  .pipe(z.email('Adresse e-mail invalide.'))
  .describe('Adresse e-mail');

export const civilitySchema = z.enum(['M.', 'Mme']).describe('Civilité');
export const qualitySchema = z.enum(['Père', 'Mère', 'Tuteur', 'Tutrice', 'Autre']).describe('Qualité (lien avec les enfants)');
export const situationSchema = z
  .enum(['Marié(e)', 'Pacsé(e)', 'Vie maritale', 'Célibataire', 'Séparé(e)', 'Divorcé(e)', 'Veuf(ve)'])
  .describe('Situation familiale');
export const sexSchema = z.enum(['F', 'M']).describe('Sexe');
export const childStatusSchema = z.enum(['enrolled', 'to_be_enrolled']).describe('Statut : inscrit ou à inscrire');
export const cafRegimeSchema = z.enum(['CAF', 'MSA', 'Autre']).describe('Régime allocataire');
export const changeCategorySchema = z
  .enum(['guardian', 'spouse', 'tax', 'caf', 'bank', 'child', 'authorizations', 'health'])
  .describe('Type de demande');
export const changeRequestStatusSchema = z.enum(['pending', 'accepted', 'refused']).describe('État de la demande');
export const adultPersonSchema = z.enum(['guardian', 'spouse']).describe('Personne concernée : responsable ou conjoint');

export const addressSchema = z.strictObject({
  line1: text(ADDRESS_LINE_MAX_LENGTH, 'Adresse').describe('Numéro et voie'),
  line2: text(ADDRESS_LINE_MAX_LENGTH, "Complément d'adresse").optional().describe("Complément d'adresse"),
  postalCode: postalCodeSchema,
  city: text(NAME_MAX_LENGTH, 'Ville').describe('Ville'),
});

export const phonesSchema = z.strictObject({
  home: phoneSchema.optional().describe('Téléphone domicile'),
  work: phoneSchema.optional().describe('Téléphone professionnel'),
  mobile: phoneSchema.optional().describe('Téléphone mobile'),
});

const optionalText = (max: number, what: string) => text(max, what).optional();

/** Fields shared by the guardian and the spouse, as staff register them. */
export const adultSchema = z.strictObject({
  civility: civilitySchema.optional(),
  lastName: personNameSchema.describe('Nom'),
  firstName: personNameSchema.describe('Prénom'),
  quality: qualitySchema.optional(),
  situation: situationSchema.optional(),
  address: addressSchema,
  phones: phonesSchema.default({}),
  email: emailSchema.optional(),
  accountHolder: optionalText(NAME_MAX_LENGTH, 'Titulaire du compte').describe('Titulaire du compte'),
  bankName: optionalText(NAME_MAX_LENGTH, 'Nom de la banque').describe('Nom de la banque'),
  profession: optionalText(NAME_MAX_LENGTH, 'Profession').describe('Profession'),
  csp: optionalText(NAME_MAX_LENGTH, 'CSP').describe('Catégorie socio-professionnelle'),
  employer: optionalText(NAME_MAX_LENGTH, 'Employeur').describe('Employeur'),
  employerAddress: optionalText(ADDRESS_LINE_MAX_LENGTH, "Adresse de l'employeur").describe("Adresse de l'employeur"),
  emailConsent: z.boolean().describe('Autorisation courriel'),
  smsConsent: z.boolean().describe('Autorisation SMS'),
});

export const guardianSchema = adultSchema.extend({
  civility: civilitySchema,
  quality: qualitySchema,
  situation: situationSchema,
  organismeRattachement: singleLineText(50, 'Organisme de rattachement', 0).default('0').describe('Organisme de rattachement'),
});

export const authorizedPickupSchema = z.strictObject({
  name: personNameSchema.describe('Nom et prénom de la personne autorisée'),
  phone: phoneSchema,
  relationship: text(50, "Lien avec l'enfant").describe("Lien avec l'enfant (ex. Grand-mère)"),
});

const pickupsSchema = z
  .array(authorizedPickupSchema)
  .max(LIST_MAX_ITEMS, `${LIST_MAX_ITEMS} personnes autorisées au plus.`)
  .describe("Personnes autorisées à venir chercher l'enfant (la liste remplace la précédente)");

export const childAuthorizationsSchema = z.strictObject({
  authorizedPickups: pickupsSchema,
  photoConsent: z.boolean().describe("Droit à l'image"),
  mayLeaveAlone: z.boolean().describe('Autorisé à partir seul'),
});

export const vaccinationSchema = z.strictObject({
  name: text(NAME_MAX_LENGTH, 'Vaccin').describe('Vaccin'),
  date: calendarDateSchema.describe('Date du vaccin (AAAA-MM-JJ)'),
});

export const doctorSchema = z.strictObject({
  name: personNameSchema.describe('Nom du médecin traitant'),
  phone: phoneSchema,
});

const allergiesSchema = z
  .array(text(NAME_MAX_LENGTH, 'Allergie'))
  .max(LIST_MAX_ITEMS, `${LIST_MAX_ITEMS} allergies au plus.`)
  .describe('Allergies (la liste remplace la précédente)');
const vaccinationsSchema = z
  .array(vaccinationSchema)
  .max(LIST_MAX_ITEMS, `${LIST_MAX_ITEMS} vaccins au plus.`)
  .describe('Vaccinations (la liste remplace la précédente)');
const paiDetailsSchema = multiLineText(1000, 'Détails du PAI').describe("Détails du projet d'accueil individualisé");

export const childHealthSchema = z.strictObject({
  allergies: allergiesSchema,
  pai: z.boolean().describe("Projet d'accueil individualisé (PAI)"),
  paiDetails: paiDetailsSchema.optional(),
  glasses: z.boolean().describe('Porte des lunettes'),
  vaccinations: vaccinationsSchema,
  doctor: doctorSchema.optional(),
});

/** A child as staff register it; the server gives it its childId. */
export const childSchema = z.strictObject({
  firstName: personNameSchema.describe('Prénom'),
  lastName: personNameSchema.describe('Nom'),
  birthDate: calendarDateSchema.describe('Date de naissance (AAAA-MM-JJ)'),
  sex: sexSchema,
  school: optionalText(NAME_MAX_LENGTH, 'École').describe('École'),
  status: childStatusSchema.default('enrolled'),
  authorizations: childAuthorizationsSchema.default({ authorizedPickups: [], photoConsent: false, mayLeaveAlone: false }),
  health: childHealthSchema.default({ allergies: [], pai: false, glasses: false, vaccinations: [] }),
});

function nonEmpty(value: object): boolean {
  return Object.values(value).some((v) => v !== undefined);
}
const NOTHING_GIVEN = 'Indiquez au moins une information à modifier.';

// ---------------------------------------------------------------------------------------------------
// Change payloads
// ---------------------------------------------------------------------------------------------------

/** In the changes below, `null` removes an optional value and an absent key keeps it. */
export const contactChangesSchema = z
  .strictObject({
    civility: civilitySchema.optional(),
    lastName: personNameSchema.optional().describe('Nom'),
    firstName: personNameSchema.optional().describe('Prénom'),
    quality: qualitySchema.optional(),
    situation: situationSchema.optional(),
    phones: z
      .strictObject({
        home: phoneSchema.nullable().optional().describe('Téléphone domicile (null pour le supprimer)'),
        work: phoneSchema.nullable().optional().describe('Téléphone professionnel (null pour le supprimer)'),
        mobile: phoneSchema.nullable().optional().describe('Téléphone mobile (null pour le supprimer)'),
      })
      .refine(nonEmpty, NOTHING_GIVEN)
      .optional(),
    email: emailSchema.nullable().optional().describe('Adresse e-mail (null pour la supprimer)'),
    profession: text(NAME_MAX_LENGTH, 'Profession').nullable().optional().describe('Profession'),
    csp: text(NAME_MAX_LENGTH, 'CSP').nullable().optional().describe('Catégorie socio-professionnelle'),
    employer: text(NAME_MAX_LENGTH, 'Employeur').nullable().optional().describe('Employeur'),
    employerAddress: text(ADDRESS_LINE_MAX_LENGTH, "Adresse de l'employeur").nullable().optional().describe("Adresse de l'employeur"),
    emailConsent: z.boolean().optional().describe('Autorisation courriel'),
    smsConsent: z.boolean().optional().describe('Autorisation SMS'),
  })
  .refine(nonEmpty, NOTHING_GIVEN);

export const taxChangesSchema = z
  .strictObject({
    referenceIncomeCents: z
      .number()
      .int()
      .min(0)
      .max(100_000_000_000)
      .nullable()
      .optional()
      .describe('Revenu fiscal de référence, en centimes'),
    taxShares: z
      .number()
      .min(1)
      .max(20)
      .multipleOf(0.25, 'Le nombre de parts se compte par quart de part.')
      .nullable()
      .optional()
      .describe('Nombre de parts fiscales'),
    year: z.number().int().min(2000).max(2100).nullable().optional().describe("Année de l'avis d'imposition"),
  })
  .refine(nonEmpty, NOTHING_GIVEN);

export const cafChangesSchema = z.strictObject({
  regime: cafRegimeSchema,
  allocataireNumber: plainString("Numéro d'allocataire")
    .trim()
    .regex(/^\d{1,10}$/, "Le numéro d'allocataire doit comporter de 1 à 10 chiffres.")
    .describe("Numéro d'allocataire"),
  quotientFamilial: z.number().int('Le quotient familial est un nombre entier.').min(0).max(100_000).describe('Quotient familial'),
});

export const childAdditionSchema = z.strictObject({
  firstName: personNameSchema.describe('Prénom'),
  lastName: personNameSchema.describe('Nom'),
  birthDate: calendarDateSchema.describe('Date de naissance (AAAA-MM-JJ)'),
  sex: sexSchema,
  school: optionalText(NAME_MAX_LENGTH, 'École').describe('École prévue'),
});

export const authorizationsChangesSchema = z
  .strictObject({
    authorizedPickups: pickupsSchema.optional(),
    photoConsent: z.boolean().optional().describe("Droit à l'image"),
    mayLeaveAlone: z.boolean().optional().describe('Autorisé à partir seul'),
  })
  .refine(nonEmpty, NOTHING_GIVEN);

export const healthChangesSchema = z
  .strictObject({
    allergies: allergiesSchema.optional(),
    pai: z.boolean().optional().describe("Projet d'accueil individualisé (PAI)"),
    paiDetails: paiDetailsSchema.nullable().optional(),
    glasses: z.boolean().optional().describe('Porte des lunettes'),
    vaccinations: vaccinationsSchema.optional(),
    doctor: doctorSchema.nullable().optional().describe('Médecin traitant (null pour le supprimer)'),
  })
  .refine(nonEmpty, NOTHING_GIVEN);

// ---------------------------------------------------------------------------------------------------
// Bodies, one per command
// ---------------------------------------------------------------------------------------------------

/** POST (staff): register a family; the server gives each child its childId. */
export const registerFamilyBodySchema = z.strictObject({
  familyNumber: plainString('N° Famille')
    .trim()
    .regex(/^\d{1,20}$/, 'Le numéro de famille comporte de 1 à 20 chiffres.')
    .describe('N° Famille'),
  commune: plainString('Commune')
    .trim()
    .min(1)
    .max(100)
    .transform((c) => c.toUpperCase())
    .describe('Commune de rattachement (périmètre des agents)'),
  guardian: guardianSchema.describe('Responsable'),
  spouse: adultSchema.optional().describe('Conjoint'),
  children: z.array(childSchema).max(LIST_MAX_ITEMS).default([]).describe('Enfants'),
});
export type RegisterFamilyBody = z.infer<typeof registerFamilyBodySchema>;

/** POST (staff): add a child to a family; the server gives it its childId. */
export const addChildBodySchema = childSchema;
export type AddChildBody = z.infer<typeof addChildBodySchema>;

export const requestAddressChangeBodySchema = z.strictObject({
  person: adultPersonSchema,
  address: addressSchema.describe('Nouvelle adresse'),
});
export type RequestAddressChangeBody = z.infer<typeof requestAddressChangeBodySchema>;

export const requestContactChangeBodySchema = z.strictObject({
  person: adultPersonSchema,
  changes: contactChangesSchema.describe('Informations à modifier'),
});
export type RequestContactChangeBody = z.infer<typeof requestContactChangeBodySchema>;

export const requestTaxInfoChangeBodySchema = z.strictObject({
  changes: taxChangesSchema.describe('Informations fiscales à modifier'),
});
export type RequestTaxInfoChangeBody = z.infer<typeof requestTaxInfoChangeBodySchema>;

export const requestCafChangeBodySchema = z.strictObject({
  changes: cafChangesSchema.describe('Nouvelles informations CAF'),
});
export type RequestCafChangeBody = z.infer<typeof requestCafChangeBodySchema>;

/** IBAN and BIC are checked by the decider (checksum, BIC format, same country), with their own codes. */
export const requestDirectDebitBodySchema = z.strictObject({
  accountHolder: personNameSchema.describe('Titulaire du compte'),
  iban: singleLineText(50, 'IBAN').describe('IBAN (espaces acceptés)'),
  bic: singleLineText(15, 'BIC').describe('BIC (8 ou 11 caractères)'),
  bankName: optionalText(NAME_MAX_LENGTH, 'Nom de la banque').describe('Nom de la banque'),
});
export type RequestDirectDebitBody = z.infer<typeof requestDirectDebitBodySchema>;

export const requestChildAdditionBodySchema = z.strictObject({
  child: childAdditionSchema.describe('Enfant qui sera prochainement scolarisé'),
});
export type RequestChildAdditionBody = z.infer<typeof requestChildAdditionBodySchema>;

export const requestAuthorizationsChangeBodySchema = z.strictObject({
  childId: idSchema.describe("Identifiant de l'enfant"),
  changes: authorizationsChangesSchema.describe('Autorisations à modifier'),
});
export type RequestAuthorizationsChangeBody = z.infer<typeof requestAuthorizationsChangeBodySchema>;

export const requestHealthDataChangeBodySchema = z.strictObject({
  childId: idSchema.describe("Identifiant de l'enfant"),
  changes: healthChangesSchema.describe('Données sanitaires à modifier'),
});
export type RequestHealthDataChangeBody = z.infer<typeof requestHealthDataChangeBodySchema>;

export const acceptChangeRequestBodySchema = z.strictObject({});
export type AcceptChangeRequestBody = z.infer<typeof acceptChangeRequestBodySchema>;

export const refuseChangeRequestBodySchema = z.strictObject({
  reason: plainString('Motif du refus')
    .trim()
    .min(1, 'Indiquez le motif du refus.')
    .max(REASON_MAX_LENGTH, `Le motif du refus comporte ${REASON_MAX_LENGTH} caractères au plus.`)
    .describe('Motif du refus, communiqué à la famille'),
});
export type RefuseChangeRequestBody = z.infer<typeof refuseChangeRequestBodySchema>;
