import type { RegisterFamily } from '../modules/families/families.decider';
import {
  ALSH_FACILITY,
  ALSH_MERCREDI_CONFIG,
  ALSH_MERCREDI_ID,
  PERISCOLAIRE_FACILITY,
  RESTAURATION_CONFIG,
  RESTAURATION_ID,
} from '../modules/planning/catalog/catalog.examples';
import type { ActivityConfig } from '../modules/planning/catalog/catalog-config.rules';
import type { Facility } from '../modules/planning/planning.types';

/**
 * Demo data of the embedded runtime: the seed's DUPONT family (N° 1001001818331), a second family in another
 * commune to show that a parent only reaches their own family and an agent only their communes, and one
 * account of each kind.
 */
export const DEMO_FAMILY_DUPONT = '1001001818331';
export const DEMO_FAMILY_MARTIN = '1001001818332';

/**
 * Demo accounts, created and activated on first start with this password (shown in the README; the
 * embedded runtime's demo data only — never in server mode).
 */
export const DEMO_PASSWORD = 'Tournesol-Vert-2026';

export interface DemoAccount {
  login: string;
  role: 'parent' | 'staff' | 'auditor' | 'admin';
  displayName: string;
  email: string;
  familyId?: string;
  scope?: string[];
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { login: DEMO_FAMILY_DUPONT, role: 'parent', familyId: DEMO_FAMILY_DUPONT, displayName: 'JEAN DUPONT', email: 'jean.dupont@wanadoo.fr' },
  { login: 'jeanne.dupont', role: 'parent', familyId: DEMO_FAMILY_DUPONT, displayName: 'JEANNE DUPONT', email: 'jeanne.dupont@example.fr' },
  {
    login: DEMO_FAMILY_MARTIN,
    role: 'parent',
    familyId: DEMO_FAMILY_MARTIN,
    displayName: 'CLAIRE MARTIN',
    email: 'claire.martin@example.fr',
  },
  {
    login: 'agent.saint-jean',
    role: 'staff',
    scope: ['SAINT-JEAN'],
    displayName: 'Agent de Saint-Jean',
    email: 'enfance@saint-jean.example.fr',
  },
  { login: 'agent.peaugres', role: 'staff', scope: ['PEAUGRES'], displayName: 'Agent de Peaugres', email: 'enfance@peaugres.example.fr' },
  { login: 'auditeur', role: 'auditor', scope: ['*'], displayName: 'Auditeur du SIEJ', email: 'audit@siej.example.fr' },
  { login: 'admin', role: 'admin', displayName: 'Administrateur du portail', email: 'gestion.portail@siej.example.fr' },
];

type Registration = Omit<RegisterFamily, 'at' | 'actor'>;

export const DEMO_FAMILIES: Registration[] = [
  {
    type: 'RegisterFamily',
    familyId: DEMO_FAMILY_DUPONT,
    familyNumber: DEMO_FAMILY_DUPONT,
    commune: 'SAINT-JEAN',
    guardian: {
      civility: 'M.',
      lastName: 'DUPONT',
      firstName: 'JEAN',
      quality: 'Père',
      situation: 'Séparé(e)',
      address: { line1: '12 RUE DES BONBONS', postalCode: '31400', city: 'SAINT-JEAN' },
      phones: { home: '01 02 03 04 05' },
      email: 'jean.dupont@wanadoo.fr',
      accountHolder: 'DUPONT JEAN',
      emailConsent: true,
      smsConsent: false,
      organismeRattachement: '0',
    },
    spouse: {
      civility: 'Mme',
      lastName: 'DUPONT',
      firstName: 'JEANNE',
      quality: 'Mère',
      situation: 'Séparé(e)',
      address: { line1: 'Lotissement les bons bonbons.', postalCode: '31400', city: 'SAINT-JEAN' },
      phones: {},
      emailConsent: true,
      smsConsent: false,
    },
    children: [
      {
        childId: 'enfant-lucie-dupont',
        firstName: 'LUCIE',
        lastName: 'DUPONT',
        birthDate: '2008-03-14',
        sex: 'F',
        school: 'École élémentaire de Saint-Jean',
        status: 'enrolled',
        authorizations: {
          authorizedPickups: [{ name: 'DUPONT JEANNE', phone: '06 12 34 56 78', relationship: 'Mère' }],
          photoConsent: true,
          mayLeaveAlone: false,
        },
        health: { allergies: [], pai: false, glasses: false, vaccinations: [] },
      },
    ],
  },
  {
    type: 'RegisterFamily',
    familyId: DEMO_FAMILY_MARTIN,
    familyNumber: DEMO_FAMILY_MARTIN,
    commune: 'PEAUGRES',
    guardian: {
      civility: 'Mme',
      lastName: 'MARTIN',
      firstName: 'CLAIRE',
      quality: 'Mère',
      situation: 'Marié(e)',
      address: { line1: "3 PLACE DE L'EGLISE", postalCode: '07340', city: 'PEAUGRES' },
      phones: { mobile: '06 11 22 33 44' },
      email: 'claire.martin@example.fr',
      emailConsent: true,
      smsConsent: true,
      organismeRattachement: 'CAF',
    },
    children: [],
  },
];

/** The seed's activities, in SAINT-JEAN (src/modules/planning/catalog/catalog.examples.ts). */
export const DEMO_CATALOG: { facility: Facility; activities: [string, ActivityConfig][] }[] = [
  { facility: ALSH_FACILITY, activities: [[ALSH_MERCREDI_ID, ALSH_MERCREDI_CONFIG]] },
  { facility: PERISCOLAIRE_FACILITY, activities: [[RESTAURATION_ID, RESTAURATION_CONFIG]] },
];
