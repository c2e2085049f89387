import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { DEMO_PASSWORD } from '../../src/demo/demo-data';
import { Notifications } from '../../src/modules/messaging/notifications/notifications';
import { ALSH_FACILITY, ALSH_MERCREDI_ID } from '../../src/modules/planning/catalog/catalog.examples';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const DUPONT = '1001001818331';
const MARTIN = '1001001818332';
const PETIT = '1001001818444';

/** The smallest files of each accepted kind (their magic numbers, then anything). */
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

function filesIn(dir: string): number {
  let n = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.includes('.tmp')) n += 1;
    }
  };
  try {
    walk(dir);
  } catch {
    return 0;
  }
  return n;
}

describe('Boîte de réception (e2e)', () => {
  let t: TestApp;
  let threadId: string;
  let fileId: string;
  const files = () => filesIn(join(t.dataDir, 'files'));

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('a parent writes to the facility with a certificate attached, staff answer, the parent sees the reply and the unread count drop', async () => {
    const parent = bearer(t.tokens.dupont);
    const staff = bearer(t.tokens.staff);
    const sent = await t.http
      .post(`/families/${DUPONT}/inbox/threads`)
      .set(parent)
      .field('facilityId', ALSH_FACILITY.facilityId)
      .field('topic', 'health')
      .field('subject', 'Certificat médical de Lucie')
      .field('body', 'Bonjour,\nvoici le certificat <b>médical</b> de Lucie.')
      .attach('attachments', PDF, { filename: 'certificat médical.pdf', contentType: 'text/plain' })
      .expect(201);
    threadId = sent.body.threadId;
    expect(sent.body.attachments).toHaveLength(1);
    expect(sent.body.attachments[0]).toMatchObject({
      contentType: 'application/pdf',
      size: PDF.length,
      filename: 'certificat médical.pdf',
    });
    fileId = sent.body.attachments[0].fileId;
    await t.settle();

    // the staff queue of the facility, oldest first, with its count
    const queue = await t.http.get(`/facilities/${ALSH_FACILITY.facilityId}/inbox/queue`).set(staff).expect(200);
    expect(queue.body.waiting).toBe(1);
    expect(queue.body.items[0]).toMatchObject({ threadId, familyId: DUPONT, topicLabel: 'Santé', awaitingStaff: true });
    const queues = await t.http.get('/staff/inbox/queues').set(staff).expect(200);
    expect(queues.body.items.find((q: { facilityId: string }) => q.facilityId === ALSH_FACILITY.facilityId).waiting).toBe(1);

    // staff read it (the body stored as written) and download the certificate
    const thread = await t.http.get(`/families/${DUPONT}/inbox/threads/${threadId}`).set(staff).expect(200);
    expect(thread.body.messages[0].body).toBe('Bonjour,\nvoici le certificat <b>médical</b> de Lucie.');
    const download = await t.http
      .get(`/families/${DUPONT}/inbox/threads/${threadId}/attachments/${fileId}`)
      .set(staff)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="certificat medical.pdf"; filename\*=UTF-8''certificat%20m%C3%A9dical.pdf$/,
    );
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(download.body as Buffer, PDF)).toBe(0);

    await t.http.post(`/families/${DUPONT}/inbox/threads/${threadId}/read`).set(staff).send({}).expect(200);
    await t.http
      .post(`/families/${DUPONT}/inbox/threads/${threadId}/messages`)
      .set(staff)
      .send({ body: 'Merci, le certificat est bien reçu.' })
      .expect(201);
    await t.settle();

    expect((await t.http.get(`/facilities/${ALSH_FACILITY.facilityId}/inbox/queue`).set(staff).expect(200)).body.waiting).toBe(0);
    const unread = await t.http.get(`/families/${DUPONT}/inbox/unread`).set(parent).expect(200);
    expect(unread.body).toEqual({ messages: 1, threads: 1, text: 'Vous avez 1 nouveau(x) message(s)' });
    const received = await t.http.get(`/families/${DUPONT}/inbox?folder=received`).set(parent).expect(200);
    expect(received.body.items.map((i: { threadId: string }) => i.threadId)).toEqual([threadId]);
    const sentFolder = await t.http.get(`/families/${DUPONT}/inbox?folder=sent`).set(parent).expect(200);
    // the demo data's question to the commune's family service is there too
    expect(sentFolder.body.items.map((i: { threadId: string }) => i.threadId).sort()).toEqual(['demo-question-dupont', threadId].sort());
    expect(sentFolder.body.items.find((i: { threadId: string }) => i.threadId === threadId)).toMatchObject({
      messageCount: 2,
      unreadFamily: 1,
    });

    const reply = await t.http.get(`/families/${DUPONT}/inbox/threads/${threadId}`).set(parent).expect(200);
    expect(reply.body.messages.map((m: { side: string; body: string }) => [m.side, m.body])).toEqual([
      ['family', 'Bonjour,\nvoici le certificat <b>médical</b> de Lucie.'],
      ['staff', 'Merci, le certificat est bien reçu.'],
    ]);
    await t.http.post(`/families/${DUPONT}/inbox/threads/${threadId}/read`).set(parent).send({}).expect(200);
    await t.settle();
    expect((await t.http.get(`/families/${DUPONT}/inbox/unread`).set(parent).expect(200)).body.messages).toBe(0);

    // search by words (accents ignored) and by date
    const found = await t.http.get(`/families/${DUPONT}/inbox/search?q=certificat%20recu`).set(parent).expect(200);
    expect(found.body.items.map((m: { side: string }) => m.side)).toEqual(['staff']);
    const none = await t.http.get(`/families/${DUPONT}/inbox/search?q=certificat&to=2026-11-01`).set(parent).expect(200);
    expect(none.body.items).toEqual([]);
  });

  it('keeps another family, and staff of another commune, out of the thread and its attachment', async () => {
    for (const token of [t.tokens.martin, t.tokens.otherStaff]) {
      await t.http.get(`/families/${DUPONT}/inbox/threads/${threadId}`).set(bearer(token)).expect(404);
      await t.http.get(`/families/${DUPONT}/inbox/threads/${threadId}/attachments/${fileId}`).set(bearer(token)).expect(404);
    }
    // MARTIN's own family in the path, DUPONT's thread id: not found, nothing written
    const head = await t.events.headPosition();
    await t.http.get(`/families/${MARTIN}/inbox/threads/${threadId}/attachments/${fileId}`).set(bearer(t.tokens.martin)).expect(404);
    const foreign = await t.http
      .post(`/families/${MARTIN}/inbox/threads/${threadId}/messages`)
      .set(bearer(t.tokens.martin))
      .send({ body: 'Je réponds à la place des DUPONT' })
      .expect(404);
    expect(foreign.body.code).toBe('THREAD_NOT_FOUND');
    expect(await t.events.headPosition()).toBe(head);
  });

  it('refuses bad input with a code and a French message, and stores nothing', async () => {
    const parent = bearer(t.tokens.dupont);
    const head = await t.events.headPosition();
    const before = files();
    const post = () =>
      t.http
        .post(`/families/${DUPONT}/inbox/threads`)
        .set(parent)
        .field('topic', 'other')
        .field('subject', 'Essai')
        .field('body', 'Bonjour');

    const disguised = await post()
      .attach('attachments', Buffer.from('#!/bin/sh\necho pirate\n'), { filename: 'certificat.pdf', contentType: 'application/pdf' })
      .expect(422);
    expect(disguised.body.code).toBe('UNSUPPORTED_FILE_TYPE');
    expect(disguised.body.message).toMatch(/PDF.*JPEG ou PNG/);

    // a good file first, then a disguised one: the good one is not kept either
    const mixed = await post()
      .attach('attachments', PNG, { filename: 'photo.png' })
      .attach('attachments', Buffer.from('<html><script>alert(1)</script>'), { filename: 'photo2.png', contentType: 'image/png' })
      .expect(422);
    expect(mixed.body.code).toBe('UNSUPPORTED_FILE_TYPE');

    const big = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]);
    const tooLarge = await post().attach('attachments', big, { filename: 'gros.pdf' }).expect(422);
    expect(tooLarge.body.code).toBe('FILE_TOO_LARGE');
    expect(tooLarge.body.message).toContain('5 Mo');

    let six = post();
    for (let i = 0; i < 6; i++) six = six.attach('attachments', PNG, { filename: `p${i}.png` });
    expect((await six.expect(422)).body.code).toBe('TOO_MANY_ATTACHMENTS');

    const empty = await t.http
      .post(`/families/${DUPONT}/inbox/threads`)
      .set(parent)
      .field('topic', 'other')
      .field('subject', 'Essai')
      .field('body', '')
      .attach('attachments', PNG, { filename: 'p.png' })
      .expect(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
    const emptyJson = await t.http
      .post(`/families/${DUPONT}/inbox/threads`)
      .set(parent)
      .send({ topic: 'other', subject: 'Essai', body: '   ' })
      .expect(400);
    expect(emptyJson.body.code).toBe('VALIDATION_FAILED');

    // multipart on a route that takes no files
    await t.http.post(`/families/${DUPONT}/requests/tax`).set(parent).field('x', '1').expect(415);

    expect(await t.events.headPosition()).toBe(head);
    expect(files()).toBe(before);
  });

  it('refuses a 50 MB upload as it streams, without keeping anything', async () => {
    const head = await t.events.headPosition();
    const before = files();
    const huge = Buffer.concat([PDF, Buffer.alloc(50 * 1024 * 1024)]);
    const res = await t.http
      .post(`/families/${DUPONT}/inbox/threads/${threadId}/messages`)
      .set(bearer(t.tokens.dupont))
      .field('body', 'Le scanner a tout envoyé')
      .attach('attachments', huge, { filename: 'scan.pdf' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('FILE_TOO_LARGE');
    expect(await t.events.headPosition()).toBe(head);
    expect(files()).toBe(before);
  });

  it('broadcasts to an activity: each enrolled family gets its own thread, replies stay private', async () => {
    const staff = bearer(t.tokens.staff);
    await t.http
      .post('/families')
      .set(staff)
      .send({
        familyNumber: PETIT,
        commune: 'SAINT-JEAN',
        guardian: {
          civility: 'Mme',
          lastName: 'PETIT',
          firstName: 'NINA',
          quality: 'Mère',
          situation: 'Célibataire',
          address: { line1: '8 RUE BASSE', postalCode: '31400', city: 'SAINT-JEAN' },
          phones: {},
          email: 'nina.petit@example.fr',
          emailConsent: false,
          smsConsent: false,
          organismeRattachement: 'CAF',
        },
        children: [{ firstName: 'TOM', lastName: 'PETIT', birthDate: '2017-02-02', sex: 'M' }],
      })
      .expect(201);
    await t.settle();
    const tom = (await t.http.get(`/families/${PETIT}`).set(staff).expect(200)).body.children[0].childId;
    // LUCIE DUPONT is enrolled by the demo data
    await t.http
      .post(`/families/${PETIT}/enrolments`)
      .set(staff)
      .send({ childId: tom, activityId: ALSH_MERCREDI_ID, schoolYear: '2026-2027' })
      .expect(201);
    await t.settle();

    const sent = await t.http
      .post(`/facilities/${ALSH_FACILITY.facilityId}/broadcasts`)
      .set(staff)
      .send({
        activityId: ALSH_MERCREDI_ID,
        topic: 'reservation',
        subject: 'Sortie au zoo',
        body: 'Mercredi, sortie au zoo : prévoir un pique-nique.',
      })
      .expect(201);
    expect(sent.body.recipients).toBe(2);
    await t.settle();

    const threadsOf = async (familyId: string, token: string) =>
      (await t.http.get(`/families/${familyId}/inbox?folder=received`).set(bearer(token)).expect(200)).body.items.filter(
        (i: { broadcastId?: string }) => i.broadcastId === sent.body.broadcastId,
      );
    const dupont = await threadsOf(DUPONT, t.tokens.dupont);
    const petit = await threadsOf(PETIT, t.tokens.staff);
    expect(dupont).toHaveLength(1);
    expect(petit).toHaveLength(1);
    expect(dupont[0].threadId).not.toBe(petit[0].threadId);

    // a reply goes to the family's own thread only
    await t.http
      .post(`/families/${DUPONT}/inbox/threads/${dupont[0].threadId}/messages`)
      .set(bearer(t.tokens.dupont))
      .send({ body: 'Lucie sera là.' })
      .expect(201);
    await t.settle();
    const petitThread = await t.http.get(`/families/${PETIT}/inbox/threads/${petit[0].threadId}`).set(staff).expect(200);
    expect(petitThread.body.messages).toHaveLength(1);
    // a broadcast to nobody is refused
    await t.http
      .post('/facilities')
      .set(staff)
      .send({ facilityId: 'centre-vide', name: 'Centre sans inscrit', commune: 'SAINT-JEAN' })
      .expect(201);
    await t.settle();
    const nobody = await t.http
      .post(`/facilities/centre-vide/broadcasts`)
      .set(staff)
      .send({ topic: 'other', subject: 'Rien', body: 'Personne' })
      .expect(422);
    expect(nobody.body.code).toBe('NO_RECIPIENT');
  });

  it('notifies by e-mail and SMS only with the family’s consent; the inbox has the message all the same', async () => {
    // The broadcast above reached DUPONT (e-mail allowed, SMS not) and PETIT (neither): the log says so.
    const log = async (familyId: string, token = t.tokens.staff) =>
      (await t.http.get(`/families/${familyId}/notifications`).set(bearer(token)).expect(200)).body.items as {
        kind: string;
        channel: string;
        status: string;
        reason?: string;
      }[];
    await waitFor(async () => (await log(PETIT)).length === 2, { message: 'PETIT notification log', timeoutMs: 10_000 });
    expect((await log(PETIT)).map((e) => [e.kind, e.channel, e.status, e.reason])).toEqual(
      expect.arrayContaining([
        ['new-message', 'email', 'skipped', 'no-consent'],
        ['new-message', 'sms', 'skipped', 'no-consent'],
      ]),
    );
    const outbox = async (to: string) =>
      (
        await t.http
          .get(`/admin/outbox?to=${encodeURIComponent(to)}&limit=500`)
          .set(bearer(t.tokens.admin))
          .expect(200)
      ).body.items as {
        subject: string;
        text: string;
      }[];
    expect(await outbox('nina.petit@example.fr')).toEqual([]);
    await waitFor(async () => (await outbox('jean.dupont@wanadoo.fr')).some((m) => m.text.includes('Sortie au zoo')), {
      message: 'DUPONT e-mail about the broadcast',
      timeoutMs: 10_000,
    });
    const dupontLog = await log(DUPONT);
    expect(dupontLog.filter((e) => e.channel === 'sms').every((e) => e.status === 'skipped' && e.reason === 'no-consent')).toBe(true);
    expect(dupontLog.filter((e) => e.channel === 'email' && e.status === 'delivered').length).toBeGreaterThanOrEqual(2);
    // PETIT has it in the inbox nevertheless
    const unread = await t.http.get(`/families/${PETIT}/inbox/unread`).set(bearer(t.tokens.staff)).expect(200);
    expect(unread.body.messages).toBe(1);

    // MARTIN consents to SMS: a message from PEAUGRES staff goes by e-mail and by SMS (one GSM SMS)
    const started = await t.http
      .post(`/families/${MARTIN}/inbox/threads`)
      .set(bearer(t.tokens.otherStaff))
      .send({ topic: 'billing', subject: 'Facture de novembre', body: 'Votre facture est disponible.' })
      .expect(201);
    await t.settle();
    await waitFor(async () => (await log(MARTIN, t.tokens.otherStaff)).filter((e) => e.status === 'delivered').length === 2, {
      message: 'MARTIN e-mail and SMS',
      timeoutMs: 10_000,
    });
    const sms = readdirSync(join(t.dataDir, 'sms-outbox')).filter((n) => n.endsWith('.json'));
    expect(sms).toHaveLength(1);
    const text = JSON.parse(readFileSync(join(t.dataDir, 'sms-outbox', sms[0]), 'utf8')) as { to: string; text: string };
    expect(text.to).toBe('+33611223344');
    expect(text.text.length).toBeLessThanOrEqual(160);
    expect(started.body.threadId).toBeDefined();
  });

  it('puts every notice in the inbox whatever the consent: a parent without e-mail consent reads a refusal there, delivered once', async () => {
    const parent = bearer(t.tokens.dupont);
    const staff = bearer(t.tokens.staff);
    // DUPONT withdraws the e-mail consent (« Autorisation courriel »), staff accept
    const withdraw = await t.http
      .post(`/families/${DUPONT}/requests/contact`)
      .set(parent)
      .send({ person: 'guardian', changes: { emailConsent: false } })
      .expect(201);
    await t.settle();
    await t.http.post(`/families/${DUPONT}/requests/${withdraw.body.requestId}/accept`).set(staff).send({}).expect(200);
    await t.settle();
    expect((await t.http.get(`/families/${DUPONT}`).set(staff).expect(200)).body.guardian.emailConsent).toBe(false);

    // then a request of theirs is refused
    const asked = await t.http
      .post(`/families/${DUPONT}/requests/contact`)
      .set(parent)
      .send({ person: 'guardian', changes: { profession: 'BOULANGER' } })
      .expect(201);
    await t.settle();
    await t.http
      .post(`/families/${DUPONT}/requests/${asked.body.requestId}/refuse`)
      .set(staff)
      .send({ reason: 'Justificatif manquant' })
      .expect(200);
    await t.settle();

    const noticeThread = async () =>
      (
        (await t.http.get(`/families/${DUPONT}/inbox?folder=received`).set(parent).expect(200)).body.items as {
          threadId: string;
          subject: string;
          facilityName: string;
          messageCount: number;
        }[]
      ).find((i) => i.subject === 'Vos demandes de modification');
    await waitFor(async () => (await noticeThread())?.messageCount === 2, { message: 'DUPONT notices in the inbox', timeoutMs: 10_000 });
    const thread = (await noticeThread())!;
    expect(thread.facilityName).toBe('Service enfance-famille de la commune');
    const read = await t.http.get(`/families/${DUPONT}/inbox/threads/${thread.threadId}`).set(parent).expect(200);
    expect(read.body.messages.map((m: { side: string; body: string }) => [m.side, m.body.split('\n')[0]])).toEqual([
      ['staff', 'Demande acceptée'],
      ['staff', 'Demande refusée'],
    ]);
    expect(read.body.messages[1].body).toContain('Motif : Justificatif manquant');

    // no e-mail for the refusal: the log says why
    const refusal = `request-refused-${asked.body.requestId}`;
    await t.settle();
    const entries = (await t.http.get(`/families/${DUPONT}/notifications`).set(staff).expect(200)).body.items as {
      notificationId: string;
      channel: string;
      status: string;
      reason?: string;
    }[];
    expect(entries.filter((e) => e.notificationId === refusal).map((e) => [e.channel, e.status, e.reason])).toEqual(
      expect.arrayContaining([
        ['email', 'skipped', 'no-consent'],
        ['sms', 'skipped', 'no-consent'],
      ]),
    );

    // the job run again (a redelivery) delivers nothing twice: no second notice
    const head = await t.events.headPosition();
    await t.app.get(Notifications).deliver(
      {
        notificationId: refusal,
        familyId: DUPONT,
        kind: 'request-refused',
        title: 'Demande refusée',
        message: 'Motif : Justificatif manquant.',
        createdAt: '2026-11-16T08:00:00.000Z',
      },
      'redelivery',
    );
    await t.settle();
    expect(await t.events.headPosition()).toBe(head);
    expect((await noticeThread())?.messageCount).toBe(2);
    // the notice is not announced as a « Nouveau message » on top of it
    expect(
      ((await t.http.get(`/families/${DUPONT}/notifications`).set(staff).expect(200)).body.items as { notificationId: string }[]).filter(
        (e) => e.notificationId === `new-message-${refusal}`,
      ),
    ).toEqual([]);
  });

  it('deletes a thread to the deleted folder, restores it within 30 days, not after', async () => {
    const parent = bearer(t.tokens.dupont);
    await t.http.post(`/families/${DUPONT}/inbox/threads/${threadId}/delete`).set(parent).send({}).expect(200);
    await t.settle();
    const ids = async (folder: string) =>
      (await t.http.get(`/families/${DUPONT}/inbox?folder=${folder}`).set(parent).expect(200)).body.items.map(
        (i: { threadId: string }) => i.threadId,
      );
    expect(await ids('received')).not.toContain(threadId);
    const deleted = await t.http.get(`/families/${DUPONT}/inbox?folder=deleted`).set(parent).expect(200);
    expect(deleted.body.items.map((i: { threadId: string }) => i.threadId)).toEqual([threadId]);
    // staff still see it: deletion is per side
    await t.http.get(`/families/${DUPONT}/inbox/threads/${threadId}`).set(bearer(t.tokens.staff)).expect(200);
    const refusedReply = await t.http
      .post(`/families/${DUPONT}/inbox/threads/${threadId}/messages`)
      .set(parent)
      .send({ body: 'Encore moi' })
      .expect(409);
    expect(refusedReply.body.code).toBe('THREAD_DELETED');
    await t.http.post(`/families/${DUPONT}/inbox/threads/${threadId}/restore`).set(parent).send({}).expect(200);
    await t.settle();
    expect(await ids('received')).toContain(threadId);

    await t.http.post(`/families/${DUPONT}/inbox/threads/${threadId}/delete`).set(parent).send({}).expect(200);
    t.clock.advance(31 * 24 * 60 * 60 * 1000);
    await t.settle();
    // sessions do not last a month: log in again
    const login = await t.http.post('/auth/login').send({ login: DUPONT, password: DEMO_PASSWORD }).expect(200);
    Object.assign(parent, bearer(login.body.token));
    expect(await ids('deleted')).toEqual([]);
    const late = await t.http.post(`/families/${DUPONT}/inbox/threads/${threadId}/restore`).set(parent).send({}).expect(409);
    expect(late.body.code).toBe('THREAD_PURGED');
  });
});
