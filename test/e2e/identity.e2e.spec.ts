import { DEMO_PASSWORD } from '../../src/demo/demo-data';
import { SessionStore } from '../../src/modules/identity/sessions/session-store';
import { bearer, LOGINS, startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const DUPONT = '1001001818331';
const MARTIN = '1001001818332';
const PUBLIC_BASE_URL = 'https://portail.example.fr';

interface Mail {
  to: string;
  subject: string;
  text: string;
  template: string;
}

describe('Identity and access over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_BASE_URL });
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (loginName: string, password: string) => t.http.post('/auth/login').send({ login: loginName, password });
  const mails = async (to: string): Promise<Mail[]> =>
    (
      await t.http
        .get(`/admin/outbox?to=${encodeURIComponent(to)}`)
        .set(bearer(t.tokens.admin))
        .expect(200)
    ).body.items;
  const linkIn = (mail: Mail) => {
    const match = /https?:\/\/\S+/.exec(mail.text);
    if (!match) throw new Error(`no link in ${mail.text}`);
    return new URL(match[0]);
  };

  it('logs in, tells who is connected, and logs out on the server', async () => {
    const res = await login(LOGINS.jeanne, DEMO_PASSWORD).expect(200);
    expect(res.body).toMatchObject({
      token: expect.any(String),
      expiresAt: expect.any(String),
      account: { role: 'parent', familyId: DUPONT },
    });
    const me = await t.http.get('/auth/me').set(bearer(res.body.token)).expect(200);
    expect(me.body).toMatchObject({ userId: 'jeanne.dupont', role: 'parent', familyId: DUPONT });
    await t.http.post('/auth/logout').set(bearer(res.body.token)).send({}).expect(204);
    await t.http.get('/auth/me').set(bearer(res.body.token)).expect(401);
  });

  it('answers an unknown identifiant exactly like a wrong password, after the same hashing work', async () => {
    const started1 = process.hrtime.bigint();
    const wrong = await login(LOGINS.martin, 'Pas-le-bon-1').expect(401);
    const knownMs = Number(process.hrtime.bigint() - started1) / 1e6;
    const started2 = process.hrtime.bigint();
    const unknown = await login('personne.inconnue', 'Pas-le-bon-1').expect(401);
    const unknownMs = Number(process.hrtime.bigint() - started2) / 1e6;
    const { correlationId: _a, ...wrongBody } = wrong.body;
    const { correlationId: _b, ...unknownBody } = unknown.body;
    expect(unknownBody).toEqual(wrongBody);
    expect(wrongBody).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Identifiant ou mot de passe incorrect.' });
    // Both paths run one argon2id verification (~25 ms here): an unknown identifiant is not answered faster.
    expect(unknownMs).toBeGreaterThan(knownMs / 3);
  });

  it('refuses malformed, oversized and tampered credentials with a clear answer, never a 500', async () => {
    await t.http.post('/auth/login').send({ login: 'x' }).expect(400);
    await t.http
      .post('/auth/login')
      .send({ login: 'a'.repeat(65), password: 'x' })
      .expect(400);
    await t.http
      .post('/auth/login')
      .send({ login: 'admin', password: 'x'.repeat(2000) })
      .expect(400);
    await t.http.post('/auth/login').set('Content-Type', 'application/json').send('{"login":').expect(400);
    await t.http.post('/auth/login').send({ login: 'admin', password: 'x', extra: 1 }).expect(400);
    const token = t.tokens.auditor;
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BA' : 'AA');
    await t.http.get('/auth/me').set(bearer(tampered)).expect(401);
    await t.http.get('/auth/me').set('Authorization', 'Basic YWRtaW46YWRtaW4=').expect(401);
    await t.http
      .get('/auth/me')
      .set('Authorization', `Bearer ${'x'.repeat(600)}`)
      .expect(401);
  });

  it('locks an identifiant from a source after 5 failures (429 with Retry-After), and a login flood never gets a 500', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => login('agent.peaugres', 'Mauvais-Mot-2026')));
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    const locked = await login('agent.peaugres', DEMO_PASSWORD).expect(429);
    expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('« Mot de passe oublié » answers the same for any identifiant, mails a link built from the configuration, and the reset ends the other sessions', async () => {
    const session = (await login(LOGINS.dupont, DEMO_PASSWORD).expect(200)).body.token as string;
    const known = await t.http.post('/auth/password/forgot').set('Host', 'evil.example.com').send({ login: LOGINS.dupont }).expect(202);
    const unknown = await t.http.post('/auth/password/forgot').send({ login: 'nobody.here' }).expect(202);
    expect(unknown.body).toEqual(known.body);

    await waitFor(async () => (await mails('jean.dupont@wanadoo.fr')).some((m) => m.template === 'password-reset'), {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    const [mail] = (await mails('jean.dupont@wanadoo.fr')).filter((m) => m.template === 'password-reset');
    expect(mail.subject).toMatch(/mot de passe/i);
    const link = linkIn(mail);
    expect(link.origin).toBe(PUBLIC_BASE_URL);
    const token = link.searchParams.get('jeton')!;
    expect(link.searchParams.get('compte')).toBe(LOGINS.dupont);

    const weak = await t.http.post('/auth/password/reset').send({ login: LOGINS.dupont, token, password: 'azerty123' }).expect(422);
    expect(weak.body.code).toBe('WEAK_PASSWORD');
    const forged = await t.http
      .post('/auth/password/reset')
      .send({ login: LOGINS.dupont, token: 'A'.repeat(43), password: 'Nouveau-Jardin-77' })
      .expect(422);
    expect(forged.body.code).toBe('INVALID_OR_EXPIRED_TOKEN');
    await t.http.post('/auth/password/reset').send({ login: LOGINS.dupont, token, password: 'Nouveau-Jardin-77' }).expect(204);
    const reused = await t.http.post('/auth/password/reset').send({ login: LOGINS.dupont, token, password: 'Autre-Jardin-78' }).expect(422);
    expect(reused.body.code).toBe('INVALID_OR_EXPIRED_TOKEN');

    await t.http.get('/auth/me').set(bearer(session)).expect(401);
    await t.http.get('/auth/me').set(bearer(t.tokens.dupont)).expect(401);
    await login(LOGINS.dupont, DEMO_PASSWORD).expect(401);
    const fresh = await login(LOGINS.dupont, 'Nouveau-Jardin-77').expect(200);
    t.tokens.dupont = fresh.body.token;
    await waitFor(async () => (await mails('jean.dupont@wanadoo.fr')).some((m) => m.template === 'password-reset-done'), {
      timeoutMs: 5000,
    });
  });

  it('creates a family login with an activation e-mail; the parent activates it with a password that follows the rules', async () => {
    const outOfScope = await t.http
      .post(`/families/${MARTIN}/accounts`)
      .set(bearer(t.tokens.staff))
      .send({ login: 'paul.martin', email: 'paul.martin@example.fr', displayName: 'PAUL MARTIN' })
      .expect(404);
    expect(outOfScope.body.code).toBe('FAMILY_NOT_FOUND');
    const created = await t.http
      .post(`/families/${MARTIN}/accounts`)
      .set(bearer(t.tokens.otherStaff))
      .send({ login: 'paul.martin', email: 'paul.martin@example.fr', displayName: 'PAUL MARTIN' })
      .expect(201);
    expect(created.body).toEqual({ accountId: 'paul.martin', activationMailSent: true });
    await t.http
      .post(`/families/${MARTIN}/accounts`)
      .set(bearer(t.tokens.otherStaff))
      .send({ login: 'Paul.Martin', email: 'paul.martin@example.fr', displayName: 'PAUL MARTIN' })
      .expect(409);
    await login('paul.martin', 'Nouveau-Jardin-77').expect(401);

    const [mail] = await mails('paul.martin@example.fr');
    expect(mail.template).toBe('account-activation');
    const token = linkIn(mail).searchParams.get('jeton')!;
    const containsLogin = await t.http
      .post('/auth/activate')
      .send({ login: 'paul.martin', token, password: 'Paul.Martin-2026' })
      .expect(422);
    expect(containsLogin.body.details.violations.map((v: { code: string }) => v.code)).toContain('CONTAINS_LOGIN');
    await t.http.post('/auth/activate').send({ login: 'paul.martin', token, password: 'Framboise-Rouge-31' }).expect(204);
    const res = await login('paul.martin', 'Framboise-Rouge-31').expect(200);
    await t.http.get(`/families/${MARTIN}`).set(bearer(res.body.token)).expect(200);
    await t.http.get(`/families/${DUPONT}`).set(bearer(res.body.token)).expect(404);
    await t.http.post('/auth/activate').send({ login: 'paul.martin', token, password: 'Framboise-Rouge-32' }).expect(422);
  });

  it('gives a separated parent a login limited to the children they share', async () => {
    const added = await t.http
      .post(`/families/${DUPONT}/children`)
      .set(bearer(t.tokens.staff))
      .send({ firstName: 'HUGO', lastName: 'DUPONT', birthDate: '2016-06-06', sex: 'M' })
      .expect(201);
    await t.http
      .post(`/families/${DUPONT}/accounts`)
      .set(bearer(t.tokens.staff))
      .send({ login: 'marc.dupont', email: 'marc.dupont@example.fr', displayName: 'MARC DUPONT', childIds: [added.body.childId] })
      .expect(201);
    const [mail] = await mails('marc.dupont@example.fr');
    await t.http
      .post('/auth/activate')
      .send({ login: 'marc.dupont', token: linkIn(mail).searchParams.get('jeton'), password: 'Olivier-Gris-2026' })
      .expect(204);
    await t.settle();
    const token = (await login('marc.dupont', 'Olivier-Gris-2026').expect(200)).body.token as string;
    const record = await t.http.get(`/families/${DUPONT}`).set(bearer(token)).expect(200);
    expect(record.body.children.map((c: { childId: string }) => c.childId)).toEqual([added.body.childId]);
    const other = await t.http
      .post(`/families/${DUPONT}/requests/health`)
      .set(bearer(token))
      .send({ childId: 'enfant-lucie-dupont', changes: { glasses: true } })
      .expect(404);
    expect(other.body.code).toBe('CHILD_NOT_FOUND');
    await t.http
      .post(`/families/${DUPONT}/requests/health`)
      .set(bearer(token))
      .send({ childId: added.body.childId, changes: { glasses: true } })
      .expect(201);
  });

  it('creates the guardian’s login together with the family, as the commune registers it', async () => {
    const res = await t.http
      .post('/families')
      .set(bearer(t.tokens.otherStaff))
      .send({
        familyNumber: '1001001818400',
        commune: 'PEAUGRES',
        guardian: {
          civility: 'Mme',
          lastName: 'ROBERT',
          firstName: 'ALICE',
          quality: 'Mère',
          situation: 'Célibataire',
          address: { line1: '2 RUE HAUTE', postalCode: '07340', city: 'PEAUGRES' },
          phones: {},
          emailConsent: true,
          smsConsent: false,
          organismeRattachement: 'CAF',
        },
        account: { login: '1001001818400', email: 'alice.robert@example.fr', displayName: 'ALICE ROBERT' },
      })
      .expect(201);
    expect(res.body.account).toEqual({ accountId: '1001001818400', activationMailSent: true });
    const [mail] = await mails('alice.robert@example.fr');
    expect(mail.template).toBe('account-activation');
  });

  it('ends a session after 30 minutes without a request, and 12 hours after login in any case', async () => {
    const sessions = t.app.get(SessionStore);
    const opened = t.clock.now();
    const a = await sessions.open({ accountId: 'auditeur', credentialsVersion: 1 }, 'test', opened);
    expect(await sessions.resolve(a.token, new Date(opened.getTime() + 29 * 60_000))).toMatchObject({ userId: 'auditeur' });
    // that request moved the idle deadline: 29 + 29 minutes is still inside it
    expect(await sessions.resolve(a.token, new Date(opened.getTime() + 58 * 60_000))).not.toBeNull();
    expect(await sessions.resolve(a.token, new Date(opened.getTime() + 58 * 60_000 + 31 * 60_000))).toBeNull();
    const b = await sessions.open({ accountId: 'auditeur', credentialsVersion: 1 }, 'test', opened);
    let at = opened.getTime();
    for (let i = 0; i < 30; i++) {
      at += 25 * 60_000;
      const alive = await sessions.resolve(b.token, new Date(at));
      if (at - opened.getTime() < 12 * 3600_000) expect(alive).not.toBeNull();
      else expect(alive).toBeNull();
    }
    expect(at - opened.getTime()).toBeGreaterThan(12 * 3600_000);
  });

  it('changes a password: wrong current password refused, other sessions closed, this one kept', async () => {
    const a = (await login('jeanne.dupont', DEMO_PASSWORD).expect(200)).body.token as string;
    const b = (await login('jeanne.dupont', DEMO_PASSWORD).expect(200)).body.token as string;
    const wrong = await t.http
      .post('/auth/password')
      .set(bearer(a))
      .send({ currentPassword: 'Pas-le-bon-1', newPassword: 'Cerise-Bleue-42' })
      .expect(422);
    expect(wrong.body.code).toBe('INVALID_CURRENT_PASSWORD');
    await t.http.post('/auth/password').set(bearer(a)).send({ currentPassword: DEMO_PASSWORD, newPassword: 'Cerise-Bleue-42' }).expect(204);
    await t.http.get('/auth/me').set(bearer(a)).expect(200);
    await t.http.get('/auth/me').set(bearer(b)).expect(401);
    await login('jeanne.dupont', 'Cerise-Bleue-42').expect(200);
  });

  it('disabling an account ends its sessions and its logins; staff manage parents of their scope only', async () => {
    const session = (await login(LOGINS.martin, DEMO_PASSWORD).expect(200)).body.token as string;
    await t.http.post(`/accounts/${LOGINS.martin}/disable`).set(bearer(t.tokens.staff)).send({ reason: 'Test' }).expect(404);
    await t.http.post(`/accounts/${LOGINS.admin}/disable`).set(bearer(t.tokens.otherStaff)).send({ reason: 'Test' }).expect(404);
    await t.http
      .post(`/accounts/${LOGINS.martin}/disable`)
      .set(bearer(t.tokens.otherStaff))
      .send({ reason: 'Départ de la commune' })
      .expect(204);
    await t.http.get('/auth/me').set(bearer(session)).expect(401);
    await login(LOGINS.martin, DEMO_PASSWORD).expect(401);
    await t.http.post(`/accounts/${LOGINS.martin}/enable`).set(bearer(t.tokens.otherStaff)).send({}).expect(204);
    t.tokens.martin = (await login(LOGINS.martin, DEMO_PASSWORD).expect(200)).body.token;
  });

  it('only administrators create staff accounts and read the outbox', async () => {
    const body = {
      login: 'agent.nouveau',
      role: 'staff',
      email: 'agent.nouveau@example.fr',
      displayName: 'Nouvel agent',
      scope: ['Peaugres'],
    };
    await t.http.post('/admin/accounts').set(bearer(t.tokens.staff)).send(body).expect(403);
    await t.http.get('/admin/outbox').set(bearer(t.tokens.staff)).expect(403);
    const created = await t.http.post('/admin/accounts').set(bearer(t.tokens.admin)).send(body).expect(201);
    expect(created.body.accountId).toBe('agent.nouveau');
  });

  it('records every read of health or bank data by staff, and auditors read that log', async () => {
    await t.http.get(`/families/${DUPONT}`).set(bearer(t.tokens.staff)).expect(200);
    await t.http.get(`/families/${DUPONT}`).set(bearer(t.tokens.dupont)).expect(200);
    const log = await t.http.get(`/families/${DUPONT}/access-log`).set(bearer(t.tokens.auditor)).expect(200);
    const reads = log.body.reads as { userId: string; role: string; data: string[]; readAt: string }[];
    expect(reads[0]).toMatchObject({ userId: 'agent.saint-jean', role: 'staff', data: ['health', 'bank'], readAt: expect.any(String) });
    expect(reads.some((r) => r.role === 'parent')).toBe(false);
    await t.http.get(`/families/${DUPONT}/access-log`).set(bearer(t.tokens.staff)).expect(403);
  });
});
