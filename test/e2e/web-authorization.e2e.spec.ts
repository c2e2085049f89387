/**
 * The authorization matrix of the web pages (src/web): every page route, taken from the portal's own route
 * table (so a new page is covered without anyone remembering), called as an anonymous visitor, with a
 * session but without the form's CSRF token, as a parent of another family, as staff of another commune
 * and, for writes, as an auditor. Every cell must be refused and write nothing. Pages reach the
 * application through the API (api-client.ts), so the API's matrix (authorization-matrix.e2e.spec.ts)
 * covers the rules; this one proves the pages add no way around them.
 */
import { ALSH_MERCREDI_ID, PERISCOLAIRE_FACILITY, RESTAURATION_ID } from '../../src/modules/planning/catalog/catalog.examples';
import { loadConfig } from '../../src/platform/config/config';
import { webRoutes } from '../../src/web';
import type { PageRoute } from '../../src/web/portal';
import { sessionCsrfToken } from '../../src/web/web-session';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

const DUPONT = '1001001818331';
const LUCIE = 'enfant-lucie-dupont';

/** A valid form for every page that takes one, so a refusal comes from authorization, not validation. */
const FORMS: Record<string, Record<string, string>> = {
  '/connexion': { identifiant: DUPONT, motDePasse: 'Pas-Le-Bon-2026' },
  '/mot-de-passe/oublie': { identifiant: DUPONT },
  '/mot-de-passe/reinitialiser': {
    compte: DUPONT,
    jeton: 'A'.repeat(43),
    motDePasse: 'Girafe-Bleue-2027',
    confirmation: 'Girafe-Bleue-2027',
  },
  '/activation': { compte: DUPONT, jeton: 'A'.repeat(43), motDePasse: 'Girafe-Bleue-2027', confirmation: 'Girafe-Bleue-2027' },
  '/mot-de-passe': { actuel: 'Tournesol-Vert-2026', motDePasse: 'Girafe-Bleue-2027', confirmation: 'Girafe-Bleue-2027' },
  '/mon-compte/:formulaire': { personne: 'guardian', ligne1: '5 AVENUE DES CERISIERS', codePostal: '31400', ville: 'SAINT-JEAN' },
  '/mes-enfants/semaine-type': { du: '2026-11-30', au: '2026-12-04', [`jours:${LUCIE}:${RESTAURATION_ID}`]: '1' },
  '/mes-enfants/ajout': { prenom: 'ZOÉ', nom: 'DUPONT', naissance: '2024-01-01', sexe: 'F' },
  '/mes-enfants/:childId/:demande(autorisations|sante)': { allergies: 'arachide', lunettes: 'on' },
  '/mes-enfants/:childId/jour': { activite: RESTAURATION_ID, date: '2026-11-23', action: 'reserver' },
  '/agents/demandes/:familyId/:requestId': { decision: 'refuser', motif: 'Matrice' },
  '/agents/structures/:facilityId/fermetures': { du: '2026-12-03', motif: 'Matrice' },
  '/agents/activites/:activityId/jours/:date': { action: 'pointage', [`presence:${DUPONT}:${LUCIE}`]: 'present' },
  '/agents/calendrier': { type: 'remove-holiday-days', du: '2027-02-08', au: '2027-02-08' },
  '/messages/nouveau': { destinataire: 'service-famille', objet: 'billing', sujet: 'Matrice', message: 'Matrice' },
  '/messages/:threadId/repondre': { message: 'Matrice' },
  '/messages/:threadId/:geste(supprimer|restaurer|non-lu)': {},
  '/deconnexion': {},
};

/** The DUPONT family's demo conversation and one of its invoices (another family must not reach them). */
const DUPONT_THREAD = 'demo-question-dupont';
const DUPONT_INVOICE = 'imp-regie-garderie-alsh-AL-36';

/** Back-office pages of no family or commune in particular (lists filtered by the agent's scope, the calendar). */
const UNSCOPED_STAFF_PAGES = new Set(['/agents', '/agents/familles', '/agents/activites', '/agents/calendrier']);

/** Pages for anyone (the login, the password links): no cell but the CSRF one. */
const PUBLIC = (route: PageRoute) => route.access === 'public';

describe('Authorization matrix of the web pages', () => {
  let t: TestApp;
  let routes: PageRoute[];
  let pendingRequestId: string;

  beforeAll(async () => {
    t = await startTestApp();
    routes = webRoutes(loadConfig({}));
    const asked = await t.http
      .post(`/families/${DUPONT}/requests/tax`)
      .set(bearer(t.tokens.dupont))
      .send({ changes: { year: 2025 } })
      .expect(201);
    pendingRequestId = asked.body.requestId;
    await t.settle();
  });
  afterAll(async () => {
    await t.close();
  });

  const urlOf = (path: string) =>
    path
      .replace(':childId', LUCIE)
      .replace(':familyId', DUPONT)
      .replace(':requestId', pendingRequestId)
      .replace(':formulaire', 'adresse')
      .replace(':demande(autorisations|sante)', 'sante')
      .replace(':facilityId', PERISCOLAIRE_FACILITY.facilityId)
      .replace(':activityId', RESTAURATION_ID)
      .replace(':date', '2026-11-23')
      .replace(':threadId', DUPONT_THREAD)
      .replace(':geste(supprimer|restaurer|non-lu)', 'supprimer')
      .replace(':invoiceId', DUPONT_INVOICE) + (path.endsWith('/jour') ? `?activite=${ALSH_MERCREDI_ID}&date=2026-11-18` : '');

  /** A request as a browser with this session sends it (cookie; the session's CSRF token unless told otherwise). */
  async function call(route: PageRoute, token: string | undefined, csrf: 'valid' | 'missing' = 'valid') {
    const url = urlOf(route.path);
    if (route.method === 'GET') return t.http.get(url).set(token ? { cookie: `pf_session=${token}` } : {});
    const form: Record<string, string> = { ...(FORMS[route.path] ?? {}) };
    let cookie = token ? `pf_session=${token}` : 'pf_csrf=anonymous-csrf-token-of-the-matrix';
    if (csrf === 'valid') form._csrf = token ? sessionCsrfToken(token) : 'anonymous-csrf-token-of-the-matrix';
    if (!token && csrf === 'missing') cookie = '';
    return t.http
      .post(url)
      .set(cookie ? { cookie } : {})
      .type('form')
      .send(form);
  }

  it('has a sample form for every page that takes one', () => {
    const missing = routes.filter((r) => r.method === 'POST' && !(r.path in FORMS)).map((r) => r.path);
    expect(missing).toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(30);
  });

  it('refuses every cell and writes nothing', async () => {
    const head = await t.events.headPosition();
    const wrong: { cell: string; route: string; status: number; location?: string }[] = [];
    let cells = 0;
    const expectRefused = async (
      cell: string,
      route: PageRoute,
      token: string | undefined,
      ok: (status: number, location?: string, text?: string) => boolean,
      csrf?: 'missing',
    ) => {
      const res = await call(route, token, csrf);
      cells += 1;
      if (!ok(res.status, res.headers.location, res.text))
        wrong.push({ cell, route: `${route.method} ${route.path}`, status: res.status, location: res.headers.location });
    };
    const toLogin = (status: number, location?: string) => status === 303 && (location ?? '').startsWith('/connexion');
    const refused = (status: number) => status === 403 || status === 404;
    // a write answered by a redirect carries the API's refusal in its flash; the event log proves nothing was written
    const refusedOrBack = (status: number, location?: string) => refused(status) || (status === 303 && !toLogin(status, location));

    for (const route of routes) {
      const write = route.method === 'POST';
      if (write) await expectRefused('no CSRF token', route, PUBLIC(route) ? undefined : t.tokens.dupont, (s) => s === 403, 'missing');
      if (PUBLIC(route)) continue;
      await expectRefused('anonymous', route, undefined, toLogin);
      const staffPage = route.path.startsWith('/agents');
      const parentPage = Array.isArray(route.access) && route.access.includes('parent');
      if (staffPage) {
        await expectRefused('parent', route, t.tokens.martin, (s) => s === 403);
        await expectRefused('staff of another commune', route, t.tokens.otherStaff, (s, l) =>
          route.method === 'GET' && UNSCOPED_STAFF_PAGES.has(route.path) ? s === 200 : refusedOrBack(s, l),
        );
        if (write) await expectRefused('auditor', route, t.tokens.auditor, (s) => s === 403);
      }
      if (parentPage) {
        await expectRefused('staff', route, t.tokens.staff, (s) => s === 403);
        // another family's child in the path or in the form
        const foreign =
          route.path.includes(':childId') ||
          route.path.includes(':threadId') ||
          route.path.includes(':invoiceId') ||
          JSON.stringify(FORMS[route.path] ?? {}).includes(LUCIE);
        // (a « semaine type » answers day by day, as the API's bulk does: every day refused, none requested)
        const noDay = (status: number, _l?: string, text?: string) => status === 200 && (text ?? '').includes('0 jour(s) demandé(s)');
        if (foreign)
          await expectRefused('parent of another family', route, t.tokens.martin, (s, l, x) => refusedOrBack(s, l) || noDay(s, l, x));
      }
    }
    expect(wrong).toEqual([]);
    expect(await t.events.headPosition()).toBe(head);
    console.log(`web authorization matrix: ${routes.length} page routes, ${cells} refused cells`);
    expect(cells).toBeGreaterThan(40);
  });

  it('shows staff of another commune none of the family’s requests in their queue', async () => {
    const page = await t.http
      .get('/agents')
      .set({ cookie: `pf_session=${t.tokens.otherStaff}` })
      .expect(200);
    expect(page.text).not.toContain(pendingRequestId);
    const own = await t.http
      .get('/agents')
      .set({ cookie: `pf_session=${t.tokens.staff}` })
      .expect(200);
    expect(own.text).toContain(pendingRequestId);
  });

  it('shows a parent their own statement, invoice PDF and conversation, and another family none of them', async () => {
    const own = { cookie: `pf_session=${t.tokens.dupont}` };
    const other = { cookie: `pf_session=${t.tokens.martin}` };
    const statement = await t.http.get('/releve?annee=2014-2015').set(own).expect(200);
    expect(statement.text).toContain('AL-36');
    const pdf = await t.http.get(`/releve/factures/${DUPONT_INVOICE}/pdf`).set(own).buffer(true).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const thread = await t.http.get(`/messages/${DUPONT_THREAD}`).set(own).expect(200);
    expect(thread.text).toContain('Attestation de frais de garde');
    // the pages take the family from the session: another family's parent sees their own (empty) statement
    const foreignStatement = await t.http.get('/releve?annee=2014-2015').set(other).expect(200);
    expect(foreignStatement.text).not.toContain('AL-36');
    await t.http.get(`/releve/factures/${DUPONT_INVOICE}/pdf`).set(other).expect(404);
    const foreignThread = await t.http.get(`/messages/${DUPONT_THREAD}`).set(other).expect(404);
    expect(foreignThread.text).not.toContain('Attestation de frais de garde');
    const folder = await t.http.get('/messages?dossier=envoyes').set(other).expect(200);
    expect(folder.text).not.toContain('Attestation de frais de garde');
  });

  it('sends pages with the page CSP, an HttpOnly SameSite=Lax session cookie and no cache', async () => {
    const login = await t.http.get('/connexion').expect(200);
    expect(login.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(login.headers['content-security-policy']).toContain("script-src 'self'");
    expect(login.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(login.headers['cache-control']).toBe('no-store');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1];
    const anonymous = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const session = await t.http
      .post('/connexion')
      .set({ cookie: anonymous })
      .type('form')
      .send({ _csrf: csrf, identifiant: DUPONT, motDePasse: 'Tournesol-Vert-2026' })
      .expect(303);
    expect((session.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^pf_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
    // the API still answers JSON with its own CSP, and refuses form bodies
    const api = await t.http.post('/auth/login').type('form').send({ login: DUPONT, password: 'x' });
    expect(api.status).toBe(415);
  });
});
