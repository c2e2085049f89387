import type { Test } from 'supertest';

import { ALSH_FACILITY, ALSH_MERCREDI_CONFIG, ALSH_MERCREDI_ID } from '../../src/modules/planning/catalog/catalog.examples';
import { bearer, startTestApp, TestApp } from '../support/test-app';

/**
 * The authorization matrix: every operation of the OpenAPI document (so a new endpoint is covered without
 * anyone remembering), called as an anonymous caller, as a parent of another family, as staff of another
 * commune and, for writes, as an auditor. Every cell must be refused (401/403/404) and write nothing.
 */
const DUPONT = '1001001818331'; // commune SAINT-JEAN; the target of every cell

/** Reachable without a session. Anything else must answer 401 to an anonymous caller. */
const PUBLIC = new Set([
  'get /health',
  'get /health/ready',
  'get /health/live',
  'post /auth/login',
  'post /auth/password/forgot',
  'post /auth/password/reset',
  'post /auth/activate',
  'get /gdpr/downloads/{token}/{format}',
]);

/** The caller's own session: any logged-in account may use them on itself. */
const SELF_SERVICE = new Set(['post /auth/logout', 'get /auth/me', 'post /auth/password']);

/** Not about a family, a commune or an account: staff of any commune may call them. */
const NOT_SCOPED_FOR_STAFF = new Set(['get /admin/projections']);

/** Shown to every logged-in account (the activities parents can book): no family data. */
const ANY_LOGGED_IN = new Set(['get /facilities', 'get /school-calendar', 'get /activities/{activityId}/required-documents']);

/** Lists filtered by the caller's scope: checked on their content instead of their status. */
const SCOPED_LISTS = new Set([
  'get /staff/requests',
  'get /staff/inbox/queues',
  'get /staff/documents',
  'get /staff/publications',
  'get /billing/unpaid',
]);

const address = { line1: '5 AVENUE DES CERISIERS', postalCode: '31400', city: 'SAINT-JEAN' };

/** A valid body for every operation that takes one, so the refusal comes from authorization, not validation. */
const SAMPLE_BODIES: Record<string, unknown> = {
  'post /families': {
    familyNumber: '1001001818777',
    commune: 'SAINT-JEAN',
    guardian: {
      civility: 'M.',
      lastName: 'TEST',
      firstName: 'PAUL',
      quality: 'Père',
      situation: 'Marié(e)',
      address,
      phones: {},
      emailConsent: false,
      smsConsent: false,
      organismeRattachement: '0',
    },
  },
  'post /families/{familyId}/children': { firstName: 'ZOÉ', lastName: 'DUPONT', birthDate: '2020-01-01', sex: 'F' },
  'post /families/{familyId}/requests/address': { person: 'guardian', address },
  'post /families/{familyId}/requests/contact': { person: 'guardian', changes: { profession: 'Boulanger' } },
  'post /families/{familyId}/requests/tax': { changes: { year: 2026 } },
  'post /families/{familyId}/requests/caf': { changes: { regime: 'CAF', allocataireNumber: '123', quotientFamilial: 500 } },
  'post /families/{familyId}/requests/direct-debit': { accountHolder: 'DUPONT JEAN', iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP' },
  'post /families/{familyId}/requests/child-addition': {
    child: { firstName: 'ZOÉ', lastName: 'DUPONT', birthDate: '2024-01-01', sex: 'F' },
  },
  'post /families/{familyId}/requests/authorizations': { childId: 'enfant-lucie-dupont', changes: { photoConsent: false } },
  'post /families/{familyId}/requests/health': { childId: 'enfant-lucie-dupont', changes: { glasses: true } },
  'post /families/{familyId}/requests/{requestId}/accept': {},
  'post /families/{familyId}/requests/{requestId}/refuse': { reason: 'Pièce manquante' },
  'post /families/{familyId}/accounts': { login: 'matrix.parent', email: 'matrix.parent@example.fr', displayName: 'PARENT MATRICE' },
  'post /admin/accounts': {
    login: 'matrix.agent',
    role: 'staff',
    email: 'matrix.agent@example.fr',
    displayName: 'Agent',
    scope: ['SAINT-JEAN'],
  },
  'post /accounts/{accountId}/activation': {},
  'post /accounts/{accountId}/disable': { reason: 'Matrice' },
  'post /accounts/{accountId}/enable': {},
  'post /admin/projections/{name}/rebuild': {},
  'post /auth/logout': {},
  'post /school-calendar/adjustments': { adjustment: { type: 'remove-holiday-days', from: '2027-02-08', to: '2027-02-08' } },
  'post /facilities': { facilityId: 'matrix-facility', name: 'Structure matrice', commune: 'SAINT-JEAN' },
  'post /facilities/{facilityId}/activities': { activityId: 'matrix-activity', ...ALSH_MERCREDI_CONFIG },
  'put /facilities/{facilityId}/activities/{activityId}': { ...ALSH_MERCREDI_CONFIG, placesPerDay: 1 },
  'post /facilities/{facilityId}/closures': {
    scope: { facilityId: ALSH_FACILITY.facilityId },
    from: '2027-05-05',
    to: '2027-05-05',
    reason: 'Matrice',
  },
  'post /facilities/{facilityId}/closures/{closureId}/cancel': {},
  'post /families/{familyId}/enrolments': { childId: 'enfant-lucie-dupont', activityId: ALSH_MERCREDI_ID, schoolYear: '2026-2027' },
  'post /families/{familyId}/reservations': { childId: 'enfant-lucie-dupont', activityId: ALSH_MERCREDI_ID, date: '2027-01-13' },
  'post /families/{familyId}/reservations/bulk': {
    items: [{ childId: 'enfant-lucie-dupont', activityId: ALSH_MERCREDI_ID, date: '2027-01-13' }],
  },
  'post /families/{familyId}/reservations/typical-week': {
    from: '2027-01-11',
    to: '2027-01-15',
    lines: [{ childId: 'enfant-lucie-dupont', activityId: ALSH_MERCREDI_ID, weekdays: [3] }],
  },
  'post /families/{familyId}/reservations/{requestId}/cancel': {},
  'post /families/{familyId}/reservations/cancel': { requestIds: ['some-request'] },
  'post /families/{familyId}/reservations/{requestId}/offer/accept': {},
  'post /families/{familyId}/reservations/{requestId}/offer/decline': {},
  'post /families/{familyId}/absences': {
    childId: 'enfant-lucie-dupont',
    activityId: ALSH_MERCREDI_ID,
    from: '2027-01-13',
    to: '2027-01-13',
  },
  'post /activities/{activityId}/days/{date}/requests/{requestId}/accept': {},
  'post /activities/{activityId}/days/{date}/requests/{requestId}/refuse': { reason: 'Matrice' },
  'post /activities/{activityId}/days/{date}/attendance': {
    entries: [{ familyId: DUPONT, childId: 'enfant-lucie-dupont', status: 'present' }],
  },
  'post /families/{familyId}/gdpr/erasure': { confirmFamilyId: DUPONT },
  'put /admin/retention-rules/{commune}': { eraseAfterInactiveMonths: 1 },
  'post /admin/retention-rules/apply': {},
  'post /auth/password': { currentPassword: 'Tournesol-Vert-2026', newPassword: 'Matrice-Verte-2026' },
  'post /families/{familyId}/inbox/threads': { topic: 'other', subject: 'Matrice', body: 'Bonjour' },
  'post /families/{familyId}/inbox/threads/{threadId}/messages': { body: 'Matrice' },
  'post /families/{familyId}/inbox/threads/{threadId}/read': {},
  'post /families/{familyId}/inbox/threads/{threadId}/unread': {},
  'post /families/{familyId}/inbox/threads/{threadId}/delete': {},
  'post /families/{familyId}/inbox/threads/{threadId}/restore': {},
  'post /facilities/{facilityId}/broadcasts': { topic: 'other', subject: 'Matrice', body: 'Bonjour' },
  'put /activities/{activityId}/required-documents': { kinds: ['insurance'] },
  'post /families/{familyId}/documents': { kind: 'insurance', validFrom: '2026-09-01', validUntil: '2027-08-31' },
  'post /families/{familyId}/documents/{documentId}/accept': {},
  'post /families/{familyId}/documents/{documentId}/refuse': { reason: 'Matrice' },
  'post /publications': { commune: 'SAINT-JEAN', title: 'Matrice', category: 'info', validFrom: '2026-09-01' },
  // billing (issue 10)
  'post /regies': {
    regieId: 'matrix-regie',
    name: 'Régie matrice',
    prefix: 'MX',
    communes: ['SAINT-JEAN'],
    paymentMeans: ['cash'],
    dueAfterDays: 15,
  },
  'put /regies/{regieId}': {
    name: 'Régie garderie ALSH',
    prefix: 'AL',
    communes: ['SAINT-JEAN'],
    paymentMeans: ['cash'],
    dueAfterDays: 10,
  },
  'post /regies/{regieId}/tariffs': {
    tariffId: 'matrix-tariff',
    activityId: ALSH_MERCREDI_ID,
    label: 'Matrice',
    validFrom: '2030-01-01',
    category: 'non-resident',
    periodKind: 'holidays',
    mode: { kind: 'fixed', unit: 'day', cents: 100 },
  },
  'post /regies/{regieId}/tariffs/{tariffId}/end': { validTo: '2030-12-31' },
  'post /families/{familyId}/payments': { regieId: 'regie-garderie-alsh', mean: 'cash', amountCents: 100, receivedOn: '2026-11-16' },
  'post /families/{familyId}/payments/{paymentId}/cancel': { reason: 'Matrice' },
  'post /families/{familyId}/invoices/{invoiceId}/credit-notes': { amountCents: 100, reason: 'Matrice' },
  'post /billing/imports': {
    file: 'matrice.csv',
    content: `type;famille;regie;numero;date;debut;fin;echeance;montant;moyen;affecte_a\nsolde;${DUPONT};regie-garderie-alsh;;2014-08-31;;;;1,00;;`,
  },
};

/** Path parameters of the billing endpoints: DUPONT's imported history (demo data) and SAINT-JEAN's régie. */
const BILLING_PATH = (path: string) =>
  path
    .replace('{regieId}', 'regie-garderie-alsh')
    .replace('{tariffId}', 'alsh-mercredi-residents')
    .replace('{month}', '2015-04')
    .replace('{paymentId}', 'imp-pay-regie-garderie-alsh-AL-228')
    .replace('{invoiceId}', 'imp-regie-garderie-alsh-AL-36');

const MARTIN = '1001001818332'; // commune PEAUGRES: the permitted callers' own family

/**
 * Bodies that name resources outside the caller's reach (DUPONT's child, SAINT-JEAN's activities and
 * facility, DUPONT's requests) while the path names the caller's own family (MARTIN) or resources it may
 * reach: a permitted caller must not reach past its own resources through a body or a path parameter.
 * Operations without such a body use their ordinary sample (the foreign ids then come through the path).
 */
const FOREIGN_BODIES: Record<string, unknown> = {
  'post /families/{familyId}/enrolments': { childId: 'enfant-lucie-dupont', activityId: ALSH_MERCREDI_ID, schoolYear: '2026-2027' },
  'post /families/{familyId}/requests/authorizations': { childId: 'enfant-lucie-dupont', changes: { photoConsent: false } },
  'post /families/{familyId}/requests/health': { childId: 'enfant-lucie-dupont', changes: { glasses: true } },
  'post /activities/{activityId}/days/{date}/attendance': {
    entries: [{ familyId: MARTIN, childId: 'enfant-lucie-dupont', status: 'present' }],
  },
};

interface Operation {
  key: string;
  method: string;
  path: string;
  hasBody: boolean;
}

describe('Authorization matrix (every OpenAPI operation × anonymous, other family, other commune, auditor)', () => {
  let t: TestApp;
  let operations: Operation[];
  let pendingRequestId: string;
  /** a conversation of the target family, with an attachment */
  let threadId: string;
  let fileId: string;
  /** a document the target family provided */
  let documentId: string;
  /** a document published for the target family's facility */
  let publicationId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const doc = (await t.http.get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ key: `${method} ${path}`, method, path, hasBody: op.requestBody !== undefined })),
    );
    // A pending request of the target family, so decisions have something real to refuse.
    const asked = await t.http
      .post(`/families/${DUPONT}/requests/tax`)
      .set(bearer(t.tokens.dupont))
      .send({ changes: { year: 2025 } })
      .expect(201);
    pendingRequestId = asked.body.requestId;
    const thread = await t.http
      .post(`/families/${DUPONT}/inbox/threads`)
      .set(bearer(t.tokens.dupont))
      .field('topic', 'health')
      .field('subject', 'Certificat')
      .field('body', 'Ci-joint le certificat.')
      .attach('attachments', Buffer.from('%PDF-1.4\n%%EOF\n'), { filename: 'certificat.pdf' })
      .expect(201);
    threadId = thread.body.threadId;
    fileId = thread.body.attachments[0].fileId;
    const document = await t.http
      .post(`/families/${DUPONT}/documents`)
      .set(bearer(t.tokens.dupont))
      .field('kind', 'insurance')
      .field('validFrom', '2026-09-01')
      .field('validUntil', '2027-08-31')
      .attach('document', Buffer.from('%PDF-1.4\n%%EOF\n'), { filename: 'assurance.pdf' })
      .expect(201);
    documentId = document.body.documentId;
    const published = await t.http
      .post('/publications')
      .set(bearer(t.tokens.staff))
      .field('facilityId', ALSH_FACILITY.facilityId)
      .field('title', 'Règlement')
      .field('category', 'reglement')
      .field('validFrom', '2026-09-01')
      .attach('document', Buffer.from('%PDF-1.4\n%%EOF\n'), { filename: 'reglement.pdf' })
      .expect(201);
    publicationId = published.body.publicationId;
    await t.settle();
  });
  afterAll(async () => {
    await t.close();
  });

  const urlOf = (path: string) =>
    BILLING_PATH(path)
      .replace('{familyId}', DUPONT)
      .replace('{requestId}', pendingRequestId)
      .replace('{accountId}', DUPONT)
      .replace('{childId}', 'enfant-lucie-dupont')
      .replace('{name}', 'family-record')
      .replace('{facilityId}', ALSH_FACILITY.facilityId)
      .replace('{activityId}', ALSH_MERCREDI_ID)
      .replace('{closureId}', 'closure-1')
      .replace('{date}', '2027-01-13')
      .replace('{threadId}', threadId)
      .replace('{fileId}', fileId)
      .replace('{documentId}', documentId)
      .replace('{publicationId}', publicationId)
      .replace('{exportId}', 'export-1')
      .replace('{commune}', 'SAINT-JEAN');

  async function call(op: Operation, token?: string) {
    const agent = t.http as unknown as Record<string, (url: string) => Test>;
    let req = agent[op.method](urlOf(op.path));
    if (token) req = req.set(bearer(token));
    if (op.hasBody) req = req.send(SAMPLE_BODIES[op.key] as object);
    return req;
  }

  async function outboxSize(): Promise<number> {
    return (await t.http.get('/admin/outbox?limit=500').set(bearer(t.tokens.admin)).expect(200)).body.items.length;
  }

  it('has a sample body for every operation that takes one', () => {
    const missing = operations.filter((op) => op.hasBody && !PUBLIC.has(op.key) && !(op.key in SAMPLE_BODIES)).map((op) => op.key);
    expect(missing).toEqual([]);
    expect(operations.length).toBeGreaterThanOrEqual(30);
  });

  it('refuses every cell and writes nothing', async () => {
    const cells: { cell: string; op: string; status: number }[] = [];
    const refusedWrongly: typeof cells = [];
    const head = await t.events.headPosition();
    const mails = await outboxSize();
    const isWrite = (op: Operation) => op.method !== 'get';
    const familyScoped = (op: Operation) =>
      /\{familyId\}|\{accountId\}|\{requestId\}|\{facilityId\}|\{activityId\}|\{regieId\}/.test(op.path) ||
      op.key === 'post /families' ||
      op.key === 'post /regies' ||
      op.key === 'post /billing/imports' ||
      op.key === 'post /facilities';

    for (const op of operations) {
      if (PUBLIC.has(op.key) || op.path.startsWith('/docs') || op.path === '/metrics') continue;
      const run = async (cell: string, token?: string) => {
        const res = await call(op, token);
        cells.push({ cell, op: op.key, status: res.status });
        if (![401, 403, 404].includes(res.status)) refusedWrongly.push({ cell, op: op.key, status: res.status });
      };
      await run('anonymous');
      if (ANY_LOGGED_IN.has(op.key)) continue;
      if (!SELF_SERVICE.has(op.key)) await run('parent of another family', t.tokens.martin);
      if (
        !SELF_SERVICE.has(op.key) &&
        !NOT_SCOPED_FOR_STAFF.has(op.key) &&
        !SCOPED_LISTS.has(op.key) &&
        (familyScoped(op) || op.path.startsWith('/admin') || op.path.startsWith('/school-calendar'))
      ) {
        await run('staff of another commune', t.tokens.otherStaff);
      }
      if (isWrite(op) && !SELF_SERVICE.has(op.key)) await run('auditor', t.tokens.auditor);
    }

    expect(refusedWrongly).toEqual([]);
    expect(await t.events.headPosition()).toBe(head);
    expect(await outboxSize()).toBe(mails);
    // The size of the matrix, for the record (quoted in the issue note).
    console.log(`authorization matrix: ${operations.length} operations, ${cells.length} refused cells`);
    expect(cells.length).toBeGreaterThan(80);
  });

  it('keeps a permitted caller within its own resources: its own family in the path, foreign ids in the body or the path', async () => {
    // MARTIN's parent and PEAUGRES's agent may act on MARTIN; DUPONT's child, requests and account, and
    // SAINT-JEAN's facility and activities are out of their reach.
    const head = await t.events.headPosition();
    const mails = await outboxSize();
    const foreignUrl = (path: string) =>
      BILLING_PATH(path)
        .replace('{familyId}', MARTIN)
        .replace('{requestId}', pendingRequestId)
        .replace('{accountId}', DUPONT)
        .replace('{childId}', 'enfant-lucie-dupont')
        .replace('{name}', 'family-record')
        .replace('{facilityId}', ALSH_FACILITY.facilityId)
        .replace('{activityId}', ALSH_MERCREDI_ID)
        .replace('{closureId}', 'closure-1')
        .replace('{date}', '2027-01-13')
        .replace('{threadId}', threadId)
        .replace('{fileId}', fileId)
        .replace('{documentId}', documentId)
        .replace('{publicationId}', publicationId);
    const reached: { caller: string; op: string; status: number }[] = [];
    let cells = 0;
    const FOREIGN_IDS = ['enfant-lucie-dupont', ALSH_MERCREDI_ID, ALSH_FACILITY.facilityId, DUPONT, 'regie-garderie-alsh'];
    for (const op of operations) {
      if (PUBLIC.has(op.key) || SELF_SERVICE.has(op.key) || ANY_LOGGED_IN.has(op.key) || NOT_SCOPED_FOR_STAFF.has(op.key)) continue;
      if (op.path.startsWith('/docs') || op.path === '/metrics' || op.path.startsWith('/admin') || op.path.startsWith('/school-calendar'))
        continue;
      const body = op.hasBody ? (FOREIGN_BODIES[op.key] ?? SAMPLE_BODIES[op.key]) : undefined;
      // only the operations that name, in their path or their body, a resource out of the callers' reach
      const foreignPath =
        /\{(requestId|accountId|facilityId|activityId|closureId|childId|threadId|fileId|documentId|publicationId|regieId|invoiceId|paymentId)\}/.test(
          op.path,
        );
      const foreignBody = FOREIGN_IDS.some((id) => JSON.stringify(body ?? {}).includes(id));
      if (!foreignPath && !foreignBody) continue;
      for (const [caller, token] of [
        ['parent of MARTIN', t.tokens.martin],
        ['staff of PEAUGRES', t.tokens.otherStaff],
      ] as const) {
        const agent = t.http as unknown as Record<string, (url: string) => Test>;
        let req = agent[op.method](foreignUrl(op.path)).set(bearer(token));
        if (body !== undefined) req = req.send(body as object);
        const res = await req;
        cells += 1;
        // refused for its role (401/403), or the foreign resource is not found / not allowed (404, 409, 422);
        // a bulk answers 200 with one refusal per day: none may be accepted
        const accepted = res.status < 400 && !(res.body && (res.body.requested === 0 || res.body.cancelled === 0));
        if (accepted) reached.push({ caller, op: op.key, status: res.status });
      }
    }
    expect(reached).toEqual([]);
    expect(await t.events.headPosition()).toBe(head);
    expect(await outboxSize()).toBe(mails);
    console.log(`authorization matrix, reach: ${cells} cells of permitted callers with foreign resources, all refused`);
    expect(cells).toBeGreaterThan(30);
  });

  it('filters scoped lists: staff of another commune see none of the target family’s requests', async () => {
    const other = await t.http.get('/staff/requests').set(bearer(t.tokens.otherStaff)).expect(200);
    expect(other.body.items.map((r: { familyId: string }) => r.familyId)).not.toContain(DUPONT);
    const own = await t.http.get('/staff/requests').set(bearer(t.tokens.staff)).expect(200);
    expect(own.body.items.map((r: { requestId: string }) => r.requestId)).toContain(pendingRequestId);
    const filtered = await t.http.get(`/staff/requests?familyId=${DUPONT}`).set(bearer(t.tokens.otherStaff)).expect(200);
    expect(filtered.body.items).toEqual([]);
    // unpaid invoices: only those of the régies of the agent's communes
    const unpaidOther = await t.http.get('/billing/unpaid').set(bearer(t.tokens.otherStaff)).expect(200);
    expect(unpaidOther.body.families).toEqual([]);
    const unpaidOwn = await t.http.get('/billing/unpaid').set(bearer(t.tokens.staff)).expect(200);
    expect(unpaidOwn.body.families.map((f: { familyId: string }) => f.familyId)).toContain(DUPONT);
  });
});
