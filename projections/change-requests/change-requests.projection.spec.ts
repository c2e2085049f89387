import { type FamilyCommand } from '../../src/modules/families/families.decider';
import type { ProjectedEvent } from '../../src/platform/projections/projection';
import { asJean, asProjectedEvents, asStaff, DUPONT_FAMILY_ID, LUCAS_ID, SEED_NOW, staffUser } from '../../test/support/fixtures/dupont';
import { dupontHistory, projectAll } from '../../test/support/projection-harness';
import { type ChangeRequestDocument, changeRequestsProjection, summarizeChange } from './change-requests.projection';

const LATER = '2015-04-09T09:30:00.000Z';

const history = dupontHistory;
const project = (events: ProjectedEvent[]): Map<string, ChangeRequestDocument> => projectAll(changeRequestsProjection, events);

const NEW_ADDRESS = { line1: '3 ALLÉE DES PLATANES', line2: 'Bât. B', postalCode: '31400', city: 'SAINT-JEAN' };
const addressRequest: FamilyCommand = {
  type: 'RequestAddressChange',
  ...asJean(),
  requestId: 'req-1',
  person: 'guardian',
  address: NEW_ADDRESS,
};

describe('change-requests projection', () => {
  it('is one document per request, queried by family, status, category and date', () => {
    expect(changeRequestsProjection.name).toBe('change-requests');
    expect(changeRequestsProjection.indexedFields).toEqual(['familyId', 'status', 'category', 'requestedAt']);
    expect(changeRequestsProjection.eventTypes).not.toContain('FamilyRegistered');
  });

  it('records a pending request with its French label and summary', () => {
    const documents = project(asProjectedEvents(history([addressRequest])));
    expect(documents.get('req-1')).toEqual({
      requestId: 'req-1',
      familyId: DUPONT_FAMILY_ID,
      familyNumber: '1001001818331',
      category: 'guardian',
      categoryLabel: 'Responsable',
      status: 'pending',
      requestedAt: SEED_NOW,
      requestedBy: 'user-jean-dupont',
      changes: { address: NEW_ADDRESS },
      summary: 'Nouvelle adresse : 3 ALLÉE DES PLATANES, Bât. B, 31400 SAINT-JEAN',
    });
  });

  it('records the acceptance date and agent', () => {
    const events = history([addressRequest, { type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-1' }]);
    const document = project(asProjectedEvents(events)).get('req-1');
    expect(document).toMatchObject({ status: 'accepted', decidedAt: LATER, decidedBy: staffUser.userId });
    expect(document).not.toHaveProperty('reason');
  });

  it('records the refusal date, agent and reason', () => {
    const events = history([
      addressRequest,
      { type: 'RefuseChangeRequest', ...asStaff(LATER), requestId: 'req-1', reason: 'Justificatif de domicile manquant.' },
    ]);
    expect(project(asProjectedEvents(events)).get('req-1')).toMatchObject({
      status: 'refused',
      decidedAt: LATER,
      decidedBy: staffUser.userId,
      reason: 'Justificatif de domicile manquant.',
      summary: 'Nouvelle adresse : 3 ALLÉE DES PLATANES, Bât. B, 31400 SAINT-JEAN',
    });
  });

  it('keeps decided requests next to new ones', () => {
    const events = history([
      addressRequest,
      { type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-1' },
      { type: 'RequestContactChange', ...asJean(LATER), requestId: 'req-2', person: 'guardian', changes: { smsConsent: true } },
    ]);
    const documents = project(asProjectedEvents(events));
    expect([...documents.values()].map((d) => [d.requestId, d.status])).toEqual([
      ['req-1', 'accepted'],
      ['req-2', 'pending'],
    ]);
  });

  it('names the child of a child request, and the child added by an accepted announcement', () => {
    const events = history([
      { type: 'RequestAuthorizationsChange', ...asJean(), requestId: 'req-1', childId: LUCAS_ID, changes: { mayLeaveAlone: true } },
      {
        type: 'RequestChildAddition',
        ...asJean(),
        requestId: 'req-2',
        child: { firstName: 'LÉA', lastName: 'DUPONT', birthDate: '2011-06-02', sex: 'F' },
      },
      { type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-2' },
    ]);
    const documents = project(asProjectedEvents(events));
    expect(documents.get('req-1')).toMatchObject({
      category: 'authorizations',
      categoryLabel: 'Autorisations',
      childId: LUCAS_ID,
      childName: 'LUCAS',
      summary: 'LUCAS : départ seul : Oui',
    });
    expect(documents.get('req-2')).toMatchObject({
      category: 'child',
      categoryLabel: 'Enfants',
      childName: 'LÉA',
      status: 'accepted',
      addedChildId: 'child-req-2',
      summary: "Ajout de l'enfant LÉA DUPONT, née le 02/06/2011",
    });
  });
});

describe('summarizeChange', () => {
  it('describes contact changes, removals and consents', () => {
    expect(
      summarizeChange({ category: 'spouse', changes: { phones: { mobile: '06 11 22 33 44', work: null }, email: null, smsConsent: true } }),
    ).toBe('Téléphone prof. supprimé(e) ; Mobile : 06 11 22 33 44 ; E-mail supprimé(e) ; Autorisation SMS : Oui');
  });

  it('describes tax information in euros', () => {
    expect(summarizeChange({ category: 'tax', changes: { referenceIncomeCents: 3_200_050, taxShares: 2.5, year: 2014 } })).toBe(
      'Revenu fiscal de référence : 32 000,50 € ; Parts : 2,5 ; Année : 2014',
    );
  });

  it('describes CAF information', () => {
    expect(summarizeChange({ category: 'caf', changes: { regime: 'MSA', allocataireNumber: '42', quotientFamilial: 620 } })).toBe(
      'MSA, allocataire n° 42, quotient familial 620',
    );
  });

  it('masks the IBAN', () => {
    const summary = summarizeChange({
      category: 'bank',
      changes: {
        directDebit: true,
        accountHolder: 'DUPONT JEAN',
        iban: 'FR7630006000011234567890189',
        bic: 'AGRIFRPP',
        bankName: 'Crédit Agricole',
        mandateRequestedAt: SEED_NOW,
      },
    });
    expect(summary).toBe('Prélèvement automatique : DUPONT JEAN, IBAN FR76 … 0189, Crédit Agricole');
    expect(summary).not.toContain('30006000011234567890');
  });

  it('names what health data changes without showing it', () => {
    const summary = summarizeChange(
      { category: 'health', changes: { allergies: ['Arachide'], paiDetails: 'Trousse', doctor: null } },
      'LUCAS',
    );
    expect(summary).toBe('LUCAS : mise à jour des données sanitaires (allergies, PAI, médecin traitant)');
    expect(summary).not.toContain('Arachide');
  });

  it('lists the authorized pickup persons', () => {
    expect(
      summarizeChange(
        {
          category: 'authorizations',
          changes: {
            authorizedPickups: [{ name: 'MARTIN Odette', phone: '05 61 00 00 01', relationship: 'Grand-mère' }],
            photoConsent: false,
          },
        },
        'LUCAS',
      ),
    ).toBe("LUCAS : personnes autorisées : MARTIN Odette ; droit à l'image : Non");
  });
});
