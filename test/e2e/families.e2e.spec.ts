import { CommandBus } from '@nestjs/cqrs';

import { familyCommands } from '../../src/modules/families';
import { StreamCommand } from '../../src/platform/commands/stream-command';
import { bearer, startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const DUPONT = '1001001818331';
const MARTIN = '1001001818332';

describe('Mon compte, demandes de modification et Liste des demandes, over HTTP (embedded runtime)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const newAddress = { line1: '5 AVENUE DES CERISIERS', postalCode: '31400', city: 'SAINT-JEAN' };

  it('serves the docs, the OpenAPI document and the health endpoints without credentials', async () => {
    await t.http.get('/docs').expect(200);
    const openApi = await t.http.get('/docs/openapi.json').expect(200);
    expect(Object.keys(openApi.body.paths)).toEqual(expect.arrayContaining(['/families/{familyId}', '/staff/requests']));
    await t.http.get('/health/live').expect(200, { status: 'ok' });
    const ready = await t.http.get('/health').expect(200);
    expect(ready.body.checks.eventStore.status).toBe('up');
    expect(ready.body.projections.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['family-record', 'change-requests', 'staff-queue']),
    );
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toContain('projection_lag_positions');
  });

  it('shows the parent their family record as the seed does (Mon compte), with the revision as ETag', async () => {
    const res = await t.http.get(`/families/${DUPONT}`).set(bearer(t.tokens.dupont)).expect(200);
    expect(res.body.familyNumber).toBe(DUPONT);
    expect(res.body.guardian).toMatchObject({
      civility: 'M.',
      lastName: 'DUPONT',
      firstName: 'JEAN',
      quality: 'Père',
      address: { line1: '12 RUE DES BONBONS', postalCode: '31400', city: 'SAINT-JEAN' },
      email: 'jean.dupont@wanadoo.fr',
      emailConsent: true,
      smsConsent: false,
    });
    expect(res.body.spouse).toMatchObject({ lastName: 'DUPONT', firstName: 'JEANNE' });
    expect(res.headers.etag).toMatch(/^"\d+"$/);
  });

  it('refuses anonymous callers (401) and hides other families from a parent (404)', async () => {
    const anonymous = await t.http.get(`/families/${DUPONT}`).expect(401);
    expect(anonymous.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    await t.http.get(`/families/${DUPONT}`).set(bearer('not-a-token')).expect(401);
    const other = await t.http.get(`/families/${MARTIN}`).set(bearer(t.tokens.dupont)).expect(404);
    expect(other.body.code).toBe('FAMILY_NOT_FOUND');
    await t.http
      .post(`/families/${MARTIN}/requests/address`)
      .set(bearer(t.tokens.dupont))
      .send({ person: 'guardian', address: newAddress })
      .expect(404);
  });

  it('runs an address change from the request to the acceptance, and a second decision writes nothing', async () => {
    const asked = await t.http
      .post(`/families/${DUPONT}/requests/address`)
      .set(bearer(t.tokens.dupont))
      .send({ person: 'guardian', address: newAddress })
      .expect(201);
    const { requestId } = asked.body;
    expect(requestId).toEqual(expect.any(String));
    expect(asked.headers.etag).toMatch(/^"\d+"$/);

    const again = await t.http
      .post(`/families/${DUPONT}/requests/address`)
      .set(bearer(t.tokens.dupont))
      .send({ person: 'guardian', address: { ...newAddress, line1: '7 AUTRE RUE' } })
      .expect(409);
    expect(again.body.code).toBe('REQUEST_ALREADY_PENDING');

    await t.settle();
    const mine = await t.http.get(`/families/${DUPONT}/requests`).set(bearer(t.tokens.dupont)).expect(200);
    expect(mine.body.pending.map((r: { requestId: string }) => r.requestId)).toContain(requestId);

    const queue = await t.http.get('/staff/requests?category=guardian').set(bearer(t.tokens.staff)).expect(200);
    expect(queue.body.items.map((r: { requestId: string }) => r.requestId)).toContain(requestId);
    await t.http.get('/staff/requests').set(bearer(t.tokens.dupont)).expect(403);

    await t.http.post(`/families/${DUPONT}/requests/${requestId}/accept`).set(bearer(t.tokens.dupont)).send({}).expect(403);
    await t.http.post(`/families/${DUPONT}/requests/${requestId}/accept`).set(bearer(t.tokens.auditor)).send({}).expect(403);
    await t.http.post(`/families/${DUPONT}/requests/${requestId}/accept`).set(bearer(t.tokens.staff)).send({}).expect(200);
    // the acceptance is notified (a notice appended to the family's inbox, then e-mail and SMS): let it finish first
    await t.settle();
    await waitFor(
      async () =>
        (
          (await t.http.get(`/families/${DUPONT}/notifications`).set(bearer(t.tokens.staff)).expect(200)).body.items as {
            notificationId: string;
            status: string;
          }[]
        ).filter((e) => e.notificationId === `request-accepted-${requestId}` && e.status !== 'sending').length === 2,
      { message: 'acceptance notified', timeoutMs: 10_000 },
    );

    const head = await t.events.headPosition();
    const twice = await t.http.post(`/families/${DUPONT}/requests/${requestId}/accept`).set(bearer(t.tokens.staff)).send({}).expect(409);
    expect(twice.body.code).toBe('REQUEST_ALREADY_DECIDED');
    const refuseDecided = await t.http
      .post(`/families/${DUPONT}/requests/${requestId}/refuse`)
      .set(bearer(t.tokens.staff))
      .send({ reason: 'Trop tard' })
      .expect(409);
    expect(refuseDecided.body.code).toBe('REQUEST_ALREADY_DECIDED');
    expect(await t.events.headPosition()).toBe(head);

    await t.settle();
    const record = await t.http.get(`/families/${DUPONT}`).set(bearer(t.tokens.dupont)).expect(200);
    expect(record.body.guardian.address).toMatchObject(newAddress);
    const list = await t.http.get(`/families/${DUPONT}/requests?category=guardian`).set(bearer(t.tokens.dupont)).expect(200);
    const accepted = list.body.accepted.find((r: { requestId: string }) => r.requestId === requestId);
    expect(accepted).toMatchObject({ status: 'accepted', category: 'guardian' });
    expect(accepted.decidedAt).toEqual(expect.any(String));
    const queueAfter = await t.http.get('/staff/requests').set(bearer(t.tokens.staff)).expect(200);
    expect(queueAfter.body.items.map((r: { requestId: string }) => r.requestId)).not.toContain(requestId);
  });

  it('refuses a request with a required reason that the parent then reads', async () => {
    const asked = await t.http
      .post(`/families/${DUPONT}/requests/caf`)
      .set(bearer(t.tokens.dupont))
      .send({ changes: { regime: 'CAF', allocataireNumber: '1234567', quotientFamilial: 720 } })
      .expect(201);
    const { requestId } = asked.body;
    const noReason = await t.http.post(`/families/${DUPONT}/requests/${requestId}/refuse`).set(bearer(t.tokens.staff)).send({}).expect(400);
    expect(noReason.body.code).toBe('VALIDATION_FAILED');
    const blank = await t.http
      .post(`/families/${DUPONT}/requests/${requestId}/refuse`)
      .set(bearer(t.tokens.staff))
      .send({ reason: '   ' })
      .expect(400);
    expect(blank.body.code).toBe('VALIDATION_FAILED');
    await t.http
      .post(`/families/${DUPONT}/requests/${requestId}/refuse`)
      .set(bearer(t.tokens.staff))
      .send({ reason: "Merci de joindre l'attestation CAF." })
      .expect(200);
    await t.settle();
    const list = await t.http.get(`/families/${DUPONT}/requests?category=caf`).set(bearer(t.tokens.dupont)).expect(200);
    expect(list.body.refused).toEqual([
      expect.objectContaining({
        requestId,
        status: 'refused',
        reason: "Merci de joindre l'attestation CAF.",
        decidedAt: expect.any(String),
      }),
    ]);
    expect(list.body.pending).toEqual([]);
  });

  it('keeps only the last month in the Liste des demandes, while the history keeps every request', async () => {
    const fortyDaysAgo = new Date(t.clock.now().getTime() - 40 * 24 * 3600 * 1000).toISOString();
    const parent = { userId: 'parent-dupont', role: 'parent' as const, familyId: DUPONT };
    const old = await t.app
      .get(CommandBus)
      .execute(
        StreamCommand.to(
          familyCommands,
          DUPONT,
          { type: 'RequestContactChange', requestId: 'old-request-1', person: 'spouse', changes: { profession: 'Infirmière' } },
          { principal: parent, correlationId: 'test-old-request', now: fortyDaysAgo },
        ),
      );
    expect(old.events.map((e) => e.type)).toEqual(['ChangeRequested']);
    await t.settle();
    const list = await t.http.get(`/families/${DUPONT}/requests?category=spouse`).set(bearer(t.tokens.dupont)).expect(200);
    expect([...list.body.pending, ...list.body.accepted, ...list.body.refused]).toEqual([]);
    const history = await t.http.get(`/families/${DUPONT}/history`).set(bearer(t.tokens.auditor)).expect(200);
    expect(history.body.requests['old-request-1']).toMatchObject({ status: 'pending', category: 'spouse' });
  });

  it('checks IBAN and BIC of a direct-debit request (422 with a stable code)', async () => {
    const bad = await t.http
      .post(`/families/${DUPONT}/requests/direct-debit`)
      .set(bearer(t.tokens.dupont))
      .send({ accountHolder: 'DUPONT JEAN', iban: 'FR76 3000 6000 0112 3456 7890 188', bic: 'AGRIFRPP' })
      .expect(422);
    expect(bad.body).toMatchObject({ code: 'INVALID_IBAN', message: expect.any(String) });
    const ok = await t.http
      .post(`/families/${DUPONT}/requests/direct-debit`)
      .set(bearer(t.tokens.dupont))
      .send({ accountHolder: 'DUPONT JEAN', iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'AGRIFRPP' })
      .expect(201);
    expect(ok.body.requestId).toEqual(expect.any(String));
  });

  it('lets a parent ask for child changes (authorizations, health data) and announce a new child', async () => {
    const record = await t.http.get(`/families/${DUPONT}`).set(bearer(t.tokens.dupont)).expect(200);
    const childId = record.body.children[0].childId;
    await t.http
      .post(`/families/${DUPONT}/requests/authorizations`)
      .set(bearer(t.tokens.dupont))
      .send({ childId, changes: { authorizedPickups: [{ name: 'MARTIN PAUL', phone: '06 98 76 54 32', relationship: 'Oncle' }] } })
      .expect(201);
    const health = await t.http
      .post(`/families/${DUPONT}/requests/health`)
      .set(bearer(t.tokens.dupont))
      .send({ childId, changes: { allergies: ['arachide'], glasses: true } })
      .expect(201);
    await t.http
      .post(`/families/${DUPONT}/requests/health`)
      .set(bearer(t.tokens.dupont))
      .send({ childId: 'unknown-child', changes: { glasses: true } })
      .expect(404);
    await t.http
      .post(`/families/${DUPONT}/requests/child-addition`)
      .set(bearer(t.tokens.dupont))
      .send({ child: { firstName: 'LÉO', lastName: 'DUPONT', birthDate: '2023-05-02', sex: 'M' } })
      .expect(201);
    await t.http.post(`/families/${DUPONT}/requests/${health.body.requestId}/accept`).set(bearer(t.tokens.staff)).send({}).expect(200);
    await t.settle();
    const after = await t.http.get(`/families/${DUPONT}`).set(bearer(t.tokens.dupont)).expect(200);
    expect(after.body.children[0].health).toMatchObject({ allergies: ['arachide'], glasses: true });
  });

  it('answers bad input with 400/413/422 and a French message, never a 500, and writes nothing', async () => {
    const head = await t.events.headPosition();
    const url = `/families/${DUPONT}/requests/address`;
    const malformed = await t.http
      .post(url)
      .set(bearer(t.tokens.dupont))
      .set('Content-Type', 'application/json')
      .send('{"person": "guardian",')
      .expect(400);
    expect(malformed.body).toMatchObject({ code: 'MALFORMED_JSON', correlationId: expect.any(String) });
    const unknownField = await t.http
      .post(url)
      .set(bearer(t.tokens.dupont))
      .send({ person: 'guardian', address: newAddress, admin: true })
      .expect(400);
    expect(unknownField.body.code).toBe('VALIDATION_FAILED');
    const wrongType = await t.http
      .post(url)
      .set(bearer(t.tokens.dupont))
      .send({ person: 'guardian', address: { ...newAddress, postalCode: 31400 } })
      .expect(400);
    expect(wrongType.body.details[0].path).toBe('address.postalCode');
    const badPostalCode = await t.http
      .post(url)
      .set(bearer(t.tokens.dupont))
      .send({ person: 'guardian', address: { ...newAddress, postalCode: '3140' } })
      .expect(400);
    expect(badPostalCode.body.message).toMatch(/invalides/);
    const huge = await t.http
      .post(url)
      .set(bearer(t.tokens.dupont))
      .send({ person: 'guardian', address: { ...newAddress, line1: 'x'.repeat(200_000) } })
      .expect(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    const notJsonArray = await t.http.post(url).set(bearer(t.tokens.dupont)).send([1, 2]).expect(400);
    expect(notJsonArray.body.code).toBe('VALIDATION_FAILED');
    await t.http.get('/families/bad%20id').set(bearer(t.tokens.staff)).expect(400);
    await t.http.get('/nowhere').set(bearer(t.tokens.staff)).expect(404);
    await t.http.post(`/families/${DUPONT}/requests/no-such-request/accept`).set(bearer(t.tokens.staff)).send({}).expect(404);
    await t.http.get('/staff/requests?limit=5000').set(bearer(t.tokens.staff)).expect(400);
    expect(await t.events.headPosition()).toBe(head);
  });

  it('honours If-Match (412 on a stale revision) and Idempotency-Key (one effect, same answer)', async () => {
    const record = await t.http.get(`/families/${MARTIN}`).set(bearer(t.tokens.martin)).expect(200);
    const etag = record.headers.etag as string;
    const body = { changes: { referenceIncomeCents: 3_200_000, taxShares: 2.5, year: 2025 } };
    const head = await t.events.headPosition();
    const stale = await t.http
      .post(`/families/${MARTIN}/requests/tax`)
      .set(bearer(t.tokens.martin))
      .set('If-Match', '"99"')
      .send(body)
      .expect(412);
    expect(stale.body.code).toBe('REVISION_MISMATCH');
    expect(await t.events.headPosition()).toBe(head);
    await t.http
      .post(`/families/${MARTIN}/requests/tax`)
      .set(bearer(t.tokens.martin))
      .set('If-Match', 'not-an-etag')
      .send(body)
      .expect(422);
    const fresh = await t.http
      .post(`/families/${MARTIN}/requests/tax`)
      .set(bearer(t.tokens.martin))
      .set('If-Match', etag)
      .send(body)
      .expect(201);
    expect(fresh.headers.etag).toBe(`"${Number(JSON.parse(etag)) + 1}"`);

    const first = await t.http
      .post(`/families/${MARTIN}/requests/contact`)
      .set(bearer(t.tokens.martin))
      .set('Idempotency-Key', 'martin-contact-0001')
      .send({ person: 'guardian', changes: { phones: { mobile: '06 55 44 33 22' } } })
      .expect(201);
    const headAfterFirst = await t.events.headPosition();
    const second = await t.http
      .post(`/families/${MARTIN}/requests/contact`)
      .set(bearer(t.tokens.martin))
      .set('Idempotency-Key', 'martin-contact-0001')
      .send({ person: 'guardian', changes: { phones: { mobile: '06 55 44 33 22' } } })
      .expect(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await t.events.headPosition()).toBe(headAfterFirst);
    const reused = await t.http
      .post(`/families/${MARTIN}/requests/contact`)
      .set(bearer(t.tokens.martin))
      .set('Idempotency-Key', 'martin-contact-0001')
      .send({ person: 'guardian', changes: { phones: { mobile: '06 00 00 00 00' } } })
      .expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('lets staff register a family and add a child, and an auditor replay the history', async () => {
    const registered = await t.http
      .post('/families')
      .set(bearer(t.tokens.otherStaff))
      .send({
        familyNumber: '1001001818999',
        commune: 'PEAUGRES',
        guardian: {
          civility: 'Mme',
          lastName: 'BERNARD',
          firstName: 'SOPHIE',
          quality: 'Mère',
          situation: 'Célibataire',
          address: { line1: '1 RUE DU MOULIN', postalCode: '07340', city: 'PEAUGRES' },
          phones: { mobile: '0611223344' },
          email: 'sophie.bernard@example.fr',
          emailConsent: true,
          smsConsent: true,
          organismeRattachement: 'CAF',
        },
      })
      .expect(201);
    expect(registered.body.familyId).toBe('1001001818999');
    const duplicate = await t.http
      .post('/families')
      .set(bearer(t.tokens.otherStaff))
      .send({
        familyNumber: '1001001818999',
        commune: 'PEAUGRES',
        guardian: {
          civility: 'Mme',
          lastName: 'X',
          firstName: 'Y',
          quality: 'Mère',
          situation: 'Célibataire',
          address: { line1: '1', postalCode: '07340', city: 'P' },
          phones: {},
          emailConsent: false,
          smsConsent: false,
          organismeRattachement: '0',
        },
      });
    expect(duplicate.status).toBe(409);
    await t.http.post('/families').set(bearer(t.tokens.dupont)).send({}).expect(403);
    t.clock.advance(60_000); // distinct instants for the asOf replay below
    await t.http
      .post('/families/1001001818999/children')
      .set(bearer(t.tokens.otherStaff))
      .send({ firstName: 'EMMA', lastName: 'BERNARD', birthDate: '2019-09-01', sex: 'F' })
      .expect(201);
    await t.settle();
    const history = await t.http.get('/families/1001001818999/history').set(bearer(t.tokens.auditor)).expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['FamilyRegistered', 'ChildAdded']);
    expect(history.body.events[0]).toMatchObject({ userId: 'agent.peaugres', role: 'staff', correlationId: expect.any(String) });
    const before = await t.http
      .get(`/families/1001001818999/history?asOf=${encodeURIComponent(history.body.events[0].recordedAt)}`)
      .set(bearer(t.tokens.auditor))
      .expect(200);
    expect(before.body.record.children).toEqual([]);
    await t.http.get('/families/1001001818999/history').set(bearer(t.tokens.dupont)).expect(403);
  });
});
