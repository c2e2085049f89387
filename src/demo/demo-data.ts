import type { Principal } from '../platform/commands/command-context';
import type { RegisterFamily } from '../modules/families/families.decider';

/**
 * Demo data of the embedded runtime: the seed's DUPONT family (N° 1001001818331), a second family to show
 * that a parent only reaches their own, and the demo accounts that stand in for real logins until the
 * identity module lands. Tokens are accepted in embedded mode only.
 */
export const DEMO_FAMILY_DUPONT = '1001001818331';
export const DEMO_FAMILY_MARTIN = '1001001818332';

export const DEMO_PRINCIPALS: Record<string, Principal> = {
  'demo-parent-dupont': { userId: 'parent-dupont', role: 'parent', familyId: DEMO_FAMILY_DUPONT, displayName: 'JEAN DUPONT' },
  'demo-parent-martin': { userId: 'parent-martin', role: 'parent', familyId: DEMO_FAMILY_MARTIN, displayName: 'CLAIRE MARTIN' },
  'demo-staff': { userId: 'agent-accueil', role: 'staff', scope: ['SAINT-JEAN', 'PEAUGRES'], displayName: 'Agent du SIEJ' },
  'demo-auditor': { userId: 'auditeur', role: 'auditor', scope: ['*'], displayName: 'Auditeur' },
  'demo-admin': { userId: 'admin', role: 'admin', displayName: 'Administrateur' },
};

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
      address: { line1: '3 PLACE DE L\'EGLISE', postalCode: '07340', city: 'PEAUGRES' },
      phones: { mobile: '06 11 22 33 44' },
      email: 'claire.martin@example.fr',
      emailConsent: true,
      smsConsent: true,
      organismeRattachement: 'CAF',
    },
    children: [],
  },
];
