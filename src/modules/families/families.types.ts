/**
 * The family record ("Fiche Famille") and the payloads of the change requests parents send about it.
 * Pure types and constants: no framework, no I/O.
 *
 * Conventions: calendar dates are `YYYY-MM-DD` (Europe/Paris), instants are UTC ISO strings, money is
 * integer cents, phone numbers are stored as "01 02 03 04 05" (the HTTP schemas normalize them).
 * Types are `type` aliases rather than interfaces so that read-model documents built from them are
 * assignable to `Record<string, unknown>`.
 */

export const CIVILITIES = ['M.', 'Mme'] as const;
export type Civility = (typeof CIVILITIES)[number];

export const QUALITIES = ['Père', 'Mère', 'Tuteur', 'Tutrice', 'Autre'] as const;
export type Quality = (typeof QUALITIES)[number];

export const SITUATIONS = ['Marié(e)', 'Pacsé(e)', 'Vie maritale', 'Célibataire', 'Séparé(e)', 'Divorcé(e)', 'Veuf(ve)'] as const;
export type Situation = (typeof SITUATIONS)[number];

export type Address = {
  line1: string;
  line2?: string;
  /** French postal code, 5 digits */
  postalCode: string;
  city: string;
};

export type Phones = {
  home?: string;
  work?: string;
  mobile?: string;
};

/**
 * An adult of the household. Civility, quality and situation are optional here because the seed's
 * "Mon conjoint" block has none of them; the guardian always has them (see Guardian).
 */
export type Adult = {
  civility?: Civility;
  lastName: string;
  firstName: string;
  quality?: Quality;
  situation?: Situation;
  address: Address;
  phones: Phones;
  email?: string;
  /** "Titulaire du compte" as shown on the record */
  accountHolder?: string;
  bankName?: string;
  profession?: string;
  /** catégorie socio-professionnelle */
  csp?: string;
  employer?: string;
  employerAddress?: string;
  /** "Autorisation courriel" */
  emailConsent: boolean;
  /** "Autorisation SMS" */
  smsConsent: boolean;
};

/** The "Responsable": the adult who holds the family account. */
export type Guardian = Adult & {
  civility: Civility;
  quality: Quality;
  situation: Situation;
  /** "Organisme rattachement" as given by the commune; the seed shows "0" */
  organismeRattachement: string;
};

export type Sex = 'F' | 'M';

/** enrolled = known to the services; to_be_enrolled = announced by the parents, to be completed by the commune */
export type ChildStatus = 'enrolled' | 'to_be_enrolled';

export type AuthorizedPickup = {
  name: string;
  phone: string;
  /** e.g. "Grand-mère", "Voisin" */
  relationship: string;
};

export type ChildAuthorizations = {
  authorizedPickups: AuthorizedPickup[];
  photoConsent: boolean;
  mayLeaveAlone: boolean;
};

export type Vaccination = {
  name: string;
  /** YYYY-MM-DD */
  date: string;
};

export type Doctor = {
  name: string;
  phone: string;
};

export type ChildHealth = {
  allergies: string[];
  /** projet d'accueil individualisé */
  pai: boolean;
  paiDetails?: string;
  glasses: boolean;
  vaccinations: Vaccination[];
  doctor?: Doctor;
};

export type Child = {
  childId: string;
  firstName: string;
  lastName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
  school?: string;
  status: ChildStatus;
  authorizations: ChildAuthorizations;
  health: ChildHealth;
};

export type TaxInfo = {
  /** revenu fiscal de référence, in cents */
  referenceIncomeCents?: number;
  /** nombre de parts */
  taxShares?: number;
  /** year of the tax notice */
  year?: number;
};

export const CAF_REGIMES = ['CAF', 'MSA', 'Autre'] as const;
export type CafRegime = (typeof CAF_REGIMES)[number];

export type CafInfo = {
  regime: CafRegime;
  /** numéro d'allocataire, 1 to 10 digits */
  allocataireNumber: string;
  /** quotient familial, an integer */
  quotientFamilial: number;
};

export type BankDetails = {
  directDebit: boolean;
  accountHolder: string;
  /** electronic format: no spaces, upper case */
  iban: string;
  bic: string;
  bankName?: string;
  /** instant the parent asked for direct debit (the SEPA mandate is then prepared by the commune) */
  mandateRequestedAt?: string;
};

export type FamilyRecord = {
  familyId: string;
  /** "N° Famille", given by the commune, e.g. "1001001818331" */
  familyNumber: string;
  /** the commune whose services the family uses: staff and auditors reach the families of their scope */
  commune: string;
  guardian: Guardian;
  spouse?: Adult;
  tax?: TaxInfo;
  caf?: CafInfo;
  bank?: BankDetails;
  children: Child[];
  /** instant the family was registered */
  registeredAt: string;
};

// ---------------------------------------------------------------------------------------------------
// Change requests
// ---------------------------------------------------------------------------------------------------

export const CHANGE_CATEGORIES = ['guardian', 'spouse', 'tax', 'caf', 'bank', 'child', 'authorizations', 'health'] as const;
export type ChangeCategory = (typeof CHANGE_CATEGORIES)[number];

/** The French labels parents see as filters of "Liste des demandes". */
export const CHANGE_CATEGORY_LABELS: Record<ChangeCategory, string> = {
  guardian: 'Responsable',
  spouse: 'Conjoint',
  tax: 'Fiscales',
  caf: 'CAF',
  bank: 'Bancaires',
  child: 'Enfants',
  authorizations: 'Autorisations',
  health: 'Données sanitaires',
};

export type AdultPerson = 'guardian' | 'spouse';

/**
 * Changes to an adult's contact details. For optional fields, `null` means "remove the value"
 * (e.g. a parent no longer has a work phone); an absent key means "unchanged".
 */
export type ContactChanges = {
  civility?: Civility;
  lastName?: string;
  firstName?: string;
  quality?: Quality;
  situation?: Situation;
  phones?: { home?: string | null; work?: string | null; mobile?: string | null };
  email?: string | null;
  profession?: string | null;
  csp?: string | null;
  employer?: string | null;
  employerAddress?: string | null;
  emailConsent?: boolean;
  smsConsent?: boolean;
};

/** What a 'guardian' or 'spouse' request changes: contact details and/or the whole address. */
export type AdultChanges = ContactChanges & { address?: Address };

/** `null` removes a value. */
export type TaxChanges = {
  referenceIncomeCents?: number | null;
  taxShares?: number | null;
  year?: number | null;
};

export type CafChanges = CafInfo;

/** A direct debit request: the new bank details, normalized; accepting it turns direct debit on. */
export type BankChanges = {
  directDebit: true;
  accountHolder: string;
  iban: string;
  bic: string;
  bankName?: string;
  mandateRequestedAt: string;
};

/** A child the parents announce ("un enfant qui sera prochainement scolarisé"). */
export type ChildAdditionChanges = {
  firstName: string;
  lastName: string;
  birthDate: string;
  sex: Sex;
  school?: string;
};

/** Arrays (pickups) replace the previous list as a whole. */
export type AuthorizationsChanges = Partial<ChildAuthorizations>;

/** Arrays replace the previous list as a whole; `null` removes paiDetails or the doctor. */
export type HealthChanges = {
  allergies?: string[];
  pai?: boolean;
  paiDetails?: string | null;
  glasses?: boolean;
  vaccinations?: Vaccination[];
  doctor?: Doctor | null;
};

export type ChangesByCategory = {
  guardian: AdultChanges;
  spouse: AdultChanges;
  tax: TaxChanges;
  caf: CafChanges;
  bank: BankChanges;
  child: ChildAdditionChanges;
  authorizations: AuthorizationsChanges;
  health: HealthChanges;
};

/** A category with its matching changes (discriminated on `category`). */
export type ChangePayload = {
  [K in ChangeCategory]: { category: K; changes: ChangesByCategory[K] };
}[ChangeCategory];

export type ChangeRequestStatus = 'pending' | 'accepted' | 'refused';

export const CHANGE_REQUEST_STATUS_LABELS: Record<ChangeRequestStatus, string> = {
  pending: 'En attente',
  accepted: 'Acceptée',
  refused: 'Refusée',
};

/** "DUPONT JEAN", the way the portal shows a person (last name first). */
export function displayName(person: { lastName: string; firstName: string }): string {
  return `${person.lastName} ${person.firstName}`;
}
