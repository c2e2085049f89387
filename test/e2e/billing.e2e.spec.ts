import { DEMO_PASSWORD } from '../../src/demo/demo-data';
import { INVOICING_JOB } from '../../src/modules/billing/invoicing/invoicing.job';
import type { JobScheduler } from '../../src/platform/jobs/job-scheduler.port';
import { JOB_SCHEDULER } from '../../src/platform/tokens';
import { bearer, LOGINS, startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const DUPONT = '1001001818331';
const MARTIN = '1001001818332';
const ALSH = 'regie-garderie-alsh';

describe('Billing over HTTP: the tutorial « Accueil » and « Relevé de compte », runs, payments (embedded runtime)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('« Accueil »: at Monday 4 May 2015, AL-36 (08/04/2015, due 30/04/2015, 120.60) unpaid, with its PDF link', async () => {
    const res = await t.http.get(`/families/${DUPONT}/account?asOf=2015-05-04`).set(bearer(t.tokens.dupont)).expect(200);
    expect(
      res.body.unpaidInvoices.map((i: Record<string, unknown>) => [
        i.number,
        i.issuedOn,
        i.dueOn,
        (i.remaining as { cents: number }).cents,
      ]),
    ).toEqual([['AL-36', '2015-04-08', '2015-04-30', 12060]]);
    expect(res.body.unpaidTotal).toEqual({ cents: 12060, display: '120,60\u00a0€' });
    expect(res.body.unpaidInvoices[0].pdf).toBe(`/families/${DUPONT}/invoices/imp-regie-garderie-alsh-AL-36/pdf`);
  });

  it('« Relevé de compte » 2014-2015: the three operations, previous balance 0.00, débit 363.80, crédit 243.20, balance 120.60', async () => {
    const res = await t.http
      .get(`/families/${DUPONT}/account/statement?schoolYear=2014-2015&asOf=2015-05-04`)
      .set(bearer(t.tokens.jeanne))
      .expect(200);
    const s = res.body;
    expect(
      s.operations.map((o: Record<string, unknown>) => [o.number, o.date, o.description, o.regieName, o.debitCents, o.creditCents]),
    ).toEqual([
      ['AL-36', '2015-04-08', 'Facture : 01/04/2015 - 30/04/2015', 'Régie garderie ALSH', 12060, 0],
      ['AL-228', '2015-04-08', 'Règlement : Chèque', 'Régie garderie ALSH', 0, 24320],
      ['AL-12', '2015-04-08', 'Facture : 01/02/2015 - 31/03/2015', 'Régie garderie ALSH', 24320, 0],
    ]);
    expect([s.previousBalance.display, s.totalDebit.display, s.totalCredit.display, s.balance.display]).toEqual([
      '0,00\u00a0€',
      '363,80\u00a0€',
      '243,20\u00a0€',
      '120,60\u00a0€',
    ]);
    expect(s.invoices.map((i: Record<string, unknown>) => [i.number, i.status])).toEqual([
      ['AL-36', 'unpaid'],
      ['AL-12', 'paid'],
    ]);
    expect(s.payments.map((p: Record<string, unknown>) => [p.number, p.meanLabel, p.amountCents])).toEqual([['AL-228', 'Chèque', 24320]]);
    // the year selector, and the next year starts from the balance carried
    expect(s.schoolYears).toContain('2014-2015');
    const next = await t.http
      .get(`/families/${DUPONT}/account/statement?schoolYear=2015-2016&asOf=2015-10-01`)
      .set(bearer(t.tokens.dupont))
      .expect(200);
    expect(next.body.previousBalance.cents).toBe(12060);
  });

  it('schedules each régie’s monthly run under a deterministic id (the run’s id)', async () => {
    const jobs = t.app.get<JobScheduler>(JOB_SCHEDULER);
    expect(await jobs.status(INVOICING_JOB, `invoicing-${ALSH}-2026-11`)).toBe('scheduled');
    expect(await jobs.status(INVOICING_JOB, 'invoicing-regie-restauration-scolaire-2026-11')).toBe('scheduled');
  });

  it('a parent reaches only their own family (404), bad input is a 400', async () => {
    await t.http.get(`/families/${MARTIN}/account`).set(bearer(t.tokens.dupont)).expect(404);
    await t.http.get(`/families/${DUPONT}/account?asOf=2015-02-30`).set(bearer(t.tokens.dupont)).expect(400);
    await t.http.get(`/families/${DUPONT}/account/statement?schoolYear=2014-2016`).set(bearer(t.tokens.dupont)).expect(400);
  });

  it('staff record a cheque: it pays AL-36 (oldest first), the over-payment stays a credit; a rejected cheque is a counter-entry', async () => {
    const staff = bearer(t.tokens.staff);
    await t.http
      .post(`/families/${DUPONT}/payments`)
      .set(staff)
      .send({ regieId: ALSH, mean: 'cheque', amountCents: 0, receivedOn: '2015-05-05', chequeNumber: '1', bank: 'CIC' })
      .expect(400);
    await t.http
      .post(`/families/${DUPONT}/payments`)
      .set(staff)
      .send({ regieId: ALSH, mean: 'cheque', amountCents: 12060, receivedOn: '2015-05-05' })
      .expect(422);
    const paid = await t.http
      .post(`/families/${DUPONT}/payments`)
      .set(staff)
      .send({
        regieId: ALSH,
        mean: 'cheque',
        amountCents: 13000,
        receivedOn: '2015-05-05',
        chequeNumber: '0004567',
        bank: 'Banque Postale',
      })
      .expect(201);
    expect(paid.body.payment.allocations).toEqual([{ invoiceId: 'imp-regie-garderie-alsh-AL-36', cents: 12060 }]);
    expect(paid.body.payment.creditCents).toBe(940);
    expect(paid.body.number).toBe('AL-R1');
    await t.settle();
    const home = await t.http.get(`/families/${DUPONT}/account?asOf=2015-05-06`).set(bearer(t.tokens.dupont)).expect(200);
    expect(home.body.unpaidInvoices).toEqual([]);
    expect(home.body.balance.cents).toBe(-940);
    // the statement at 4 May is unchanged: ?asOf gives the past as it was
    const before = await t.http
      .get(`/families/${DUPONT}/account/statement?schoolYear=2014-2015&asOf=2015-05-04`)
      .set(bearer(t.tokens.auditor))
      .expect(200);
    expect(before.body.balance.cents).toBe(12060);

    await t.http
      .post(`/families/${DUPONT}/payments/${paid.body.paymentId}/cancel`)
      .set(staff)
      .send({ reason: 'Chèque rejeté', cancelledOn: '2015-05-12' })
      .expect(200);
    await t.settle();
    const after = await t.http.get(`/families/${DUPONT}/account?asOf=2015-05-12`).set(bearer(t.tokens.dupont)).expect(200);
    expect(after.body.unpaidInvoices.map((i: { number: string }) => i.number)).toEqual(['AL-36']);
    expect(after.body.balance.cents).toBe(12060);
  });

  it('a credit note larger than its invoice is refused; the staff of another commune do not reach the family', async () => {
    const res = await t.http
      .post(`/families/${DUPONT}/invoices/imp-regie-garderie-alsh-AL-36/credit-notes`)
      .set(bearer(t.tokens.staff))
      .send({ amountCents: 12061, reason: 'Erreur' })
      .expect(422);
    expect(res.body.code).toBe('CREDIT_NOTE_TOO_LARGE');
    await t.http.get(`/families/${DUPONT}/account`).set(bearer(t.tokens.otherStaff)).expect(404);
    await t.http
      .post(`/families/${DUPONT}/payments`)
      .set(bearer(t.tokens.otherStaff))
      .send({ regieId: ALSH, mean: 'cash', amountCents: 100, receivedOn: '2015-05-05' })
      .expect(404);
  });

  it('a tariff overlapping another for the same case is refused with a French message naming it', async () => {
    const res = await t.http
      .post(`/regies/${ALSH}/tariffs`)
      .set(bearer(t.tokens.staff))
      .send({
        tariffId: 'doublon',
        activityId: 'alsh-mercredi-pm',
        label: 'Doublon',
        validFrom: '2020-01-01',
        category: 'resident',
        mode: { kind: 'fixed', unit: 'day', cents: 500 },
      })
      .expect(409);
    expect(res.body.code).toBe('TARIFF_OVERLAP');
    expect(res.body.message).toContain('Mercredi après-midi');
    const gap = await t.http
      .post(`/regies/${ALSH}/tariffs`)
      .set(bearer(t.tokens.staff))
      .send({
        tariffId: 'trou',
        activityId: 'x',
        label: 'Trou',
        validFrom: '2020-01-01',
        mode: { kind: 'qf-bands', bands: [{ minQf: 500, cents: 100 }] },
      })
      .expect(422);
    expect(gap.body.code).toBe('TARIFF_QF_GAP');
  });

  it('a monthly run over LUCIE’s real bookings: draft, issue with a number, re-issue refused, the invoice on the statement', async () => {
    t.clock.set(new Date('2026-12-01T08:00:00+01:00'));
    await relogin(t); // sessions expire while the clock moves two weeks on
    const staff = bearer(t.tokens.staff);
    const draft = await t.http.post(`/regies/${ALSH}/invoicing/2026-11/draft`).set(staff).send({}).expect(200);
    expect(draft.body.status).toBe('draft');
    expect(draft.body.draft.problems).toEqual([]);
    const dupont = draft.body.draft.invoices.find((i: { familyId: string }) => i.familyId === DUPONT);
    expect(dupont.lines.length).toBeGreaterThan(0);
    expect(dupont.lines[0]).toMatchObject({ childName: 'LUCIE', activityId: 'alsh-mercredi-pm', unitCents: 1206, qf: null });
    const issued = await t.http.post(`/regies/${ALSH}/invoicing/2026-11/issue`).set(staff).send({}).expect(200);
    expect(issued.body.status).toBe('issued');
    expect(issued.body.numbers.map((n: { number: string }) => n.number)).toEqual(['AL-1']);
    const again = await t.http.post(`/regies/${ALSH}/invoicing/2026-11/issue`).set(staff).send({}).expect(409);
    expect(again.body.code).toBe('RUN_ALREADY_ISSUED');
    await t.http.post(`/regies/${ALSH}/invoicing/2026-11/draft`).set(staff).send({}).expect(409);
    await t.settle();
    const s = await t.http.get(`/families/${DUPONT}/account/statement`).set(bearer(t.tokens.dupont)).expect(200);
    expect(s.body.schoolYear).toBe('2026-2027');
    expect(s.body.previousBalance.cents).toBe(12060);
    expect(s.body.invoices.map((i: { number: string; previousUnpaidCents: number }) => [i.number, i.previousUnpaidCents])).toEqual([
      ['AL-1', 12060],
    ]);
    const run = await t.http.get(`/regies/${ALSH}/invoicing/2026-11`).set(bearer(t.tokens.auditor)).expect(200);
    expect(run.body.issued.map((i: { number: string }) => i.number)).toEqual(['AL-1']);
    const unpaid = await t.http.get('/billing/unpaid').set(staff).expect(200);
    expect(
      unpaid.body.families.find((f: { familyId: string }) => f.familyId === DUPONT).invoices.map((i: { number: string }) => i.number),
    ).toEqual(expect.arrayContaining(['AL-36', 'AL-1']));
  });

  it('tells the family of the desk payment and of the invoice issued, in the inbox and by e-mail as it consents', async () => {
    const parent = bearer(t.tokens.dupont);
    const notices = async () => {
      const items = (await t.http.get(`/families/${DUPONT}/inbox?folder=received`).set(parent).expect(200)).body.items as {
        threadId: string;
        subject: string;
        topicLabel: string;
      }[];
      const thread = items.find((i) => i.subject === 'Vos factures et paiements');
      if (!thread) return { topicLabel: undefined, bodies: [] as string[] };
      const read = await t.http.get(`/families/${DUPONT}/inbox/threads/${thread.threadId}`).set(parent).expect(200);
      return { topicLabel: thread.topicLabel, bodies: (read.body.messages as { body: string }[]).map((m) => m.body) };
    };
    await waitFor(async () => (await notices()).bodies.length === 2, { message: 'DUPONT billing notices', timeoutMs: 10_000 });
    const { topicLabel, bodies } = await notices();
    expect(topicLabel).toBe('Facturation');
    expect(bodies.find((b) => b.startsWith('Paiement reçu'))).toContain('130,00');
    expect(bodies.find((b) => b.startsWith('Nouvelle facture AL-1'))).toContain('à régler avant le');
    // DUPONT consents to e-mail: the invoice came by e-mail too, once
    const emailed = async () =>
      (
        (await t.http.get(`/families/${DUPONT}/notifications`).set(bearer(t.tokens.staff)).expect(200)).body.items as {
          kind: string;
          channel: string;
          status: string;
        }[]
      ).filter((e) => e.kind === 'invoice-issued' && e.channel === 'email' && e.status === 'delivered').length;
    await waitFor(async () => (await emailed()) === 1, { message: 'invoice e-mail', timeoutMs: 10_000 });
  });

  it('the ledger import is all or nothing, with the bad lines reported', async () => {
    const content = [
      'type;famille;regie;numero;date;debut;fin;echeance;montant;moyen;affecte_a',
      `facture;${DUPONT};${ALSH};AL-99;2015-06-08;2015-05-01;2015-05-31;2015-06-30;10,00;;`,
      `facture;9999;${ALSH};AL-100;2015-06-08;2015-05-01;2015-05-31;2015-06-30;10,00;;`,
    ].join('\n');
    const res = await t.http.post('/billing/imports').set(bearer(t.tokens.admin)).send({ file: 'bad.csv', content }).expect(422);
    expect(res.body.code).toBe('LEDGER_INVALID');
    expect(res.body.details.errors).toEqual([{ line: 3, message: expect.stringContaining('famille inconnue') }]);
    await t.settle();
    const s = await t.http.get(`/families/${DUPONT}/account/statement?schoolYear=2014-2015`).set(bearer(t.tokens.dupont)).expect(200);
    expect(s.body.invoices.map((i: { number: string }) => i.number)).not.toContain('AL-99');
    await t.http.post('/billing/imports').set(bearer(t.tokens.staff)).send({ file: 'bad.csv', content }).expect(403);
  });
});

describe('Invoice PDFs (Handlebars + Puppeteer on Debian’s Chromium)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('renders AL-36 once, keeps it, serves the same bytes again; another family gets a 404', async () => {
    const url = `/families/${DUPONT}/invoices/imp-regie-garderie-alsh-AL-36/pdf`;
    const first = await t.http.get(url).set(bearer(t.tokens.dupont)).buffer(true).expect(200);
    expect(first.headers['content-type']).toBe('application/pdf');
    const bytes = first.body as Buffer;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    await t.settle();
    const again = await t.http.get(url).set(bearer(t.tokens.staff)).buffer(true).expect(200);
    expect(Buffer.compare(again.body as Buffer, bytes)).toBe(0);
    await t.http.get(url).set(bearer(t.tokens.martin)).expect(404);
    await t.http.get(`/families/${MARTIN}/invoices/imp-regie-garderie-alsh-AL-36/pdf`).set(bearer(t.tokens.martin)).expect(404);
    const text = await pdfText(bytes);
    expect(text).toContain('AL-36');
    expect(text).toContain('120,60');
    expect(text).toContain('DUPONT');
    expect(text).toContain('30/04/2015');
  }, 60_000);
});

/** Logs the demo accounts in again (after the clock moved past their sessions' expiry). */
async function relogin(t: TestApp): Promise<void> {
  for (const [name, login] of Object.entries(LOGINS) as [keyof typeof LOGINS, string][]) {
    const res = await t.http.post('/auth/login').send({ login, password: DEMO_PASSWORD }).expect(200);
    t.tokens[name] = res.body.token;
  }
}

/** The text of a PDF, read back with poppler's pdftotext (Debian's poppler-utils). */
async function pdfText(pdf: Buffer): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
}
