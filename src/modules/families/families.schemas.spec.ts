import type { z } from 'zod';

import type {
  AddChild,
  RefuseChangeRequest,
  RegisterFamily,
  RequestAddressChange,
  RequestAuthorizationsChange,
  RequestCafChange,
  RequestChildAddition,
  RequestContactChange,
  RequestDirectDebit,
  RequestHealthDataChange,
  RequestTaxInfoChange,
} from './families.decider';
import {
  acceptChangeRequestBodySchema,
  addChildBodySchema,
  cafRegimeSchema,
  changeCategorySchema,
  civilitySchema,
  normalizeFrenchPhone,
  qualitySchema,
  refuseChangeRequestBodySchema,
  registerFamilyBodySchema,
  requestAddressChangeBodySchema,
  requestAuthorizationsChangeBodySchema,
  requestCafChangeBodySchema,
  requestChildAdditionBodySchema,
  requestContactChangeBodySchema,
  requestDirectDebitBodySchema,
  requestHealthDataChangeBodySchema,
  requestTaxInfoChangeBodySchema,
  situationSchema,
} from './families.schemas';
import { CAF_REGIMES, CHANGE_CATEGORIES, CIVILITIES, QUALITIES, SITUATIONS } from './families.types';

// --- compile-time: a parsed body plus what the server fills is a valid command ------------------------
type ServerFilled = 'type' | 'familyId' | 'at' | 'actor' | 'requestId';
type Assert<T extends true> = T;
type Fits<Body, Command> = Body extends Omit<Command, ServerFilled> ? true : false;
export type SchemasMatchCommands = [
  Assert<Fits<z.output<typeof requestAddressChangeBodySchema>, RequestAddressChange>>,
  Assert<Fits<z.output<typeof requestContactChangeBodySchema>, RequestContactChange>>,
  Assert<Fits<z.output<typeof requestTaxInfoChangeBodySchema>, RequestTaxInfoChange>>,
  Assert<Fits<z.output<typeof requestCafChangeBodySchema>, RequestCafChange>>,
  Assert<Fits<z.output<typeof requestDirectDebitBodySchema>, RequestDirectDebit>>,
  Assert<Fits<z.output<typeof requestChildAdditionBodySchema>, RequestChildAddition>>,
  Assert<Fits<z.output<typeof requestAuthorizationsChangeBodySchema>, RequestAuthorizationsChange>>,
  Assert<Fits<z.output<typeof requestHealthDataChangeBodySchema>, RequestHealthDataChange>>,
  Assert<Fits<z.output<typeof refuseChangeRequestBodySchema>, RefuseChangeRequest>>,
  // staff bodies: the server gives children their ids
  Assert<z.output<typeof addChildBodySchema> extends AddChild['child'] ? true : false>,
  Assert<Fits<Omit<z.output<typeof registerFamilyBodySchema>, 'children'>, Omit<RegisterFamily, 'children'>>>,
];

const address = { line1: '12 RUE DES BONBONS', postalCode: '31400', city: 'SAINT-JEAN' };
const guardian = {
  civility: 'M.',
  lastName: 'DUPONT',
  firstName: 'JEAN',
  quality: 'Père',
  situation: 'Séparé(e)',
  address,
  phones: { home: '01 02 03 04 05' },
  email: 'jean.dupont@wanadoo.fr',
  emailConsent: true,
  smsConsent: false,
};

function issuesOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; code: string; message: string }[] } }) {
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((issue) => ({ path: issue.path.join('.'), code: issue.code, message: issue.message }));
}

describe('families schemas', () => {
  it('repeat the enumerations of families.types', () => {
    expect(civilitySchema.options).toEqual([...CIVILITIES]);
    expect(qualitySchema.options).toEqual([...QUALITIES]);
    expect(situationSchema.options).toEqual([...SITUATIONS]);
    expect(cafRegimeSchema.options).toEqual([...CAF_REGIMES]);
    expect(changeCategorySchema.options).toEqual([...CHANGE_CATEGORIES]);
  });

  describe('unknown fields', () => {
    it.each([
      ['at the top of a body', requestAddressChangeBodySchema, { person: 'guardian', address, familyId: 'fam-1' }],
      ['in an address', requestAddressChangeBodySchema, { person: 'guardian', address: { ...address, country: 'FR' } }],
      ['in contact changes', requestContactChangeBodySchema, { person: 'guardian', changes: { email: 'a@b.fr', isAdmin: true } }],
      ['in phones', requestContactChangeBodySchema, { person: 'guardian', changes: { phones: { fax: '01 02 03 04 05' } } }],
      ['in a guardian (staff)', registerFamilyBodySchema, { familyNumber: '1001001818331', guardian: { ...guardian, role: 'staff' } }],
      [
        'in a pickup person',
        requestAuthorizationsChangeBodySchema,
        { childId: 'c', changes: { authorizedPickups: [{ name: 'A', phone: '0102030405', relationship: 'x', age: 70 }] } },
      ],
      ['in the accept body', acceptChangeRequestBodySchema, { status: 'accepted' }],
      [
        'in a direct debit request',
        requestDirectDebitBodySchema,
        { accountHolder: 'DUPONT JEAN', iban: 'FR76', bic: 'AGRIFRPP', directDebit: false },
      ],
    ])('are rejected %s', (_where, schema, body) => {
      expect(issuesOf(schema.safeParse(body)).map((i) => i.code)).toContain('unrecognized_keys');
    });
  });

  describe('phones', () => {
    it.each([
      ['01 02 03 04 05', '01 02 03 04 05'],
      ['0102030405', '01 02 03 04 05'],
      ['+33 1 02 03 04 05', '01 02 03 04 05'],
      ['+33 (0)1 02 03 04 05', '01 02 03 04 05'],
      ['0033 6 12 34 56 78', '06 12 34 56 78'],
      ['06.12.34.56.78', '06 12 34 56 78'],
      ['  06-12-34-56-78 ', '06 12 34 56 78'],
    ])('normalize %p to %p', (raw, stored) => {
      expect(normalizeFrenchPhone(raw.trim())).toBe(stored);
      const parsed = requestContactChangeBodySchema.parse({ person: 'guardian', changes: { phones: { mobile: raw } } });
      expect(parsed.changes.phones?.mobile).toBe(stored);
    });

    it.each(['01 02 03 04', '00 02 03 04 05', '+44 20 7946 0958', '01 02 03 04 05 06', 'zéro un', ''])('reject %p', (raw) => {
      const issues = issuesOf(requestContactChangeBodySchema.safeParse({ person: 'guardian', changes: { phones: { home: raw } } }));
      expect(issues[0].path).toBe('changes.phones.home');
      expect(issues[0].message).toMatch(/Numéro de téléphone invalide/);
    });

    it('normalize the phones of pickup persons and of the doctor', () => {
      const auth = requestAuthorizationsChangeBodySchema.parse({
        childId: 'child-lucas',
        changes: { authorizedPickups: [{ name: 'MARTIN Odette', phone: '+33561000001', relationship: 'Grand-mère' }] },
      });
      expect(auth.changes.authorizedPickups?.[0].phone).toBe('05 61 00 00 01');
      const health = requestHealthDataChangeBodySchema.parse({
        childId: 'child-lucas',
        changes: { doctor: { name: 'Dr ROUX', phone: '0561000002' } },
      });
      expect(health.changes.doctor).toEqual({ name: 'Dr ROUX', phone: '05 61 00 00 02' });
    });

    it('accept null to remove a number', () => {
      const parsed = requestContactChangeBodySchema.parse({ person: 'guardian', changes: { phones: { work: null } } });
      expect(parsed.changes.phones).toEqual({ work: null });
    });
  });

  describe('addresses', () => {
    it.each(['3140', '314000', '31 400', 'ABCDE'])('reject the postal code %p', (postalCode) => {
      const issues = issuesOf(requestAddressChangeBodySchema.safeParse({ person: 'guardian', address: { ...address, postalCode } }));
      expect(issues).toEqual([
        { path: 'address.postalCode', code: 'invalid_format', message: 'Le code postal doit comporter 5 chiffres.' },
      ]);
    });

    it('trim the lines and keep an optional second line', () => {
      const parsed = requestAddressChangeBodySchema.parse({
        person: 'spouse',
        address: { line1: '  Lotissement les bons bonbons. ', line2: 'Lot 4', postalCode: '31400', city: 'SAINT-JEAN' },
      });
      expect(parsed.address).toEqual({ line1: 'Lotissement les bons bonbons.', line2: 'Lot 4', postalCode: '31400', city: 'SAINT-JEAN' });
    });

    it('reject an address line over 200 characters and an empty one', () => {
      expect(
        issuesOf(requestAddressChangeBodySchema.safeParse({ person: 'guardian', address: { ...address, line1: 'x'.repeat(201) } }))[0],
      ).toMatchObject({
        path: 'address.line1',
        code: 'too_big',
      });
      expect(
        issuesOf(requestAddressChangeBodySchema.safeParse({ person: 'guardian', address: { ...address, line1: '   ' } }))[0],
      ).toMatchObject({
        path: 'address.line1',
        code: 'too_small',
      });
      expect(
        requestAddressChangeBodySchema.safeParse({ person: 'guardian', address: { ...address, line1: 'x'.repeat(200) } }).success,
      ).toBe(true);
    });

    it('reject a person other than guardian or spouse', () => {
      expect(issuesOf(requestAddressChangeBodySchema.safeParse({ person: 'child', address }))[0].path).toBe('person');
    });
  });

  describe('dates', () => {
    it.each(['2011-02-30', '2015-02-29', '2011-13-01', '02/06/2011', '2011-6-2', ''])('reject the birth date %p', (birthDate) => {
      const issues = issuesOf(
        requestChildAdditionBodySchema.safeParse({ child: { firstName: 'LÉA', lastName: 'DUPONT', birthDate, sex: 'F' } }),
      );
      expect(issues[0].path).toBe('child.birthDate');
    });

    it('accept 29 February of a leap year', () => {
      expect(
        requestChildAdditionBodySchema.safeParse({ child: { firstName: 'LÉA', lastName: 'DUPONT', birthDate: '2012-02-29', sex: 'F' } })
          .success,
      ).toBe(true);
    });

    it('reject an impossible vaccination date', () => {
      const issues = issuesOf(
        requestHealthDataChangeBodySchema.safeParse({ childId: 'c', changes: { vaccinations: [{ name: 'DTP', date: '2010-04-31' }] } }),
      );
      expect(issues[0].path).toBe('changes.vaccinations.0.date');
    });
  });

  describe('sizes', () => {
    it('reject names over 100 characters', () => {
      expect(
        issuesOf(requestContactChangeBodySchema.safeParse({ person: 'spouse', changes: { lastName: 'D'.repeat(101) } }))[0],
      ).toMatchObject({
        path: 'changes.lastName',
        code: 'too_big',
      });
    });

    it('reject a refusal reason over 500 characters, and a blank one', () => {
      expect(issuesOf(refuseChangeRequestBodySchema.safeParse({ reason: 'x'.repeat(501) }))[0].code).toBe('too_big');
      expect(issuesOf(refuseChangeRequestBodySchema.safeParse({ reason: '  ' }))[0].code).toBe('too_small');
      expect(refuseChangeRequestBodySchema.parse({ reason: ' Pièce manquante ' })).toEqual({ reason: 'Pièce manquante' });
    });

    it('reject lists over 20 items', () => {
      const allergies = Array.from({ length: 21 }, (_, i) => `Allergie ${i}`);
      expect(issuesOf(requestHealthDataChangeBodySchema.safeParse({ childId: 'c', changes: { allergies } }))[0]).toMatchObject({
        path: 'changes.allergies',
        code: 'too_big',
      });
      const pickups = Array.from({ length: 21 }, (_, i) => ({ name: `P${i}`, phone: '0102030405', relationship: 'Ami' }));
      expect(
        issuesOf(requestAuthorizationsChangeBodySchema.safeParse({ childId: 'c', changes: { authorizedPickups: pickups } }))[0].code,
      ).toBe('too_big');
    });
  });

  describe('change bodies', () => {
    it('reject a change that names nothing to change', () => {
      expect(issuesOf(requestContactChangeBodySchema.safeParse({ person: 'guardian', changes: {} }))[0].message).toBe(
        'Indiquez au moins une information à modifier.',
      );
      expect(requestTaxInfoChangeBodySchema.safeParse({ changes: {} }).success).toBe(false);
      expect(requestHealthDataChangeBodySchema.safeParse({ childId: 'c', changes: {} }).success).toBe(false);
      expect(requestAuthorizationsChangeBodySchema.safeParse({ childId: 'c', changes: {} }).success).toBe(false);
    });

    it('normalize e-mails (trimmed, lower case) and reject invalid ones', () => {
      const parsed = requestContactChangeBodySchema.parse({ person: 'guardian', changes: { email: ' Jean.Dupont@Wanadoo.fr ' } });
      expect(parsed.changes.email).toBe('jean.dupont@wanadoo.fr');
      expect(
        issuesOf(requestContactChangeBodySchema.safeParse({ person: 'guardian', changes: { email: 'jean.dupont@' } }))[0].message,
      ).toBe('Adresse e-mail invalide.');
    });

    it('check the CAF number and quotient', () => {
      const ok = { regime: 'CAF', allocataireNumber: '1234567', quotientFamilial: 850 };
      expect(requestCafChangeBodySchema.parse({ changes: ok })).toEqual({ changes: ok });
      expect(requestCafChangeBodySchema.safeParse({ changes: { ...ok, allocataireNumber: '12345678901' } }).success).toBe(false);
      expect(requestCafChangeBodySchema.safeParse({ changes: { ...ok, quotientFamilial: 850.5 } }).success).toBe(false);
      expect(requestCafChangeBodySchema.safeParse({ changes: { ...ok, quotientFamilial: 100_001 } }).success).toBe(false);
      expect(requestCafChangeBodySchema.safeParse({ changes: { ...ok, regime: 'RSA' } }).success).toBe(false);
    });

    it('count tax shares in quarters', () => {
      expect(requestTaxInfoChangeBodySchema.parse({ changes: { taxShares: 2.25 } })).toEqual({ changes: { taxShares: 2.25 } });
      expect(requestTaxInfoChangeBodySchema.safeParse({ changes: { taxShares: 2.3 } }).success).toBe(false);
    });

    it('leave IBAN and BIC checks to the decider but bound their size', () => {
      expect(
        requestDirectDebitBodySchema.parse({ accountHolder: ' DUPONT JEAN ', iban: 'fr76 3000 6000 0112 3456 7890 189', bic: 'agrifrpp' }),
      ).toEqual({
        accountHolder: 'DUPONT JEAN',
        iban: 'fr76 3000 6000 0112 3456 7890 189',
        bic: 'agrifrpp',
      });
      expect(requestDirectDebitBodySchema.safeParse({ accountHolder: 'DUPONT JEAN', iban: 'F'.repeat(51), bic: 'AGRIFRPP' }).success).toBe(
        false,
      );
    });

    it('fill the defaults of a family registered by staff', () => {
      const parsed = registerFamilyBodySchema.parse({
        familyNumber: '1001001818331',
        commune: 'Saint-Jean',
        guardian,
        children: [{ firstName: 'LUCAS', lastName: 'DUPONT', birthDate: '2009-03-14', sex: 'M' }],
      });
      expect(parsed.guardian.organismeRattachement).toBe('0');
      expect(parsed.children[0]).toEqual({
        firstName: 'LUCAS',
        lastName: 'DUPONT',
        birthDate: '2009-03-14',
        sex: 'M',
        status: 'enrolled',
        authorizations: { authorizedPickups: [], photoConsent: false, mayLeaveAlone: false },
        health: { allergies: [], pai: false, glasses: false, vaccinations: [] },
      });
    });

    it('require civility, quality and situation of the guardian, not of the spouse', () => {
      const { civility: _c, ...withoutCivility } = guardian;
      expect(issuesOf(registerFamilyBodySchema.safeParse({ familyNumber: '1', commune: 'X', guardian: withoutCivility }))[0].path).toBe(
        'guardian.civility',
      );
      const { civility: _sc, quality: _q, situation: _s, ...spouse } = { ...guardian, firstName: 'JEANNE' };
      expect(registerFamilyBodySchema.safeParse({ familyNumber: '1', commune: 'X', guardian, spouse }).success).toBe(true);
    });
  });
});
