import type { Tariff } from '../modules/billing/billing.types';
import type { RegieSettings } from '../modules/billing/regies/regie.decider';
import { ALSH_MERCREDI_ID, RESTAURATION_ID } from '../modules/planning/catalog/catalog.examples';
import { DEMO_FAMILY_DUPONT } from './demo-data';

/**
 * Demo billing: the two régies the seed's activities name, their tariffs, and the DUPONT family's 2014-2015
 * history from the tutorial (AL-12 243,20 €, cheque AL-228 243,20 €, AL-36 120,60 € due 30/04/2015), imported
 * as a commune switching from its previous software would import it.
 */
export const DEMO_REGIES: { regieId: string; settings: RegieSettings }[] = [
  {
    regieId: 'regie-garderie-alsh',
    settings: {
      name: 'Régie garderie ALSH',
      prefix: 'AL',
      communes: ['SAINT-JEAN'],
      paymentMeans: ['cheque', 'cash', 'transfer', 'cesu', 'card-desk', 'card-online'],
      dueAfterDays: 15,
      deskInformation: 'Mairie de Saint-Jean, service Enfance : lundi au vendredi, 8 h 30 – 12 h',
    },
  },
  {
    regieId: 'regie-restauration-scolaire',
    settings: {
      name: 'Régie restauration scolaire',
      prefix: 'RS',
      communes: ['SAINT-JEAN'],
      paymentMeans: ['cheque', 'cash', 'transfer', 'card-desk', 'card-online'],
      dueAfterDays: 15,
    },
  },
];

const always = { validFrom: '2014-09-01', validTo: null, siblingReductions: [] };

export const DEMO_TARIFFS: { regieId: string; tariff: Tariff }[] = [
  {
    regieId: 'regie-garderie-alsh',
    tariff: {
      ...always,
      tariffId: 'alsh-mercredi-residents',
      activityId: ALSH_MERCREDI_ID,
      label: 'Mercredi après-midi',
      usage: 'booking',
      category: 'resident',
      periodKind: '*',
      mode: {
        kind: 'qf-bands',
        bands: [
          { minQf: 0, cents: 450 },
          { minQf: 600, cents: 780 },
          { minQf: 1000, cents: 1005 },
          { minQf: 1500, cents: 1206 },
        ],
      },
      siblingReductions: [{ fromRank: 3, percent: 50 }],
    },
  },
  {
    regieId: 'regie-garderie-alsh',
    tariff: {
      ...always,
      tariffId: 'alsh-mercredi-exterieurs',
      activityId: ALSH_MERCREDI_ID,
      label: 'Mercredi après-midi (hors commune)',
      usage: 'booking',
      category: 'non-resident',
      periodKind: '*',
      mode: { kind: 'effort-rate', rateBasisPoints: 120, minCents: 900, maxCents: 1500 },
    },
  },
  {
    regieId: 'regie-garderie-alsh',
    tariff: {
      ...always,
      tariffId: 'alsh-hors-contrat',
      activityId: ALSH_MERCREDI_ID,
      label: 'Heure hors contrat',
      usage: 'out-of-contract',
      category: '*',
      periodKind: '*',
      mode: { kind: 'fixed', unit: 'unit', cents: 250 },
    },
  },
  {
    regieId: 'regie-restauration-scolaire',
    tariff: {
      ...always,
      tariffId: 'cantine-qf',
      activityId: RESTAURATION_ID,
      label: 'Repas',
      usage: 'booking',
      category: '*',
      periodKind: '*',
      // DOMAIN.md: QF 0–599 → 1,00 €, 600–999 → 3,05 €, 1000–1499 → 3,10 €, ≥ 1500 → 3,15 €; a third child at 50 %
      mode: {
        kind: 'qf-bands',
        bands: [
          { minQf: 0, cents: 100 },
          { minQf: 600, cents: 305 },
          { minQf: 1000, cents: 310 },
          { minQf: 1500, cents: 315 },
        ],
      },
      siblingReductions: [{ fromRank: 3, percent: 50 }],
    },
  },
];

export const DEMO_LEDGER_FILE = 'historique-2014-2015.csv';
export const DEMO_LEDGER = [
  'type;famille;regie;numero;date;debut;fin;echeance;montant;moyen;affecte_a',
  `facture;${DEMO_FAMILY_DUPONT};regie-garderie-alsh;AL-12;2015-04-08;2015-02-01;2015-03-31;2015-04-23;243,20;;`,
  `reglement;${DEMO_FAMILY_DUPONT};regie-garderie-alsh;AL-228;2015-04-08;;;;243,20;cheque;AL-12`,
  `facture;${DEMO_FAMILY_DUPONT};regie-garderie-alsh;AL-36;2015-04-08;2015-04-01;2015-04-30;2015-04-30;120,60;;`,
].join('\n');
