/**
 * `npm run bench:inbox`: the inbox under load, in one run of the embedded runtime (fresh data folder, demo
 * data, projections in process), autocannon in a child process:
 *
 * 1. inbox listing (GET /families/:id/inbox, received folder, 50 a page) and the home's unread count for a
 *    family with BENCH_INBOX_MESSAGES messages (default 2,000: 200 conversations of 10), p50/p99;
 * 2. messages posted per second (POST …/threads/:threadId/messages, JSON, spread over 20 conversations)
 *    with BENCH_INBOX_CONNECTIONS connections (default 20), then GET /health with the same connections
 *    and duration, in the same run: the ratio says what a posted message costs beside the lightest answer.
 *
 *   BENCH_INBOX_SECONDS=5 npm run bench:inbox
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { intEnv, type Row, runChild, section, table } from './bench-support';
import type { InboxLoadJob, InboxLoadReport } from './inbox-load';

const DUPONT = '1001001818331';
const settings = {
  messages: intEnv('BENCH_INBOX_MESSAGES', 2000),
  connections: intEnv('BENCH_INBOX_CONNECTIONS', 20),
  seconds: intEnv('BENCH_INBOX_SECONDS', 10),
};

const load = (job: InboxLoadJob) => runChild<InboxLoadJob, InboxLoadReport>(join(__dirname, 'inbox-load.js'), job);
const progress = (text: string) => process.stderr.write(`… ${text}\n`);
const ms = (n: number) => `${n.toFixed(1)} ms`;
const row = (name: string, r: InboxLoadReport): Row => ({
  figure: name,
  value: `${r.rps.toFixed(0)} req/s`,
  detail: `p50 ${ms(r.latency.p50)}, p99 ${ms(r.latency.p99)}, non-2xx ${r.non2xx + r.errors}`,
});

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-inbox-'));
  const { createApp } = await import('../src/bootstrap');
  const { loadConfig } = await import('../src/platform/config/config');
  const { Commands } = await import('../src/platform/commands/stream-command');
  const { ProjectionRunner } = await import('../src/platform/projections/projection-runner');
  const { WorkflowRunner } = await import('../src/platform/workflows/workflow-runner');
  const { EVENT_STORE } = await import('../src/platform/tokens');
  const { threadCommands } = await import('../src/modules/messaging/threads/thread.commands');
  const { DEMO_PASSWORD } = await import('../src/demo/demo-data');
  type EventStore = import('../src/platform/event-store/event-store.port').EventStore;

  const app = await createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', DEMO_DATA: 'true' }));
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const failures: string[] = [];
  try {
    const login = async (login: string) => {
      const res = await fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login, password: DEMO_PASSWORD }),
      });
      return ((await res.json()) as { token: string }).token;
    };
    const parent = await login(DUPONT);
    const commands = app.get(Commands);
    const events = app.get<EventStore>(EVENT_STORE);
    const runner = app.get(ProjectionRunner);
    const workflows = app.get(WorkflowRunner);
    const staffPrincipal = { userId: 'bench-agent', role: 'staff' as const, scope: ['SAINT-JEAN'], displayName: 'Agent' };

    // Setup (not timed): the family's messages, as conversations of 10 started by the family and answered by staff.
    progress(`seeding ${settings.messages} messages for family ${DUPONT}`);
    const perThread = 10;
    const started = Date.now();
    for (let m = 0; m < settings.messages; m += perThread) {
      const threadId = randomUUID();
      const key = { familyId: DUPONT, threadId };
      const context = { principal: { userId: 'bench-parent', role: 'parent' as const, familyId: DUPONT }, correlationId: randomUUID() };
      await commands.send(
        threadCommands,
        key,
        {
          type: 'StartThread',
          side: 'family',
          commune: 'SAINT-JEAN',
          facilityId: 'alsh-saint-jean',
          facilityName: 'Accueil de Loisirs',
          topic: 'reservation',
          subject: `Question ${m / perThread}`,
          messageId: randomUUID(),
          body: 'Bonjour, une question sur le mercredi.',
          authorName: 'JEAN DUPONT',
          attachments: [],
        },
        context,
      );
      for (let i = 1; i < Math.min(perThread, settings.messages - m); i++) {
        const staff = i % 2 === 1;
        await commands.send(
          threadCommands,
          key,
          {
            type: 'PostMessage',
            side: staff ? 'staff' : 'family',
            messageId: randomUUID(),
            body: staff ? 'Réponse du service.' : 'Merci.',
            authorName: staff ? 'Agent' : 'JEAN DUPONT',
            attachments: [],
          },
          { principal: staff ? staffPrincipal : context.principal, correlationId: randomUUID() },
        );
      }
    }
    await runner.waitForPosition(await events.headPosition(), 300_000);
    progress(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s; projections caught up`);

    section(
      `1. Inbox reads for a family with ${settings.messages} messages (${settings.connections} connections, ${settings.seconds} s each)`,
    );
    const listing = await load({
      url,
      connections: settings.connections,
      seconds: settings.seconds,
      token: parent,
      paths: [`/families/${DUPONT}/inbox?folder=received`],
    });
    const unread = await load({
      url,
      connections: settings.connections,
      seconds: settings.seconds,
      token: parent,
      paths: [`/families/${DUPONT}/inbox/unread`],
    });
    console.log(
      table([row('GET /families/:id/inbox?folder=received (50 a page)', listing), row('GET /families/:id/inbox/unread', unread)]),
    );

    section(`2. Messages posted beside GET /health (${settings.connections} connections, ${settings.seconds} s each)`);
    const threads: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${url}/families/${DUPONT}/inbox/threads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${parent}` },
        body: JSON.stringify({ topic: 'other', subject: `Charge ${i}`, body: 'Début de la conversation.' }),
      });
      threads.push(((await res.json()) as { threadId: string }).threadId);
    }
    await runner.waitForPosition(await events.headPosition(), 300_000);
    const posted = await load({
      url,
      connections: settings.connections,
      seconds: settings.seconds,
      token: parent,
      paths: threads.map((t) => `/families/${DUPONT}/inbox/threads/${t}/messages`),
      body: JSON.stringify({ body: 'Bonjour, Lucie sera absente mercredi.\nMerci.' }),
    });
    // the posted messages are projected and seen by the workflows before /health is asked (503 while they lag)
    const head = await events.headPosition();
    await runner.waitForPosition(head, 300_000);
    await workflows.waitForPosition(head, 300_000);
    const health = await load({ url, connections: settings.connections, seconds: settings.seconds, token: parent, paths: ['/health'] });
    console.log(table([row('POST …/threads/:threadId/messages', posted), row('GET /health', health)]));
    for (const [name, r] of [
      ['listing', listing],
      ['unread', unread],
      ['post', posted],
      ['health', health],
    ] as const) {
      if (r.non2xx + r.errors > 0) failures.push(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    }

    section('Summary');
    console.log(
      [
        `inbox listing, family with ${settings.messages} messages: p50 ${ms(listing.latency.p50)}, p99 ${ms(listing.latency.p99)} (${listing.rps.toFixed(0)} req/s, ${settings.connections} connections)`,
        `unread count: p50 ${ms(unread.latency.p50)}, p99 ${ms(unread.latency.p99)} (${unread.rps.toFixed(0)} req/s)`,
        `messages posted: ${posted.rps.toFixed(0)}/s (p99 ${ms(posted.latency.p99)}) beside GET /health ${health.rps.toFixed(0)} req/s in the same run: ratio ${(posted.rps / health.rps).toFixed(3)}`,
        failures.length ? `NOT VALID: ${failures.join('; ')}` : 'all answers 2xx',
      ].join('\n'),
    );
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (failures.length) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
