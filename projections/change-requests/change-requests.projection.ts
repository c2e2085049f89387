import { familyEvents } from '../../src/modules/families/families.events';
import {
  type AdultChanges,
  CHANGE_CATEGORY_LABELS,
  type ChangeCategory,
  type ChangePayload,
  type ChangeRequestStatus,
  type ChangesByCategory,
  type HealthChanges,
} from '../../src/modules/families/families.types';
import type { ProjectedEvent, ProjectionDefinition } from '../../src/platform/projections/projection';
import { familyIdOfEvent } from '../family-record/family-record.projection';

/**
 * "Liste des demandes": one document per change request (id = requestId), kept after its decision.
 * Parents read their requests of the last month (familyId + requestedAt >= now - 1 month), filtered by
 * category; staff read the pending ones (status 'pending', requestedAt ascending).
 */
export type ChangeRequestDocument = {
  requestId: string;
  familyId: string;
  familyNumber?: string;
  category: ChangeCategory;
  /** French label of the category: Responsable, Conjoint, Fiscales... */
  categoryLabel: string;
  childId?: string;
  childName?: string;
  status: ChangeRequestStatus;
  requestedAt: string;
  requestedBy: string;
  decidedAt?: string;
  decidedBy?: string;
  /** the refusal reason ("Motif du refus") */
  reason?: string;
  /** for an accepted 'child' request: the id of the child added to the record */
  addedChildId?: string;
  changes: ChangesByCategory[ChangeCategory];
  /** a short French description of the change */
  summary: string;
};

export const CHANGE_REQUEST_EVENT_TYPES = ['ChangeRequested', 'ChangeRequestAccepted', 'ChangeRequestRefused'] as const;

/** The request a change-request event is about (its document id in request read models). */
export function requestIdOfEvent(event: ProjectedEvent): string[] {
  const requestId = event.data.requestId;
  return typeof requestId === 'string' && requestId ? [requestId] : [];
}

export const changeRequestsProjection: ProjectionDefinition<ChangeRequestDocument> = {
  name: 'change-requests',
  version: 1,
  eventTypes: [...CHANGE_REQUEST_EVENT_TYPES],
  indexedFields: ['familyId', 'status', 'category', 'requestedAt'],

  documentIds: requestIdOfEvent,

  evolve(document, event) {
    const familyEvent = familyEvents.narrow(event);
    if (!familyEvent) return document;
    switch (familyEvent.type) {
      case 'ChangeRequested': {
        const data = familyEvent.data;
        const familyId = familyIdOfEvent(event) ?? '';
        return {
          requestId: data.requestId,
          familyId,
          familyNumber: data.familyNumber,
          category: data.category,
          categoryLabel: CHANGE_CATEGORY_LABELS[data.category],
          ...(data.childId ? { childId: data.childId } : {}),
          ...(data.childName ? { childName: data.childName } : {}),
          status: 'pending',
          requestedAt: data.requestedAt,
          requestedBy: data.requestedBy,
          changes: data.changes,
          summary: summarizeChange(data, data.childName),
        };
      }
      case 'ChangeRequestAccepted': {
        if (!document) return null;
        const { acceptedAt, acceptedBy, addedChildId } = familyEvent.data;
        return {
          ...document,
          status: 'accepted',
          decidedAt: acceptedAt,
          decidedBy: acceptedBy,
          ...(addedChildId ? { addedChildId } : {}),
        };
      }
      case 'ChangeRequestRefused': {
        if (!document) return null;
        const { refusedAt, refusedBy, reason } = familyEvent.data;
        return { ...document, status: 'refused', decidedAt: refusedAt, decidedBy: refusedBy, reason };
      }
      case 'FamilyRegistered':
      case 'ChildAdded':
        return document;
      default: {
        const unexpected: never = familyEvent;
        throw new Error(`Unexpected family event ${JSON.stringify(unexpected)}`);
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------------
// Summary: one line of French a parent or an agent reads in a list
// ---------------------------------------------------------------------------------------------------

const yesNo = (value: boolean): string => (value ? 'Oui' : 'Non');

function frenchDate(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

function euros(cents: number): string {
  const [units, decimals] = (cents / 100).toFixed(2).split('.');
  return `${units.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${decimals} €`;
}

/** Bank details are shown masked in lists: FR76 … 0189. */
export function maskIban(iban: string): string {
  return `${iban.slice(0, 4)} … ${iban.slice(-4)}`;
}

function adultSummary(changes: AdultChanges): string[] {
  const parts: string[] = [];
  const set = (label: string, value: string | null | undefined) => {
    if (value === undefined) return;
    parts.push(value === null ? `${label} supprimé(e)` : `${label} : ${value}`);
  };
  if (changes.address) {
    const { line1, line2, postalCode, city } = changes.address;
    parts.push(`Nouvelle adresse : ${[line1, line2].filter(Boolean).join(', ')}, ${postalCode} ${city}`);
  }
  set('Civilité', changes.civility);
  set('Nom', changes.lastName);
  set('Prénom', changes.firstName);
  set('Qualité', changes.quality);
  set('Situation', changes.situation);
  set('Téléphone domicile', changes.phones?.home);
  set('Téléphone prof.', changes.phones?.work);
  set('Mobile', changes.phones?.mobile);
  set('E-mail', changes.email);
  set('Profession', changes.profession);
  set('CSP', changes.csp);
  set('Employeur', changes.employer);
  set('Adresse employeur', changes.employerAddress);
  if (changes.emailConsent !== undefined) parts.push(`Autorisation courriel : ${yesNo(changes.emailConsent)}`);
  if (changes.smsConsent !== undefined) parts.push(`Autorisation SMS : ${yesNo(changes.smsConsent)}`);
  return parts;
}

/** Health data is sensitive: list views name what changes, not the values. */
function healthSummary(changes: HealthChanges): string[] {
  const parts: string[] = [];
  if (changes.allergies !== undefined) parts.push('allergies');
  if (changes.pai !== undefined || changes.paiDetails !== undefined) parts.push('PAI');
  if (changes.glasses !== undefined) parts.push('lunettes');
  if (changes.vaccinations !== undefined) parts.push('vaccinations');
  if (changes.doctor !== undefined) parts.push('médecin traitant');
  return parts;
}

export function summarizeChange(payload: ChangePayload, childName?: string): string {
  const forChild = (text: string) => (childName ? `${childName} : ${text}` : text);
  switch (payload.category) {
    case 'guardian':
    case 'spouse':
      return adultSummary(payload.changes).join(' ; ');
    case 'tax': {
      const { referenceIncomeCents, taxShares, year } = payload.changes;
      const parts: string[] = [];
      if (referenceIncomeCents !== undefined) {
        parts.push(`Revenu fiscal de référence : ${referenceIncomeCents === null ? 'supprimé' : euros(referenceIncomeCents)}`);
      }
      if (taxShares !== undefined) parts.push(`Parts : ${taxShares === null ? 'supprimé' : String(taxShares).replace('.', ',')}`);
      if (year !== undefined) parts.push(`Année : ${year === null ? 'supprimée' : year}`);
      return parts.join(' ; ');
    }
    case 'caf': {
      const { regime, allocataireNumber, quotientFamilial } = payload.changes;
      return `${regime}, allocataire n° ${allocataireNumber}, quotient familial ${quotientFamilial}`;
    }
    case 'bank': {
      const { accountHolder, iban, bankName } = payload.changes;
      const bank = bankName ? `, ${bankName}` : '';
      return `Prélèvement automatique : ${accountHolder}, IBAN ${maskIban(iban)}${bank}`;
    }
    case 'child': {
      const { firstName, lastName, birthDate, sex } = payload.changes;
      return `Ajout de l'enfant ${firstName} ${lastName}, ${sex === 'F' ? 'née' : 'né'} le ${frenchDate(birthDate)}`;
    }
    case 'authorizations': {
      const { authorizedPickups, photoConsent, mayLeaveAlone } = payload.changes;
      const parts: string[] = [];
      if (authorizedPickups !== undefined) {
        const names = authorizedPickups.map((p) => p.name).join(', ');
        parts.push(`personnes autorisées : ${names || 'aucune'}`);
      }
      if (photoConsent !== undefined) parts.push(`droit à l'image : ${yesNo(photoConsent)}`);
      if (mayLeaveAlone !== undefined) parts.push(`départ seul : ${yesNo(mayLeaveAlone)}`);
      return forChild(parts.join(' ; '));
    }
    case 'health':
      return forChild(`mise à jour des données sanitaires (${healthSummary(payload.changes).join(', ')})`);
    default: {
      const unexpected: never = payload;
      throw new Error(`Unexpected change ${JSON.stringify(unexpected)}`);
    }
  }
}
