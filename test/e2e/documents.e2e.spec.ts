import { RESTAURATION_ID } from '../../src/modules/planning/catalog/catalog.examples';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const DUPONT = '1001001818331';
const LUCIE = 'enfant-lucie-dupont';
/** A Thursday at the canteen, two weeks after E2E_NOW: bookable (deadline: Tuesday 23:59 of the previous week). */
const THURSDAY = '2026-12-03';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n');

describe('Documents à fournir (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const reserve = () =>
    t.http
      .post(`/families/${DUPONT}/reservations`)
      .set(bearer(t.tokens.dupont))
      .send({ childId: LUCIE, activityId: RESTAURATION_ID, date: THURSDAY });
  const submit = (kind: string, validUntil = '2027-08-31') =>
    t.http
      .post(`/families/${DUPONT}/documents`)
      .set(bearer(t.tokens.dupont))
      .field('kind', kind)
      .field('childId', LUCIE)
      .field('validFrom', '2026-11-01')
      .field('validUntil', validUntil)
      .attach('document', PDF, { filename: 'certificat.pdf' });

  it('a required document blocks a reservation until staff accept it', async () => {
    const staff = bearer(t.tokens.staff);
    await t.http
      .put(`/activities/${RESTAURATION_ID}/required-documents`)
      .set(staff)
      .send({ kinds: ['medical-certificate'] })
      .expect(200);
    const listed = await t.http.get(`/activities/${RESTAURATION_ID}/required-documents`).set(bearer(t.tokens.dupont)).expect(200);
    expect(listed.body.items).toEqual([{ kind: 'medical-certificate', label: 'Certificat médical' }]);
    // staff of another commune cannot set them
    await t.http.put(`/activities/${RESTAURATION_ID}/required-documents`).set(bearer(t.tokens.otherStaff)).send({ kinds: [] }).expect(404);

    const refused = await reserve().expect(422);
    expect(refused.body.code).toBe('DOCUMENT_MISSING');
    expect(refused.body.message).toContain('« Certificat médical »');

    // a certificate that expires before the day does not count
    const short = await submit('medical-certificate', '2026-11-30').expect(201);
    const sent = await submit('medical-certificate').expect(201);
    await t.settle();
    expect((await reserve().expect(422)).body.code).toBe('DOCUMENT_MISSING'); // waiting for staff

    const pending = await t.http.get('/staff/documents').set(staff).expect(200);
    expect(pending.body.items.map((d: { documentId: string }) => d.documentId).sort()).toEqual(
      [short.body.documentId, sent.body.documentId].sort(),
    );
    expect((await t.http.get('/staff/documents').set(bearer(t.tokens.otherStaff)).expect(200)).body.items).toEqual([]);
    const file = await t.http.get(`/families/${DUPONT}/documents/${sent.body.documentId}/file`).set(staff).expect(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment;/);
    expect(file.headers['content-type']).toBe('application/pdf');

    await t.http.post(`/families/${DUPONT}/documents/${short.body.documentId}/accept`).set(staff).send({}).expect(200);
    await t.settle();
    expect((await reserve().expect(422)).body.code).toBe('DOCUMENT_MISSING');
    await t.http.post(`/families/${DUPONT}/documents/${sent.body.documentId}/accept`).set(staff).send({}).expect(200);
    await t.settle();
    const booked = await reserve();
    expect([booked.status, booked.body.code]).toEqual([201, undefined]);
  });

  it('staff refuse a document with a reason the family reads; other families cannot reach it', async () => {
    const staff = bearer(t.tokens.staff);
    const sent = await submit('insurance').expect(201);
    await t.settle();
    await t.http
      .post(`/families/${DUPONT}/documents/${sent.body.documentId}/refuse`)
      .set(staff)
      .send({ reason: 'Attestation illisible' })
      .expect(200);
    await t.http.post(`/families/${DUPONT}/documents/${sent.body.documentId}/accept`).set(staff).send({}).expect(409);
    await t.settle();
    const list = await t.http.get(`/families/${DUPONT}/documents`).set(bearer(t.tokens.dupont)).expect(200);
    expect(list.body.items.find((d: { documentId: string }) => d.documentId === sent.body.documentId)).toMatchObject({
      status: 'refused',
      reason: 'Attestation illisible',
      label: "Attestation d'assurance",
    });
    await t.http.get(`/families/${DUPONT}/documents/${sent.body.documentId}/file`).set(bearer(t.tokens.martin)).expect(404);
    await t.http.get(`/families/1001001818332/documents/${sent.body.documentId}/file`).set(bearer(t.tokens.martin)).expect(404);

    // « Liste des demandes »: the document, refused, with its date and reason
    const requests = await t.http.get(`/families/${DUPONT}/requests?type=document`).set(bearer(t.tokens.dupont)).expect(200);
    expect(requests.body.refused.find((r: { requestId: string }) => r.requestId === sent.body.documentId)).toMatchObject({
      // sent for LUCIE (the helper names the child): « Mes enfants »
      section: 'children',
      childId: LUCIE,
      typeLabel: 'Documents',
      statusLabel: 'Refusée',
      refusedAt: expect.any(String),
      refusalReason: 'Attestation illisible',
      requestedAt: expect.any(String),
    });
    expect(requests.body.items.every((r: { type: string }) => r.type === 'document')).toBe(true);

    // the family is told, in its inbox (and by e-mail, which DUPONT consents to)
    const documentsThread = async () =>
      (
        (await t.http.get(`/families/${DUPONT}/inbox?folder=received`).set(bearer(t.tokens.dupont)).expect(200)).body.items as {
          threadId: string;
          subject: string;
        }[]
      ).find((i) => i.subject === 'Vos documents');
    await waitFor(async () => (await documentsThread()) !== undefined, { message: 'document notice in the inbox', timeoutMs: 10_000 });
    const thread = await t.http
      .get(`/families/${DUPONT}/inbox/threads/${(await documentsThread())!.threadId}`)
      .set(bearer(t.tokens.dupont))
      .expect(200);
    expect(thread.body.messages.map((m: { body: string }) => m.body)).toContainEqual(
      expect.stringContaining("Votre document « Attestation d'assurance » a été refusé. Motif : Attestation illisible."),
    );
  });

  it('refuses a disguised file and a document without a file, storing nothing', async () => {
    const head = await t.events.headPosition();
    const disguised = await t.http
      .post(`/families/${DUPONT}/documents`)
      .set(bearer(t.tokens.dupont))
      .field('kind', 'vaccination')
      .field('validFrom', '2026-11-01')
      .field('validUntil', '2027-08-31')
      .attach('document', Buffer.from('MZ\x90\x00 not a pdf'), { filename: 'carnet.pdf', contentType: 'application/pdf' })
      .expect(422);
    expect(disguised.body.code).toBe('UNSUPPORTED_FILE_TYPE');
    const missing = await t.http
      .post(`/families/${DUPONT}/documents`)
      .set(bearer(t.tokens.dupont))
      .field('kind', 'vaccination')
      .field('validFrom', '2026-11-01')
      .field('validUntil', '2027-08-31')
      .expect(422);
    expect(missing.body.code).toBe('FILE_REQUIRED');
    expect(await t.events.headPosition()).toBe(head);
  });

  it('« Infos / Documents »: staff publish, parents see the current version of their facilities, every version is kept', async () => {
    const staff = bearer(t.tokens.staff);
    const publish = (fields: Record<string, string>) => {
      let req = t.http.post('/publications').set(staff);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req.attach('document', PDF, { filename: 'reglement.pdf' });
    };
    const first = await publish({
      facilityId: 'alsh-saint-jean',
      title: 'Règlement 2025',
      category: 'reglement',
      validFrom: '2025-09-01',
    }).expect(201);
    const second = await publish({
      facilityId: 'alsh-saint-jean',
      title: 'Règlement 2026',
      category: 'reglement',
      validFrom: '2026-09-01',
      replaces: first.body.publicationId,
    }).expect(201);
    await publish({ commune: 'SAINT-JEAN', title: 'Menus de décembre', category: 'menu', validFrom: '2026-12-01' }).expect(201); // not yet valid
    await publish({ commune: 'PEAUGRES', title: 'Autre commune', category: 'info', validFrom: '2026-01-01' }).expect(403);
    await t.settle();

    const seen = await t.http.get(`/families/${DUPONT}/publications`).set(bearer(t.tokens.dupont)).expect(200);
    expect(seen.body.items.map((d: { title: string; categoryLabel: string }) => [d.title, d.categoryLabel])).toEqual([
      ['Règlement 2026', 'Règlement de fonctionnement'],
    ]);
    const file = await t.http
      .get(`/families/${DUPONT}/publications/${second.body.publicationId}/file`)
      .set(bearer(t.tokens.dupont))
      .expect(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment;/);
    await t.http.get(`/families/${DUPONT}/publications/${first.body.publicationId}/file`).set(bearer(t.tokens.dupont)).expect(404);
    const martin = await t.http.get('/families/1001001818332/publications').set(bearer(t.tokens.martin)).expect(200);
    expect(martin.body.items).toEqual([]);
    await t.http.get(`/families/1001001818332/publications/${second.body.publicationId}/file`).set(bearer(t.tokens.martin)).expect(404);
    const all = await t.http.get('/staff/publications').set(bearer(t.tokens.auditor)).expect(200);
    expect(all.body.items.map((d: { title: string; current: boolean }) => [d.title, d.current])).toEqual(
      expect.arrayContaining([
        ['Règlement 2025', false],
        ['Règlement 2026', true],
      ]),
    );
  });
});
