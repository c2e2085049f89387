import { ALSH_FACILITY, ALSH_MERCREDI_CONFIG } from '../../src/modules/planning/catalog/catalog.examples';
import { bearer, startTestApp, TestApp } from '../support/test-app';

/**
 * Text a person writes is stored only when every screen can show it as written: control characters,
 * bidirectional overrides and lone surrogates are refused (400, French message, nothing written); text is
 * stored in NFC.
 */
describe('Text fields refuse invisible and broken characters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const HOSTILE = ['LU\u0000CIE', 'LUCIE\u202Eexe.pdf', 'LU\uD800CIE', 'LUCIE\nDUPONT', 'A\u001b[2JB'];

  it.each(HOSTILE.map((value) => [JSON.stringify(value), value]))(
    'refuses %s in a child name, an activity name, a closure reason and an id',
    async (_shown, value) => {
      const staff = bearer(t.tokens.staff);
      const head = await t.events.headPosition();
      const child = await t.http
        .post('/families/1001001818331/children')
        .set(staff)
        .send({ firstName: value, lastName: 'DUPONT', birthDate: '2020-01-01', sex: 'F' })
        .expect(400);
      expect(child.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(child.body.details)).toMatch(/firstName.*Nom ou prénom : .*caractère/);
      await t.http
        .post(`/facilities/${ALSH_FACILITY.facilityId}/activities`)
        .set(staff)
        .send({ activityId: 'texte', ...ALSH_MERCREDI_CONFIG, name: value })
        .expect(400);
      await t.http
        .post(`/facilities/${ALSH_FACILITY.facilityId}/closures`)
        .set(staff)
        .send({ scope: { facilityId: ALSH_FACILITY.facilityId }, from: '2027-05-05', to: '2027-05-05', reason: value })
        .expect(400);
      await t.http
        .post('/families/1001001818331/requests/health')
        .set(bearer(t.tokens.dupont))
        .send({ childId: value, changes: { glasses: true } })
        .expect(400);
      expect(await t.events.headPosition()).toBe(head);
    },
  );

  it('stores text in NFC (an accent typed as a separate mark is one character)', async () => {
    const staff = bearer(t.tokens.staff);
    const res = await t.http
      .post('/families/1001001818331/children')
      .set(staff)
      .send({ firstName: 'ZOE\u0301', lastName: 'DUPONT', birthDate: '2020-01-01', sex: 'F' })
      .expect(201);
    await t.settle();
    const record = await t.http.get('/families/1001001818331').set(staff).expect(200);
    const added = record.body.children.find((c: { childId: string }) => c.childId === res.body.childId);
    expect(added.firstName).toBe('ZOÉ');
    expect(added.firstName).toHaveLength(3);
  });
});
