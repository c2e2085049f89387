import { DeciderSpecification } from '../../../test/support/decider-specification';
import {
  asJean,
  asStaff,
  auditorUser,
  DUPONT_COMMUNE,
  DUPONT_FAMILY_ID,
  DUPONT_FAMILY_NUMBER,
  dupontGuardian,
  dupontRecord,
  dupontRegistered,
  dupontSpouse,
  jeanDupontUser,
  LUCAS_ID,
  lucasDupont,
  registerDupont,
  SEED_NOW,
  staffUser,
} from '../../../test/support/fixtures/dupont';
import { fold } from '../../platform/domain/decider';
import { applyAcceptedChange, childIdForRequest, familiesDecider, type FamilyState, type RequestDirectDebit } from './families.decider';
import type { ChangeRequested, ChangeRequestedData, FamilyEvent } from './families.events';
import type { Address, Child, FamilyRecord } from './families.types';

const spec = DeciderSpecification.for(familiesDecider);

const LATER = '2015-04-09T09:30:00.000Z';
const NEW_ADDRESS: Address = { line1: '3 ALLÉE DES PLATANES', postalCode: '31400', city: 'SAINT-JEAN' };

/** The ChangeRequested event the decider writes for JEAN DUPONT on the seed day. */
function requested(
  requestId: string,
  payload: Pick<ChangeRequestedData, 'category' | 'changes'>,
  extra: { childId?: string; childName?: string; requestedAt?: string } = {},
): ChangeRequested {
  return {
    type: 'ChangeRequested',
    data: {
      ...payload,
      requestId,
      ...(extra.childId ? { childId: extra.childId } : {}),
      requestedAt: extra.requestedAt ?? SEED_NOW,
      requestedBy: jeanDupontUser.userId,
      familyNumber: DUPONT_FAMILY_NUMBER,
      commune: DUPONT_COMMUNE,
      requesterName: 'DUPONT JEAN',
      ...(extra.childName ? { childName: extra.childName } : {}),
    } as ChangeRequestedData,
  };
}

const guardianAddressRequested = requested('req-1', { category: 'guardian', changes: { address: NEW_ADDRESS } });

function accepted(event: ChangeRequested, acceptedAt = LATER): FamilyEvent {
  const { requestId, category, changes, childId } = event.data;
  return {
    type: 'ChangeRequestAccepted',
    data: {
      requestId,
      category,
      changes,
      ...(childId ? { childId } : {}),
      acceptedAt,
      acceptedBy: staffUser.userId,
      ...(category === 'child' ? { addedChildId: childIdForRequest(requestId) } : {}),
    } as Extract<FamilyEvent, { type: 'ChangeRequestAccepted' }>['data'],
  };
}

function refused(event: ChangeRequested, reason = 'Justificatif manquant'): FamilyEvent {
  const { requestId, category, childId } = event.data;
  return {
    type: 'ChangeRequestRefused',
    data: { requestId, category, ...(childId ? { childId } : {}), reason, refusedAt: LATER, refusedBy: staffUser.userId },
  };
}

function recordAfter(events: FamilyEvent[]): FamilyRecord {
  const state: FamilyState = fold(familiesDecider, events);
  if (!state.record) throw new Error('no record');
  return state.record;
}

describe('families decider', () => {
  describe('RegisterFamily (staff)', () => {
    it('registers the DUPONT family with its guardian, spouse and children', () => {
      const state = spec.given([]).when(registerDupont()).then([dupontRegistered]);
      expect(state.record).toEqual(dupontRecord);
    });

    it('refuses to register a family twice (409 FAMILY_ALREADY_REGISTERED)', () => {
      spec.given([dupontRegistered]).when(registerDupont()).thenThrows('FAMILY_ALREADY_REGISTERED', 'conflict');
    });

    it('refuses two children with the same id (422 DUPLICATE_CHILD_ID)', () => {
      spec
        .given([])
        .when({ ...registerDupont(), children: [lucasDupont, { ...lucasDupont, firstName: 'LÉA' }] })
        .thenThrows('DUPLICATE_CHILD_ID', 'invalid');
    });

    it('is reserved to staff (403 STAFF_ONLY)', () => {
      spec
        .given([])
        .when({ ...registerDupont(), actor: { ...jeanDupontUser } })
        .thenThrows('STAFF_ONLY', 'forbidden');
    });

    it('refuses any command from a read-only auditor (403 READ_ONLY_ROLE)', () => {
      spec
        .given([])
        .when({ ...registerDupont(), actor: { ...auditorUser } })
        .thenThrows('READ_ONLY_ROLE', 'forbidden');
      spec
        .given([dupontRegistered])
        .when({
          type: 'RequestAddressChange',
          ...asJean(),
          actor: { ...auditorUser },
          requestId: 'r',
          person: 'guardian',
          address: NEW_ADDRESS,
        })
        .thenThrows('READ_ONLY_ROLE', 'forbidden');
    });
  });

  describe('AddChild (staff)', () => {
    const lea: Omit<Child, 'childId'> = { ...lucasDupont, firstName: 'LÉA', birthDate: '2011-06-02', sex: 'F' };

    it('adds a child to the record', () => {
      const state = spec
        .given([dupontRegistered])
        .when({ type: 'AddChild', ...asStaff(), childId: 'child-lea', child: lea })
        .then([
          {
            type: 'ChildAdded',
            data: { child: { ...lea, childId: 'child-lea' }, addedAt: SEED_NOW, addedBy: staffUser.userId },
          },
        ]);
      expect(state.record?.children.map((c) => c.firstName)).toEqual(['LUCAS', 'LÉA']);
    });

    it('needs a registered family (404 FAMILY_NOT_FOUND)', () => {
      spec
        .given([])
        .when({ type: 'AddChild', ...asStaff(), childId: 'child-lea', child: lea })
        .thenThrows('FAMILY_NOT_FOUND', 'not_found');
    });

    it('refuses an id already used by a child (409 CHILD_ALREADY_EXISTS)', () => {
      spec
        .given([dupontRegistered])
        .when({ type: 'AddChild', ...asStaff(), childId: LUCAS_ID, child: lea })
        .thenThrows('CHILD_ALREADY_EXISTS', 'conflict');
    });

    it('is reserved to staff (403 STAFF_ONLY)', () => {
      spec
        .given([dupontRegistered])
        .when({ type: 'AddChild', ...asJean(), childId: 'child-lea', child: lea })
        .thenThrows('STAFF_ONLY', 'forbidden');
    });
  });

  describe('RequestAddressChange', () => {
    it("asks to change the guardian's address, with the family number and the requester's name for the read models", () => {
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestAddressChange', ...asJean(), requestId: 'req-1', person: 'guardian', address: NEW_ADDRESS })
        .then([guardianAddressRequested]);
    });

    it("asks to change the spouse's address (category 'spouse')", () => {
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestAddressChange', ...asJean(), requestId: 'req-2', person: 'spouse', address: NEW_ADDRESS })
        .then([requested('req-2', { category: 'spouse', changes: { address: NEW_ADDRESS } })]);
    });

    it('does not change the record before staff accept', () => {
      const state = spec
        .given([dupontRegistered])
        .when({ type: 'RequestAddressChange', ...asJean(), requestId: 'req-1', person: 'guardian', address: NEW_ADDRESS })
        .then([guardianAddressRequested]);
      expect(state.record?.guardian.address).toEqual(dupontGuardian.address);
      expect(state.requests['req-1']).toMatchObject({ status: 'pending', category: 'guardian' });
    });

    it('refuses the same address (422 NOTHING_TO_CHANGE)', () => {
      const error = spec
        .given([dupontRegistered])
        .when({
          type: 'RequestAddressChange',
          ...asJean(),
          requestId: 'req-1',
          person: 'guardian',
          address: { ...dupontGuardian.address },
        })
        .thenThrows('NOTHING_TO_CHANGE', 'invalid');
      expect(error.message).toMatch(/ne modifie rien/);
    });

    it("refuses a spouse's address when the family has no spouse (422 SPOUSE_NAME_REQUIRED)", () => {
      const { spouse: _spouse, ...withoutSpouse } = dupontRegistered.data;
      spec
        .given([{ type: 'FamilyRegistered', data: withoutSpouse }])
        .when({ type: 'RequestAddressChange', ...asJean(), requestId: 'req-1', person: 'spouse', address: NEW_ADDRESS })
        .thenThrows('SPOUSE_NAME_REQUIRED', 'invalid');
    });

    it('needs a registered family (404 FAMILY_NOT_FOUND)', () => {
      spec
        .given([])
        .when({ type: 'RequestAddressChange', ...asJean(), requestId: 'req-1', person: 'guardian', address: NEW_ADDRESS })
        .thenThrows('FAMILY_NOT_FOUND', 'not_found');
    });

    it('refuses a command addressed to another family than the stream holds (404 FAMILY_NOT_FOUND)', () => {
      spec
        .given([dupontRegistered])
        .when({
          type: 'RequestAddressChange',
          ...asJean(),
          familyId: 'fam-other',
          requestId: 'req-1',
          person: 'guardian',
          address: NEW_ADDRESS,
        })
        .thenThrows('FAMILY_NOT_FOUND', 'not_found');
    });

    it('refuses a second request with the same requestId (409 REQUEST_ALREADY_EXISTS)', () => {
      spec
        .given([dupontRegistered, guardianAddressRequested])
        .when({ type: 'RequestContactChange', ...asJean(), requestId: 'req-1', person: 'spouse', changes: { smsConsent: true } })
        .thenThrows('REQUEST_ALREADY_EXISTS', 'conflict');
    });

    it('refuses a new guardian request while one is pending, naming the category (409 REQUEST_ALREADY_PENDING)', () => {
      const error = spec
        .given([dupontRegistered, guardianAddressRequested])
        .when({ type: 'RequestContactChange', ...asJean(), requestId: 'req-2', person: 'guardian', changes: { smsConsent: true } })
        .thenThrows('REQUEST_ALREADY_PENDING', 'conflict');
      expect(error.message).toBe('Une demande « Responsable » est déjà en attente de traitement.');
    });

    it('lets a spouse request through while a guardian request is pending', () => {
      spec
        .given([dupontRegistered, guardianAddressRequested])
        .when({ type: 'RequestContactChange', ...asJean(), requestId: 'req-2', person: 'spouse', changes: { smsConsent: true } })
        .then([requested('req-2', { category: 'spouse', changes: { smsConsent: true } })]);
    });

    it('accepts a new guardian request once the previous one was decided', () => {
      for (const decision of [accepted(guardianAddressRequested), refused(guardianAddressRequested)]) {
        spec
          .given([dupontRegistered, guardianAddressRequested, decision])
          .when({ type: 'RequestContactChange', ...asJean(LATER), requestId: 'req-2', person: 'guardian', changes: { smsConsent: true } })
          .then([requested('req-2', { category: 'guardian', changes: { smsConsent: true } }, { requestedAt: LATER })]);
      }
    });
  });

  describe('RequestContactChange', () => {
    it('asks to add a mobile phone and a profession', () => {
      const changes = { phones: { mobile: '06 12 34 56 78' }, profession: 'Boulanger' };
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestContactChange', ...asJean(), requestId: 'req-1', person: 'guardian', changes })
        .then([requested('req-1', { category: 'guardian', changes })]);
    });

    it('refuses a change to the values already on the record (422 NOTHING_TO_CHANGE)', () => {
      spec
        .given([dupontRegistered])
        .when({
          type: 'RequestContactChange',
          ...asJean(),
          requestId: 'req-1',
          person: 'guardian',
          changes: { smsConsent: false, email: 'jean.dupont@wanadoo.fr', phones: { home: '01 02 03 04 05' } },
        })
        .thenThrows('NOTHING_TO_CHANGE', 'invalid');
    });

    it('refuses to remove a value that is not there (422 NOTHING_TO_CHANGE)', () => {
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestContactChange', ...asJean(), requestId: 'req-1', person: 'guardian', changes: { phones: { work: null } } })
        .thenThrows('NOTHING_TO_CHANGE', 'invalid');
    });

    it('adds a spouse to a family without one when the request names them', () => {
      const { spouse: _spouse, ...withoutSpouse } = dupontRegistered.data;
      const changes = { lastName: 'DURAND', firstName: 'CLAIRE', civility: 'Mme' as const, phones: { mobile: '06 11 22 33 44' } };
      const request = requested('req-1', { category: 'spouse', changes });
      spec
        .given([{ type: 'FamilyRegistered', data: withoutSpouse }])
        .when({ type: 'RequestContactChange', ...asJean(), requestId: 'req-1', person: 'spouse', changes })
        .then([request]);

      const state = spec
        .given([{ type: 'FamilyRegistered', data: withoutSpouse }, request])
        .when({ type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-1' })
        .then([accepted(request)]);
      // Consents are never assumed; the household address is the default until the parents change it.
      expect(state.record?.spouse).toEqual({
        civility: 'Mme',
        lastName: 'DURAND',
        firstName: 'CLAIRE',
        address: dupontGuardian.address,
        phones: { mobile: '06 11 22 33 44' },
        emailConsent: false,
        smsConsent: false,
      });
    });

    it('refuses to change a spouse the family does not have without naming them (422 SPOUSE_NAME_REQUIRED)', () => {
      const { spouse: _spouse, ...withoutSpouse } = dupontRegistered.data;
      spec
        .given([{ type: 'FamilyRegistered', data: withoutSpouse }])
        .when({
          type: 'RequestContactChange',
          ...asJean(),
          requestId: 'req-1',
          person: 'spouse',
          changes: { lastName: 'DURAND', smsConsent: true },
        })
        .thenThrows('SPOUSE_NAME_REQUIRED', 'invalid');
    });
  });

  describe('RequestTaxInfoChange', () => {
    it('asks to record the reference income and tax shares', () => {
      const changes = { referenceIncomeCents: 3_200_000, taxShares: 2.5, year: 2014 };
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestTaxInfoChange', ...asJean(), requestId: 'req-1', changes })
        .then([requested('req-1', { category: 'tax', changes })]);
    });

    it.each([
      ['a negative income', { referenceIncomeCents: -1 }],
      ['a fractional income in cents', { referenceIncomeCents: 10.5 }],
      ['shares not counted in quarters', { taxShares: 2.3 }],
      ['less than one share', { taxShares: 0.5 }],
      ['a year after the current one', { year: 2016 }],
    ])('refuses %s (422 INVALID_TAX_INFO)', (_label, changes) => {
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestTaxInfoChange', ...asJean(), requestId: 'req-1', changes })
        .thenThrows('INVALID_TAX_INFO', 'invalid');
    });

    it('refuses an empty change (422 NOTHING_TO_CHANGE)', () => {
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestTaxInfoChange', ...asJean(), requestId: 'req-1', changes: {} })
        .thenThrows('NOTHING_TO_CHANGE', 'invalid');
    });
  });

  describe('RequestCafChange', () => {
    const caf = { regime: 'CAF' as const, allocataireNumber: '1234567', quotientFamilial: 850 };

    it('asks to record the CAF number and the family quotient', () => {
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestCafChange', ...asJean(), requestId: 'req-1', changes: caf })
        .then([requested('req-1', { category: 'caf', changes: caf })]);
    });

    it.each(['', '12345678901', '12AB', '123 456'])(
      'refuses the allocataire number %p (422 INVALID_ALLOCATAIRE_NUMBER)',
      (allocataireNumber) => {
        spec
          .given([dupontRegistered])
          .when({ type: 'RequestCafChange', ...asJean(), requestId: 'req-1', changes: { ...caf, allocataireNumber } })
          .thenThrows('INVALID_ALLOCATAIRE_NUMBER', 'invalid');
      },
    );

    it.each([-1, 850.5, 100_001, Number.NaN])('refuses the quotient %p (422 INVALID_QUOTIENT_FAMILIAL)', (quotientFamilial) => {
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestCafChange', ...asJean(), requestId: 'req-1', changes: { ...caf, quotientFamilial } })
        .thenThrows('INVALID_QUOTIENT_FAMILIAL', 'invalid');
    });

    it('accepts the bounds 0 and 100 000', () => {
      for (const quotientFamilial of [0, 100_000]) {
        spec
          .given([dupontRegistered])
          .when({ type: 'RequestCafChange', ...asJean(), requestId: 'req-1', changes: { ...caf, quotientFamilial } })
          .then([requested('req-1', { category: 'caf', changes: { ...caf, quotientFamilial } })]);
      }
    });

    it('refuses the CAF information already on the record (422 NOTHING_TO_CHANGE)', () => {
      const request = requested('req-1', { category: 'caf', changes: caf });
      spec
        .given([dupontRegistered, request, accepted(request)])
        .when({ type: 'RequestCafChange', ...asJean(LATER), requestId: 'req-2', changes: { ...caf } })
        .thenThrows('NOTHING_TO_CHANGE', 'invalid');
    });
  });

  describe('RequestDirectDebit', () => {
    const FR_IBAN = 'FR7630006000011234567890189';
    const command = (
      overrides: Partial<{ accountHolder: string; iban: string; bic: string; bankName: string }> = {},
    ): RequestDirectDebit => ({
      type: 'RequestDirectDebit',
      ...asJean(),
      requestId: 'req-1',
      accountHolder: 'DUPONT JEAN',
      iban: 'fr76 3000 6000 0112 3456 7890 189',
      bic: 'agrifrpp',
      ...overrides,
    });
    const bankRequested = requested('req-1', {
      category: 'bank',
      changes: { directDebit: true, accountHolder: 'DUPONT JEAN', iban: FR_IBAN, bic: 'AGRIFRPP', mandateRequestedAt: SEED_NOW },
    });

    it('asks for direct debit with the IBAN and BIC normalized', () => {
      spec.given([dupontRegistered]).when(command()).then([bankRequested]);
    });

    it('turns direct debit on once accepted', () => {
      const record = recordAfter([dupontRegistered, bankRequested, accepted(bankRequested)]);
      expect(record.bank).toEqual({
        directDebit: true,
        accountHolder: 'DUPONT JEAN',
        iban: FR_IBAN,
        bic: 'AGRIFRPP',
        mandateRequestedAt: SEED_NOW,
      });
    });

    it('refuses an IBAN with a wrong checksum (422 INVALID_IBAN)', () => {
      spec
        .given([dupontRegistered])
        .when(command({ iban: 'FR7630006000011234567890188' }))
        .thenThrows('INVALID_IBAN', 'invalid');
    });

    it('refuses a malformed BIC (422 INVALID_BIC)', () => {
      spec
        .given([dupontRegistered])
        .when(command({ bic: 'AGR1FRPP' }))
        .thenThrows('INVALID_BIC', 'invalid');
      spec
        .given([dupontRegistered])
        .when(command({ bic: 'AGRIFR' }))
        .thenThrows('INVALID_BIC', 'invalid');
    });

    it("refuses a BIC from another country than the IBAN's (422 IBAN_BIC_MISMATCH)", () => {
      spec
        .given([dupontRegistered])
        .when(command({ bic: 'DEUTDEFF' }))
        .thenThrows('IBAN_BIC_MISMATCH', 'invalid');
      spec
        .given([dupontRegistered])
        .when(command({ iban: 'DE89 3704 0044 0532 0130 00', bic: 'AGRIFRPP' }))
        .thenThrows('IBAN_BIC_MISMATCH', 'invalid');
    });

    it('accepts a French IBAN with the BIC of an overseas French bank', () => {
      const events = familiesDecider.decide(command({ bic: 'BDAFGPGP' }), fold(familiesDecider, [dupontRegistered]));
      expect(events).toHaveLength(1);
    });

    it('refuses an empty account holder (422 ACCOUNT_HOLDER_REQUIRED)', () => {
      spec
        .given([dupontRegistered])
        .when(command({ accountHolder: '   ' }))
        .thenThrows('ACCOUNT_HOLDER_REQUIRED', 'invalid');
    });

    it('refuses the bank details already used for direct debit (422 NOTHING_TO_CHANGE)', () => {
      spec
        .given([dupontRegistered, bankRequested, accepted(bankRequested)])
        .when({ ...command(), requestId: 'req-2', at: LATER })
        .thenThrows('NOTHING_TO_CHANGE', 'invalid');
    });

    it('lets the parent change the bank of an active direct debit', () => {
      const events = familiesDecider.decide(
        { ...command({ iban: 'FR14 2004 1010 0505 0001 3M02 606', bic: 'PSSTFRPPTOU' }), requestId: 'req-2', at: LATER },
        fold(familiesDecider, [dupontRegistered, bankRequested, accepted(bankRequested)]),
      );
      expect(events[0]).toMatchObject({ type: 'ChangeRequested', data: { changes: { iban: 'FR1420041010050500013M02606' } } });
    });
  });

  describe('RequestChildAddition', () => {
    const lea = { firstName: 'LÉA', lastName: 'DUPONT', birthDate: '2011-06-02', sex: 'F' as const };
    const leaRequested = requested('req-1', { category: 'child', changes: lea }, { childName: 'LÉA' });

    it('announces a child to be enrolled soon', () => {
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestChildAddition', ...asJean(), requestId: 'req-1', child: lea })
        .then([leaRequested]);
    });

    it('adds the child, to be enrolled, with an id derived from the request once accepted', () => {
      const state = spec
        .given([dupontRegistered, leaRequested])
        .when({ type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-1' })
        .then([accepted(leaRequested)]);
      expect(childIdForRequest('req-1')).toBe('child-req-1');
      expect(state.record?.children[1]).toEqual({
        childId: 'child-req-1',
        ...lea,
        status: 'to_be_enrolled',
        authorizations: { authorizedPickups: [], photoConsent: false, mayLeaveAlone: false },
        health: { allergies: [], pai: false, glasses: false, vaccinations: [] },
      });
    });

    it.each([
      ['in the future', '2015-04-09'],
      ['more than 18 years ago', '1997-04-07'],
      ['not a real date', '2011-02-30'],
      ['not written YYYY-MM-DD', '02/06/2011'],
    ])('refuses a birth date %s (422 INVALID_BIRTH_DATE)', (_label, birthDate) => {
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestChildAddition', ...asJean(), requestId: 'req-1', child: { ...lea, birthDate } })
        .thenThrows('INVALID_BIRTH_DATE', 'invalid');
    });

    it('accepts a child born today in Paris (even when it is still yesterday in UTC) or exactly 18 years ago', () => {
      const justAfterMidnightInParis = '2015-04-07T22:30:00.000Z';
      for (const birthDate of ['2015-04-08', '1997-04-08']) {
        const events = familiesDecider.decide(
          { type: 'RequestChildAddition', ...asJean(justAfterMidnightInParis), requestId: 'req-1', child: { ...lea, birthDate } },
          fold(familiesDecider, [dupontRegistered]),
        );
        expect(events).toHaveLength(1);
      }
    });

    it('refuses a child already on the record (409 CHILD_ALREADY_REGISTERED)', () => {
      const error = spec
        .given([dupontRegistered])
        .when({
          type: 'RequestChildAddition',
          ...asJean(),
          requestId: 'req-1',
          child: { firstName: 'Lucas', lastName: 'DUPONT', birthDate: '2009-03-14', sex: 'M' },
        })
        .thenThrows('CHILD_ALREADY_REGISTERED', 'conflict');
      expect(error.message).toContain('14/03/2009');
    });

    it('allows one pending child announcement at a time (409 REQUEST_ALREADY_PENDING)', () => {
      spec
        .given([dupontRegistered, leaRequested])
        .when({ type: 'RequestChildAddition', ...asJean(), requestId: 'req-2', child: { ...lea, firstName: 'TOM', sex: 'M' } })
        .thenThrows('REQUEST_ALREADY_PENDING', 'conflict');
    });
  });

  describe('RequestAuthorizationsChange', () => {
    const changes = {
      authorizedPickups: [
        { name: 'MARTIN Odette', phone: '05 61 00 00 01', relationship: 'Grand-mère' },
        { name: 'BERNARD Paul', phone: '06 00 00 00 03', relationship: 'Voisin' },
      ],
      mayLeaveAlone: true,
    };
    const authRequested = requested('req-1', { category: 'authorizations', changes }, { childId: LUCAS_ID, childName: 'LUCAS' });

    it("asks to change a child's authorizations", () => {
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestAuthorizationsChange', ...asJean(), requestId: 'req-1', childId: LUCAS_ID, changes })
        .then([authRequested]);
    });

    it('replaces the pickup list and keeps the other authorizations once accepted', () => {
      const record = recordAfter([dupontRegistered, authRequested, accepted(authRequested)]);
      expect(record.children[0].authorizations).toEqual({ ...changes, photoConsent: true });
    });

    it('refuses an unknown child (404 CHILD_NOT_FOUND)', () => {
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestAuthorizationsChange', ...asJean(), requestId: 'req-1', childId: 'child-unknown', changes })
        .thenThrows('CHILD_NOT_FOUND', 'not_found');
    });

    it('allows one pending request per child, naming the child (409 REQUEST_ALREADY_PENDING)', () => {
      const error = spec
        .given([dupontRegistered, authRequested])
        .when({ type: 'RequestAuthorizationsChange', ...asJean(), requestId: 'req-2', childId: LUCAS_ID, changes: { photoConsent: false } })
        .thenThrows('REQUEST_ALREADY_PENDING', 'conflict');
      expect(error.message).toBe('Une demande « Autorisations » est déjà en attente de traitement pour LUCAS.');
    });

    it("does not block another child's request", () => {
      const lea: Child = { ...lucasDupont, childId: 'child-lea', firstName: 'LÉA' };
      const events = familiesDecider.decide(
        { type: 'RequestAuthorizationsChange', ...asJean(), requestId: 'req-2', childId: 'child-lea', changes: { photoConsent: false } },
        fold(familiesDecider, [
          dupontRegistered,
          { type: 'ChildAdded', data: { child: lea, addedAt: SEED_NOW, addedBy: 'agent' } },
          authRequested,
        ]),
      );
      expect(events).toEqual([
        requested('req-2', { category: 'authorizations', changes: { photoConsent: false } }, { childId: 'child-lea', childName: 'LÉA' }),
      ]);
    });

    it('refuses the current authorizations (422 NOTHING_TO_CHANGE)', () => {
      spec
        .given([dupontRegistered])
        .when({
          type: 'RequestAuthorizationsChange',
          ...asJean(),
          requestId: 'req-1',
          childId: LUCAS_ID,
          changes: { photoConsent: true, mayLeaveAlone: false },
        })
        .thenThrows('NOTHING_TO_CHANGE', 'invalid');
    });
  });

  describe('RequestHealthDataChange', () => {
    it("asks to change a child's health data", () => {
      const changes = { allergies: ['Arachide', 'Lait'], glasses: true };
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestHealthDataChange', ...asJean(), requestId: 'req-1', childId: LUCAS_ID, changes })
        .then([requested('req-1', { category: 'health', changes }, { childId: LUCAS_ID, childName: 'LUCAS' })]);
    });

    it('removes the doctor and the PAI details when asked with null', () => {
      const request = requested(
        'req-1',
        { category: 'health', changes: { pai: false, paiDetails: null, doctor: null } },
        { childId: LUCAS_ID, childName: 'LUCAS' },
      );
      const record = recordAfter([dupontRegistered, request, accepted(request)]);
      expect(record.children[0].health).toEqual({
        allergies: ['Arachide'],
        pai: false,
        glasses: false,
        vaccinations: [{ name: 'DTP', date: '2010-05-01' }],
      });
    });

    it('refuses an unknown child (404 CHILD_NOT_FOUND)', () => {
      spec
        .given([dupontRegistered])
        .when({ type: 'RequestHealthDataChange', ...asJean(), requestId: 'req-1', childId: 'child-unknown', changes: { glasses: true } })
        .thenThrows('CHILD_NOT_FOUND', 'not_found');
    });

    it('refuses the current health data (422 NOTHING_TO_CHANGE)', () => {
      spec
        .given([dupontRegistered])
        .when({
          type: 'RequestHealthDataChange',
          ...asJean(),
          requestId: 'req-1',
          childId: LUCAS_ID,
          changes: { allergies: ['Arachide'], glasses: false },
        })
        .thenThrows('NOTHING_TO_CHANGE', 'invalid');
    });
  });

  describe('AcceptChangeRequest (staff)', () => {
    it("copies the request's category and changes, and applies them to the record", () => {
      const state = spec
        .given([dupontRegistered, guardianAddressRequested])
        .when({ type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-1' })
        .then([
          {
            type: 'ChangeRequestAccepted',
            data: {
              requestId: 'req-1',
              category: 'guardian',
              changes: { address: NEW_ADDRESS },
              acceptedAt: LATER,
              acceptedBy: staffUser.userId,
            },
          },
        ]);
      expect(state.record?.guardian.address).toEqual(NEW_ADDRESS);
      expect(state.record?.guardian.phones).toEqual(dupontGuardian.phones);
      expect(state.requests['req-1'].status).toBe('accepted');
    });

    it('replaces the whole address: a new address without a second line drops the old one', () => {
      const withLine2 = { ...dupontRecord, guardian: { ...dupontGuardian, address: { ...dupontGuardian.address, line2: 'Bâtiment B' } } };
      expect(applyAcceptedChange(withLine2, 'guardian', { address: NEW_ADDRESS }).guardian.address).toEqual(NEW_ADDRESS);
    });

    it('merges phones: the other numbers stay, null removes one', () => {
      const record = applyAcceptedChange(dupontRecord, 'guardian', { phones: { mobile: '06 12 34 56 78', home: null } });
      expect(record.guardian.phones).toEqual({ mobile: '06 12 34 56 78' });
      expect(record.spouse).toEqual(dupontSpouse);
    });

    it('refuses an unknown request (404 REQUEST_NOT_FOUND)', () => {
      spec
        .given([dupontRegistered])
        .when({ type: 'AcceptChangeRequest', ...asStaff(), requestId: 'req-404' })
        .thenThrows('REQUEST_NOT_FOUND', 'not_found');
    });

    it('needs a registered family (404 FAMILY_NOT_FOUND)', () => {
      spec
        .given([])
        .when({ type: 'AcceptChangeRequest', ...asStaff(), requestId: 'req-1' })
        .thenThrows('FAMILY_NOT_FOUND', 'not_found');
    });

    it('refuses a request already accepted or refused (409 REQUEST_ALREADY_DECIDED)', () => {
      const afterAccept = spec
        .given([dupontRegistered, guardianAddressRequested, accepted(guardianAddressRequested)])
        .when({ type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-1' })
        .thenThrows('REQUEST_ALREADY_DECIDED', 'conflict');
      expect(afterAccept.message).toBe('Cette demande a déjà été acceptée.');
      const afterRefusal = spec
        .given([dupontRegistered, guardianAddressRequested, refused(guardianAddressRequested)])
        .when({ type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-1' })
        .thenThrows('REQUEST_ALREADY_DECIDED', 'conflict');
      expect(afterRefusal.message).toBe('Cette demande a déjà été refusée.');
    });

    it('is reserved to staff (403 STAFF_ONLY)', () => {
      spec
        .given([dupontRegistered, guardianAddressRequested])
        .when({ type: 'AcceptChangeRequest', ...asJean(), requestId: 'req-1' })
        .thenThrows('STAFF_ONLY', 'forbidden');
    });

    it('refuses a change about a child no longer on the record (409 CHANGE_NO_LONGER_APPLICABLE)', () => {
      // History may hold a request about a child the record no longer has (e.g. a later removal).
      const aboutGhost = requested('req-1', { category: 'health', changes: { glasses: true } }, { childId: 'child-ghost' });
      spec
        .given([dupontRegistered, aboutGhost])
        .when({ type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-1' })
        .thenThrows('CHANGE_NO_LONGER_APPLICABLE', 'conflict');
    });

    it('refuses to add an announced child whose id is already taken (409 CHANGE_NO_LONGER_APPLICABLE)', () => {
      const lea = { firstName: 'LÉA', lastName: 'DUPONT', birthDate: '2011-06-02', sex: 'F' as const };
      const leaRequested = requested('req-1', { category: 'child', changes: lea }, { childName: 'LÉA' });
      const addedByStaff: FamilyEvent = {
        type: 'ChildAdded',
        data: { child: { ...lucasDupont, ...lea, childId: childIdForRequest('req-1') }, addedAt: SEED_NOW, addedBy: staffUser.userId },
      };
      spec
        .given([dupontRegistered, leaRequested, addedByStaff])
        .when({ type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-1' })
        .thenThrows('CHANGE_NO_LONGER_APPLICABLE', 'conflict');
    });
  });

  describe('RefuseChangeRequest (staff)', () => {
    it('refuses with a trimmed reason and leaves the record as it was', () => {
      const state = spec
        .given([dupontRegistered, guardianAddressRequested])
        .when({ type: 'RefuseChangeRequest', ...asStaff(LATER), requestId: 'req-1', reason: '  Justificatif de domicile manquant.  ' })
        .then([
          {
            type: 'ChangeRequestRefused',
            data: {
              requestId: 'req-1',
              category: 'guardian',
              reason: 'Justificatif de domicile manquant.',
              refusedAt: LATER,
              refusedBy: staffUser.userId,
            },
          },
        ]);
      expect(state.record).toEqual(dupontRecord);
      expect(state.requests['req-1'].status).toBe('refused');
    });

    it('keeps the childId of a child request', () => {
      const request = requested('req-1', { category: 'health', changes: { glasses: true } }, { childId: LUCAS_ID, childName: 'LUCAS' });
      spec
        .given([dupontRegistered, request])
        .when({ type: 'RefuseChangeRequest', ...asStaff(LATER), requestId: 'req-1', reason: 'Certificat médical requis.' })
        .then([refused(request, 'Certificat médical requis.')]);
    });

    it.each([
      ['empty', ''],
      ['blank', '   \n '],
      ['longer than 500 characters', 'x'.repeat(501)],
    ])('refuses a reason that is %s (422 REFUSAL_REASON_REQUIRED)', (_label, reason) => {
      spec
        .given([dupontRegistered, guardianAddressRequested])
        .when({ type: 'RefuseChangeRequest', ...asStaff(LATER), requestId: 'req-1', reason })
        .thenThrows('REFUSAL_REASON_REQUIRED', 'invalid');
    });

    it('accepts a reason of exactly 500 characters', () => {
      const reason = 'x'.repeat(500);
      spec
        .given([dupontRegistered, guardianAddressRequested])
        .when({ type: 'RefuseChangeRequest', ...asStaff(LATER), requestId: 'req-1', reason })
        .then([refused(guardianAddressRequested, reason)]);
    });

    it('refuses an unknown request (404 REQUEST_NOT_FOUND)', () => {
      spec
        .given([dupontRegistered])
        .when({ type: 'RefuseChangeRequest', ...asStaff(), requestId: 'req-404', reason: 'Non' })
        .thenThrows('REQUEST_NOT_FOUND', 'not_found');
    });

    it('refuses a request already decided (409 REQUEST_ALREADY_DECIDED)', () => {
      spec
        .given([dupontRegistered, guardianAddressRequested, accepted(guardianAddressRequested)])
        .when({ type: 'RefuseChangeRequest', ...asStaff(LATER), requestId: 'req-1', reason: 'Trop tard' })
        .thenThrows('REQUEST_ALREADY_DECIDED', 'conflict');
    });

    it('is reserved to staff (403 STAFF_ONLY)', () => {
      spec
        .given([dupontRegistered, guardianAddressRequested])
        .when({ type: 'RefuseChangeRequest', ...asJean(), requestId: 'req-1', reason: 'Non' })
        .thenThrows('STAFF_ONLY', 'forbidden');
    });
  });

  describe('evolve', () => {
    it('replays a whole history to the record staff accepted, ignoring refused requests', () => {
      const cafRequest = requested(
        'req-2',
        { category: 'caf', changes: { regime: 'CAF', allocataireNumber: '1234567', quotientFamilial: 850 } },
        { requestedAt: LATER },
      );
      const record = recordAfter([
        dupontRegistered,
        guardianAddressRequested,
        accepted(guardianAddressRequested),
        cafRequest,
        refused(cafRequest),
      ]);
      expect(record).toEqual({ ...dupontRecord, guardian: { ...dupontGuardian, address: NEW_ADDRESS } });
    });

    it('records the family id given at registration', () => {
      expect(recordAfter([dupontRegistered]).familyId).toBe(DUPONT_FAMILY_ID);
    });
  });
});
