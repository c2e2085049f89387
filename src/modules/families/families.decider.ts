import { electronicFormatIBAN, extractBIC, isValidBIC, isValidIBAN } from 'ibantools';

import { type CommandMeta, type Role, STAFF_ROLES } from '../../platform/domain/command-target';
import type { Decider } from '../../platform/domain/decider';
import { DomainError } from '../../platform/domain/domain-error';
import { assertNever, jsonEqual } from '../../platform/domain/exhaustive';
import type {
  ChangeRequestAccepted,
  ChangeRequested,
  ChangeRequestedData,
  ChangeRequestRefused,
  FamilyEvent,
  FamilyRegisteredData,
} from './families.events';
import {
  type Address,
  type Adult,
  type AdultChanges,
  type AdultPerson,
  type AuthorizationsChanges,
  type BankChanges,
  type CafChanges,
  CHANGE_CATEGORY_LABELS,
  type ChangeCategory,
  type ChangePayload,
  type ChangeRequestStatus,
  type ChangesByCategory,
  type Child,
  type ChildAdditionChanges,
  type ContactChanges,
  displayName,
  type FamilyRecord,
  type Guardian,
  type HealthChanges,
  type TaxChanges,
} from './families.types';

// ---------------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------------

/** Filled by the server for every command: the family concerned, when, and who. */
export type FamilyCommandMeta = CommandMeta & { familyId: string };

/** Roles that may read but never change anything. */
const READ_ONLY_ROLES: readonly Role[] = ['auditor'];

export type RegisterFamily = FamilyCommandMeta & {
  type: 'RegisterFamily';
  familyNumber: string;
  commune: string;
  guardian: Guardian;
  spouse?: Adult;
  children?: Child[];
};

export type AddChild = FamilyCommandMeta & {
  type: 'AddChild';
  childId: string;
  child: Omit<Child, 'childId'>;
};

export type RequestAddressChange = FamilyCommandMeta & {
  type: 'RequestAddressChange';
  requestId: string;
  person: AdultPerson;
  address: Address;
};

export type RequestContactChange = FamilyCommandMeta & {
  type: 'RequestContactChange';
  requestId: string;
  person: AdultPerson;
  changes: ContactChanges;
};

export type RequestTaxInfoChange = FamilyCommandMeta & {
  type: 'RequestTaxInfoChange';
  requestId: string;
  changes: TaxChanges;
};

export type RequestCafChange = FamilyCommandMeta & {
  type: 'RequestCafChange';
  requestId: string;
  changes: CafChanges;
};

export type RequestDirectDebit = FamilyCommandMeta & {
  type: 'RequestDirectDebit';
  requestId: string;
  accountHolder: string;
  iban: string;
  bic: string;
  bankName?: string;
};

export type RequestChildAddition = FamilyCommandMeta & {
  type: 'RequestChildAddition';
  requestId: string;
  child: ChildAdditionChanges;
};

export type RequestAuthorizationsChange = FamilyCommandMeta & {
  type: 'RequestAuthorizationsChange';
  requestId: string;
  childId: string;
  changes: AuthorizationsChanges;
};

export type RequestHealthDataChange = FamilyCommandMeta & {
  type: 'RequestHealthDataChange';
  requestId: string;
  childId: string;
  changes: HealthChanges;
};

export type AcceptChangeRequest = FamilyCommandMeta & {
  type: 'AcceptChangeRequest';
  requestId: string;
};

export type RefuseChangeRequest = FamilyCommandMeta & {
  type: 'RefuseChangeRequest';
  requestId: string;
  reason: string;
};

export type FamilyCommand =
  | RegisterFamily
  | AddChild
  | RequestAddressChange
  | RequestContactChange
  | RequestTaxInfoChange
  | RequestCafChange
  | RequestDirectDebit
  | RequestChildAddition
  | RequestAuthorizationsChange
  | RequestHealthDataChange
  | AcceptChangeRequest
  | RefuseChangeRequest;

// ---------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------

export type FamilyRequestState = ChangePayload & {
  status: ChangeRequestStatus;
  childId?: string;
};

export type FamilyState = {
  record: FamilyRecord | null;
  /** every request of the family by requestId (plain object: states stay JSON-friendly) */
  requests: Record<string, FamilyRequestState>;
};

export const REFUSAL_REASON_MAX_LENGTH = 500;
export const QUOTIENT_FAMILIAL_MAX = 100_000;

/** The id of the child a 'child' request adds once accepted: derived, so that a retry adds the same child. */
export function childIdForRequest(requestId: string): string {
  return `child-${requestId}`;
}

// ---------------------------------------------------------------------------------------------------
// Applying an accepted change (shared by evolve and the family-record read model)
// ---------------------------------------------------------------------------------------------------

/**
 * The record after an accepted change. Total: a change that cannot apply (unknown child, spouse
 * without a name) leaves the record as it is; `decide` refuses to accept such a change beforehand.
 */
export function applyAcceptedChange<K extends ChangeCategory>(
  record: FamilyRecord,
  category: K,
  changes: ChangesByCategory[K],
  childId?: string,
  addedChildId?: string,
): FamilyRecord {
  return applyPayload(record, toPayload(category, changes), childId, addedChildId);
}

function toPayload<K extends ChangeCategory>(category: K, changes: ChangesByCategory[K]): ChangePayload {
  // TypeScript cannot correlate a generic key with its value type; the signature guarantees it.
  return { category, changes } as ChangePayload;
}

function applyPayload(record: FamilyRecord, payload: ChangePayload, childId?: string, addedChildId?: string): FamilyRecord {
  switch (payload.category) {
    case 'guardian':
      return { ...record, guardian: applyAdultChanges(record.guardian, payload.changes) };
    case 'spouse': {
      const spouse = record.spouse ? applyAdultChanges(record.spouse, payload.changes) : newSpouse(record, payload.changes);
      return spouse ? { ...record, spouse } : record;
    }
    case 'tax': {
      const tax = patch(record.tax ?? {}, payload.changes);
      return record.tax || Object.keys(tax).length > 0 ? { ...record, tax } : record;
    }
    case 'caf':
      return { ...record, caf: { ...payload.changes } };
    case 'bank': {
      const { directDebit, accountHolder, iban, bic, bankName, mandateRequestedAt } = payload.changes;
      return {
        ...record,
        bank: { directDebit, accountHolder, iban, bic, ...(bankName ? { bankName } : {}), mandateRequestedAt },
      };
    }
    case 'child': {
      if (!addedChildId || record.children.some((c) => c.childId === addedChildId)) return record;
      return { ...record, children: [...record.children, announcedChild(addedChildId, payload.changes)] };
    }
    case 'authorizations':
      return updateChild(record, childId, (child) => ({
        ...child,
        authorizations: patch(child.authorizations, payload.changes),
      }));
    case 'health':
      return updateChild(record, childId, (child) => ({ ...child, health: patch(child.health, payload.changes) }));
    default:
      return assertNever(payload);
  }
}

/** Top-level merge: an absent (undefined) key keeps the value, `null` removes it, anything else replaces it. */
function patch<T extends object>(target: T, changes: object): T {
  const result: Record<string, unknown> = Object.fromEntries(Object.entries(target));
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete result[key];
    else result[key] = value;
  }
  return result as T;
}

function applyAdultChanges<A extends Adult>(adult: A, changes: AdultChanges): A {
  const { phones, address, ...rest } = changes;
  const next = patch(adult, rest);
  // An address is replaced as a whole: a new address without line2 must not keep the old line2.
  if (address) next.address = { ...address };
  if (phones) next.phones = patch(adult.phones, phones);
  return next;
}

/**
 * A spouse added through a contact change. Consents default to "no" (they must be given explicitly);
 * the address defaults to the guardian's, which the parents can change with an address request.
 */
function newSpouse(record: FamilyRecord, changes: AdultChanges): Adult | null {
  if (!changes.lastName || !changes.firstName) return null;
  const base: Adult = {
    lastName: changes.lastName,
    firstName: changes.firstName,
    address: { ...record.guardian.address },
    phones: {},
    emailConsent: false,
    smsConsent: false,
  };
  return applyAdultChanges(base, changes);
}

function announcedChild(childId: string, changes: ChildAdditionChanges): Child {
  return {
    childId,
    firstName: changes.firstName,
    lastName: changes.lastName,
    birthDate: changes.birthDate,
    sex: changes.sex,
    ...(changes.school ? { school: changes.school } : {}),
    status: 'to_be_enrolled',
    authorizations: { authorizedPickups: [], photoConsent: false, mayLeaveAlone: false },
    health: { allergies: [], pai: false, glasses: false, vaccinations: [] },
  };
}

function updateChild(record: FamilyRecord, childId: string | undefined, update: (child: Child) => Child): FamilyRecord {
  if (!childId || !record.children.some((c) => c.childId === childId)) return record;
  return { ...record, children: record.children.map((c) => (c.childId === childId ? update(c) : c)) };
}

/** The record as registered. */
export function recordFromRegistration(data: FamilyRegisteredData): FamilyRecord {
  return {
    familyId: data.familyId,
    familyNumber: data.familyNumber,
    commune: data.commune,
    guardian: data.guardian,
    ...(data.spouse ? { spouse: data.spouse } : {}),
    children: data.children,
    registeredAt: data.registeredAt,
  };
}

// ---------------------------------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------------------------------

export const familiesDecider: Decider<FamilyCommand, FamilyEvent, FamilyState> = {
  initialState: () => ({ record: null, requests: {} }),
  evolve,
  decide,
};

function evolve(state: FamilyState, event: FamilyEvent): FamilyState {
  switch (event.type) {
    case 'FamilyRegistered':
      return { ...state, record: recordFromRegistration(event.data) };
    case 'ChildAdded': {
      const record = state.record;
      if (!record || record.children.some((c) => c.childId === event.data.child.childId)) return state;
      return { ...state, record: { ...record, children: [...record.children, event.data.child] } };
    }
    case 'ChangeRequested': {
      const { requestId, category, changes, childId } = event.data;
      const request: FamilyRequestState = { ...toPayload(category, changes), status: 'pending', ...(childId ? { childId } : {}) };
      return { ...state, requests: { ...state.requests, [requestId]: request } };
    }
    case 'ChangeRequestAccepted': {
      const { requestId, category, changes, childId, addedChildId } = event.data;
      return {
        record: state.record ? applyAcceptedChange(state.record, category, changes, childId, addedChildId) : null,
        requests: withStatus(state.requests, requestId, 'accepted'),
      };
    }
    case 'ChangeRequestRefused':
      return { ...state, requests: withStatus(state.requests, event.data.requestId, 'refused') };
    default:
      return assertNever(event);
  }
}

function withStatus(requests: FamilyState['requests'], requestId: string, status: ChangeRequestStatus): FamilyState['requests'] {
  const request = requests[requestId];
  return request ? { ...requests, [requestId]: { ...request, status } } : requests;
}

function decide(command: FamilyCommand, state: FamilyState): FamilyEvent[] {
  if (READ_ONLY_ROLES.includes(command.actor.role)) {
    throw new DomainError('READ_ONLY_ROLE', 'Votre profil permet uniquement la consultation.', 'forbidden');
  }
  switch (command.type) {
    case 'RegisterFamily':
      return registerFamily(command, state);
    case 'AddChild':
      return addChild(command, state);
    case 'RequestAddressChange':
      return requestAdultChange(command, state, { address: command.address });
    case 'RequestContactChange':
      return requestAdultChange(command, state, command.changes);
    case 'RequestTaxInfoChange':
      return requestTaxInfoChange(command, state);
    case 'RequestCafChange':
      return requestCafChange(command, state);
    case 'RequestDirectDebit':
      return requestDirectDebit(command, state);
    case 'RequestChildAddition':
      return requestChildAddition(command, state);
    case 'RequestAuthorizationsChange':
      return requestChildChange(command, state, { category: 'authorizations', changes: command.changes });
    case 'RequestHealthDataChange':
      return requestChildChange(command, state, { category: 'health', changes: command.changes });
    case 'AcceptChangeRequest':
      return acceptChangeRequest(command, state);
    case 'RefuseChangeRequest':
      return refuseChangeRequest(command, state);
    default:
      return assertNever(command);
  }
}

// --- staff: the record itself ------------------------------------------------------------------------

function registerFamily(command: RegisterFamily, state: FamilyState): FamilyEvent[] {
  requireStaff(command);
  if (state.record) {
    throw new DomainError('FAMILY_ALREADY_REGISTERED', 'Cette famille est déjà enregistrée.', 'conflict');
  }
  const children = command.children ?? [];
  const ids = new Set(children.map((c) => c.childId));
  if (ids.size !== children.length) {
    throw new DomainError('DUPLICATE_CHILD_ID', 'Deux enfants de la famille portent le même identifiant.', 'invalid');
  }
  return [
    {
      type: 'FamilyRegistered',
      data: {
        familyId: command.familyId,
        familyNumber: command.familyNumber,
        commune: command.commune,
        guardian: command.guardian,
        ...(command.spouse ? { spouse: command.spouse } : {}),
        children,
        registeredAt: command.at,
        registeredBy: command.actor.userId,
      },
    },
  ];
}

function addChild(command: AddChild, state: FamilyState): FamilyEvent[] {
  requireStaff(command);
  const record = requireRecord(command, state);
  if (record.children.some((c) => c.childId === command.childId)) {
    throw new DomainError('CHILD_ALREADY_EXISTS', 'Un enfant portant cet identifiant figure déjà sur la fiche famille.', 'conflict');
  }
  return [
    {
      type: 'ChildAdded',
      data: { child: { ...command.child, childId: command.childId }, addedAt: command.at, addedBy: command.actor.userId },
    },
  ];
}

// --- parents: change requests ------------------------------------------------------------------------

type RequestCommand = Exclude<FamilyCommand, RegisterFamily | AddChild | AcceptChangeRequest | RefuseChangeRequest>;

function requestAdultChange(
  command: RequestAddressChange | RequestContactChange,
  state: FamilyState,
  changes: AdultChanges,
): FamilyEvent[] {
  const record = requireRecord(command, state);
  requireNewRequestId(command, state);
  if (command.person === 'spouse' && !record.spouse && (!changes.lastName?.trim() || !changes.firstName?.trim())) {
    throw new DomainError(
      'SPOUSE_NAME_REQUIRED',
      'Aucun conjoint ne figure sur votre fiche famille : pour en ajouter un, indiquez au moins son nom et son prénom.',
      'invalid',
    );
  }
  const payload: ChangePayload = command.person === 'guardian' ? { category: 'guardian', changes } : { category: 'spouse', changes };
  return [changeRequested(command, state, record, payload)];
}

function requestTaxInfoChange(command: RequestTaxInfoChange, state: FamilyState): FamilyEvent[] {
  const record = requireRecord(command, state);
  requireNewRequestId(command, state);
  const { referenceIncomeCents, taxShares, year } = command.changes;
  if (referenceIncomeCents != null && !(Number.isSafeInteger(referenceIncomeCents) && referenceIncomeCents >= 0)) {
    throw new DomainError('INVALID_TAX_INFO', 'Le revenu fiscal de référence doit être un montant positif.', 'invalid');
  }
  if (taxShares != null && !(taxShares >= 1 && taxShares <= 20 && Number.isInteger(taxShares * 4))) {
    throw new DomainError(
      'INVALID_TAX_INFO',
      'Le nombre de parts fiscales doit être compris entre 1 et 20, par quart de part (ex. 2,5).',
      'invalid',
    );
  }
  const currentYear = Number(parisDate(command.at).slice(0, 4));
  if (year != null && !(Number.isInteger(year) && year >= 2000 && year <= currentYear)) {
    throw new DomainError('INVALID_TAX_INFO', `L'année de l'avis d'imposition doit être comprise entre 2000 et ${currentYear}.`, 'invalid');
  }
  return [changeRequested(command, state, record, { category: 'tax', changes: command.changes })];
}

function requestCafChange(command: RequestCafChange, state: FamilyState): FamilyEvent[] {
  const record = requireRecord(command, state);
  requireNewRequestId(command, state);
  const { regime, allocataireNumber, quotientFamilial } = command.changes;
  if (!/^\d{1,10}$/.test(allocataireNumber)) {
    throw new DomainError('INVALID_ALLOCATAIRE_NUMBER', "Le numéro d'allocataire doit comporter de 1 à 10 chiffres.", 'invalid');
  }
  if (!Number.isInteger(quotientFamilial) || quotientFamilial < 0 || quotientFamilial > QUOTIENT_FAMILIAL_MAX) {
    throw new DomainError(
      'INVALID_QUOTIENT_FAMILIAL',
      'Le quotient familial doit être un nombre entier compris entre 0 et 100 000.',
      'invalid',
    );
  }
  return [changeRequested(command, state, record, { category: 'caf', changes: { regime, allocataireNumber, quotientFamilial } })];
}

/** Countries whose banks may use a BIC of another country listed with them (same banking system). */
const BIC_COUNTRY_GROUPS: readonly (readonly string[])[] = [
  ['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM', 'BL', 'MF', 'NC', 'PF', 'WF', 'MC'],
  ['GB', 'GG', 'JE', 'IM'],
];

function sameBankingCountry(ibanCountry: string, bicCountry: string): boolean {
  if (ibanCountry === bicCountry) return true;
  return BIC_COUNTRY_GROUPS.some((group) => group.includes(ibanCountry) && group.includes(bicCountry));
}

function requestDirectDebit(command: RequestDirectDebit, state: FamilyState): FamilyEvent[] {
  const record = requireRecord(command, state);
  requireNewRequestId(command, state);
  const accountHolder = command.accountHolder.trim();
  if (!accountHolder) {
    throw new DomainError('ACCOUNT_HOLDER_REQUIRED', 'Indiquez le titulaire du compte.', 'invalid');
  }
  const iban = electronicFormatIBAN(command.iban.toUpperCase()) ?? '';
  if (!isValidIBAN(iban)) {
    throw new DomainError(
      'INVALID_IBAN',
      "L'IBAN indiqué n'est pas valide. Recopiez-le depuis votre relevé d'identité bancaire (RIB).",
      'invalid',
    );
  }
  const bic = command.bic.replace(/\s+/g, '').toUpperCase();
  if (!isValidBIC(bic)) {
    throw new DomainError(
      'INVALID_BIC',
      "Le BIC indiqué n'est pas valide : il comporte 8 ou 11 caractères (par exemple BNPAFRPP).",
      'invalid',
    );
  }
  const bicCountry = extractBIC(bic).countryCode ?? '';
  if (!sameBankingCountry(iban.slice(0, 2), bicCountry)) {
    throw new DomainError(
      'IBAN_BIC_MISMATCH',
      "Le BIC ne correspond pas au pays de l'IBAN. Vérifiez les deux sur votre relevé d'identité bancaire (RIB).",
      'invalid',
    );
  }
  const bankName = command.bankName?.trim();
  const changes: BankChanges = {
    directDebit: true,
    accountHolder,
    iban,
    bic,
    ...(bankName ? { bankName } : {}),
    mandateRequestedAt: command.at,
  };
  return [changeRequested(command, state, record, { category: 'bank', changes })];
}

function requestChildAddition(command: RequestChildAddition, state: FamilyState): FamilyEvent[] {
  const record = requireRecord(command, state);
  requireNewRequestId(command, state);
  const { birthDate, firstName } = command.child;
  const today = parisDate(command.at);
  if (!isCalendarDate(birthDate)) {
    throw new DomainError('INVALID_BIRTH_DATE', "La date de naissance n'est pas une date valide (format AAAA-MM-JJ).", 'invalid');
  }
  if (birthDate > today) {
    throw new DomainError('INVALID_BIRTH_DATE', 'La date de naissance ne peut pas être dans le futur.', 'invalid');
  }
  if (birthDate < yearsBefore(today, 18)) {
    throw new DomainError('INVALID_BIRTH_DATE', "L'enfant doit avoir moins de 18 ans.", 'invalid');
  }
  const sameChild = record.children.find(
    (c) => c.birthDate === birthDate && c.firstName.trim().toLowerCase() === firstName.trim().toLowerCase(),
  );
  if (sameChild) {
    throw new DomainError(
      'CHILD_ALREADY_REGISTERED',
      `${sameChild.firstName}, né(e) le ${frenchDate(birthDate)}, figure déjà sur votre fiche famille.`,
      'conflict',
    );
  }
  return [changeRequested(command, state, record, { category: 'child', changes: command.child })];
}

function requestChildChange(
  command: RequestAuthorizationsChange | RequestHealthDataChange,
  state: FamilyState,
  payload: ChangePayload,
): FamilyEvent[] {
  const record = requireRecord(command, state);
  requireNewRequestId(command, state);
  if (!record.children.some((c) => c.childId === command.childId)) {
    throw new DomainError('CHILD_NOT_FOUND', 'Cet enfant ne figure pas sur votre fiche famille.', 'not_found');
  }
  return [changeRequested(command, state, record, payload, command.childId)];
}

/** The checks every request shares once its own input is valid, then the event. */
function changeRequested(
  command: RequestCommand,
  state: FamilyState,
  record: FamilyRecord,
  payload: ChangePayload,
  childId?: string,
): ChangeRequested {
  const child = childId ? record.children.find((c) => c.childId === childId) : undefined;
  const pending = Object.values(state.requests).some(
    (r) => r.status === 'pending' && r.category === payload.category && r.childId === childId,
  );
  if (pending) {
    const label = CHANGE_CATEGORY_LABELS[payload.category];
    const forChild = child ? ` pour ${child.firstName}` : '';
    throw new DomainError('REQUEST_ALREADY_PENDING', `Une demande « ${label} » est déjà en attente de traitement${forChild}.`, 'conflict', {
      category: payload.category,
      ...(childId ? { childId } : {}),
    });
  }
  if (changesNothing(record, payload, childId)) {
    throw new DomainError(
      'NOTHING_TO_CHANGE',
      'Votre demande ne modifie rien : les informations indiquées sont déjà celles de votre fiche famille.',
      'invalid',
    );
  }
  const childName = payload.category === 'child' ? payload.changes.firstName : child?.firstName;
  const data: ChangeRequestedData = {
    ...payload,
    requestId: command.requestId,
    ...(childId ? { childId } : {}),
    requestedAt: command.at,
    requestedBy: command.actor.userId,
    familyNumber: record.familyNumber,
    commune: record.commune,
    requesterName: displayName(record.guardian),
    ...(childName ? { childName } : {}),
  };
  return { type: 'ChangeRequested', data };
}

function changesNothing(record: FamilyRecord, payload: ChangePayload, childId?: string): boolean {
  switch (payload.category) {
    case 'child':
      return false; // always adds a child; duplicates are refused before
    case 'bank': {
      // The mandate date is not something the parent asks to change: compare the bank details only.
      if (!record.bank) return false;
      const { mandateRequestedAt, ...asked } = payload.changes;
      const { mandateRequestedAt: previous, ...details } = record.bank;
      return jsonEqual(asked, details);
    }
    default:
      return jsonEqual(applyPayload(record, payload, childId), record);
  }
}

// --- staff: deciding requests ------------------------------------------------------------------------

function decidableRequest(command: AcceptChangeRequest | RefuseChangeRequest, state: FamilyState): FamilyRequestState {
  requireStaff(command);
  requireRecord(command, state);
  const request = state.requests[command.requestId];
  if (!request) {
    throw new DomainError('REQUEST_NOT_FOUND', 'Cette demande est introuvable.', 'not_found');
  }
  if (request.status !== 'pending') {
    const decided = request.status === 'accepted' ? 'acceptée' : 'refusée';
    throw new DomainError('REQUEST_ALREADY_DECIDED', `Cette demande a déjà été ${decided}.`, 'conflict', {
      status: request.status,
    });
  }
  return request;
}

function acceptChangeRequest(command: AcceptChangeRequest, state: FamilyState): ChangeRequestAccepted[] {
  const request = decidableRequest(command, state);
  const record = state.record as FamilyRecord; // checked by decidableRequest
  const payload = toPayload(request.category, request.changes);
  const addedChildId = payload.category === 'child' ? childIdForRequest(command.requestId) : undefined;
  const obstacle = whyNotApplicable(record, payload, request.childId, addedChildId);
  if (obstacle) {
    throw new DomainError(
      'CHANGE_NO_LONGER_APPLICABLE',
      `Cette demande ne peut plus être appliquée : ${obstacle} Refusez-la en indiquant le motif.`,
      'conflict',
    );
  }
  return [
    {
      type: 'ChangeRequestAccepted',
      data: {
        ...payload,
        requestId: command.requestId,
        ...(request.childId ? { childId: request.childId } : {}),
        acceptedAt: command.at,
        acceptedBy: command.actor.userId,
        ...(addedChildId ? { addedChildId } : {}),
      },
    },
  ];
}

function whyNotApplicable(record: FamilyRecord, payload: ChangePayload, childId?: string, addedChildId?: string): string | null {
  switch (payload.category) {
    case 'authorizations':
    case 'health':
      return record.children.some((c) => c.childId === childId) ? null : "l'enfant concerné ne figure plus sur la fiche famille.";
    case 'spouse':
      return record.spouse || (payload.changes.lastName && payload.changes.firstName)
        ? null
        : 'aucun conjoint ne figure sur la fiche famille.';
    case 'child':
      return record.children.some((c) => c.childId === addedChildId) ? "l'enfant a déjà été ajouté à la fiche famille." : null;
    case 'guardian':
    case 'tax':
    case 'caf':
    case 'bank':
      return null;
    default:
      return assertNever(payload);
  }
}

function refuseChangeRequest(command: RefuseChangeRequest, state: FamilyState): ChangeRequestRefused[] {
  const request = decidableRequest(command, state);
  const reason = (command.reason ?? '').trim();
  if (!reason || reason.length > REFUSAL_REASON_MAX_LENGTH) {
    throw new DomainError(
      'REFUSAL_REASON_REQUIRED',
      `Indiquez le motif du refus (${REFUSAL_REASON_MAX_LENGTH} caractères au plus) : il est communiqué à la famille.`,
      'invalid',
    );
  }
  return [
    {
      type: 'ChangeRequestRefused',
      data: {
        requestId: command.requestId,
        category: request.category,
        ...(request.childId ? { childId: request.childId } : {}),
        reason,
        refusedAt: command.at,
        refusedBy: command.actor.userId,
      },
    },
  ];
}

// --- shared guards -----------------------------------------------------------------------------------

function requireStaff(command: FamilyCommand): void {
  if (!STAFF_ROLES.includes(command.actor.role)) {
    throw new DomainError('STAFF_ONLY', 'Cette action est réservée aux agents de la commune.', 'forbidden');
  }
}

function requireRecord(command: FamilyCommand, state: FamilyState): FamilyRecord {
  if (!state.record || state.record.familyId !== command.familyId) {
    throw new DomainError('FAMILY_NOT_FOUND', "Aucune fiche famille n'a été trouvée.", 'not_found');
  }
  return state.record;
}

function requireNewRequestId(command: RequestCommand, state: FamilyState): void {
  if (state.requests[command.requestId]) {
    throw new DomainError('REQUEST_ALREADY_EXISTS', 'Cette demande a déjà été enregistrée.', 'conflict');
  }
}

// --- small pure helpers ------------------------------------------------------------------------------

const PARIS_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Europe/Paris calendar date (YYYY-MM-DD) of an ISO instant. */
function parisDate(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) throw new Error(`Invalid command instant: ${instant}`);
  return PARIS_DATE.format(date);
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Same day n years earlier, as a comparable YYYY-MM-DD string (29 Feb compares correctly as text). */
function yearsBefore(date: string, years: number): string {
  return `${String(Number(date.slice(0, 4)) - years).padStart(4, '0')}${date.slice(4)}`;
}

function frenchDate(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}
