/**
 * `npm run bench:invoicing` — billing at the scale of a large commune (issue 10).
 *
 * The embedded portal (createApp, demo data, its own temporary data folder) on 127.0.0.1, with
 * INVOICING_FAMILIES families (3,000) and INVOICING_CHILDREN children (4,000) registered through the command
 * pipeline (no QF known: the highest band and the effort rate's maximum apply), 3 régies (one activity each: a fixed price, QF bands, an effort rate), and for every child
 * INVOICING_DAYS (20) booked days of October 2026 at one of the activities. The days are written as the
 * planning grid read model holds them (one document per child and month: what an invoicing run reads), so the
 * figures measure billing, not booking. Then it prints:
 *   - draft: time of the three runs' drafts and invoices/s;
 *   - issue: time of the three issues (numbers reserved, one invoice posted per family account) and invoices/s;
 *   - statement: GET /families/:id/account/statement under 20 connections, p50/p99 and requests/s, beside
 *     GET /health in the same run (ratio);
 *   - PDFs: the first invoice PDF (browser launch included), then PDFs/s rendering INVOICING_PDFS invoices
 *     with 4 requests at once (the renderer prints 2 pages at once), with a fresh page per PDF (the default)
 *     and with a pool of 2 pages kept (PDF_REUSE_PAGES=true);
 *   - the Node process's peak RSS during the run (sampled every 50 ms; Chromium's own processes not included).
 */
import 'reflect-metadata';

import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { invoicesOfRun } from '../projections/invoices/invoices.queries';
import { planningGridProjection } from '../projections/planning-grid/planning-grid.projection';
import { createApp } from '../src/bootstrap';
import { DEMO_FAMILIES, DEMO_PASSWORD } from '../src/demo/demo-data';
import { InvoicingService, regieCommands } from '../src/modules/billing';
import type { Tariff } from '../src/modules/billing/billing.types';
import { InvoicePdfService } from '../src/modules/billing/pdf/invoice-pdf.service';
import { familyCommands } from '../src/modules/families';
import { catalogCommands } from '../src/modules/planning';
import { ALSH_MERCREDI_CONFIG } from '../src/modules/planning/catalog/catalog.examples';
import type { CommandContext } from '../src/platform/commands/command-context';
import { Commands } from '../src/platform/commands/stream-command';
import { StreamReader } from '../src/platform/commands/stream-reader';
import { loadConfig } from '../src/platform/config/config';
import type { DocumentStore } from '../src/platform/document-store/document-store.port';
import type { EventStore } from '../src/platform/event-store/event-store.port';
import { FILE_STORE, type FileStore } from '../src/platform/files/file-store.port';
import { PuppeteerPdfRenderer } from '../src/platform/pdf/puppeteer-pdf-renderer';
import { ProjectionRunner } from '../src/platform/projections/projection-runner';
import { ReadModels } from '../src/platform/projections/read-models';
import { DOCUMENT_STORE, EVENT_STORE } from '../src/platform/tokens';
import { WorkflowRunner } from '../src/platform/workflows/workflow-runner';
import { intEnv, type Row, runChild, section, table } from './bench-support';
import type { LoadJob, LoadReport } from './http-load';

const FAMILIES = intEnv('INVOICING_FAMILIES', 3000);
const CHILDREN = intEnv('INVOICING_CHILDREN', 4000);
const DAYS = intEnv('INVOICING_DAYS', 20);
const PDFS = intEnv('INVOICING_PDFS', 48);
const SECONDS = intEnv('INVOICING_SECONDS', 10);
const CONNECTIONS = 20;
const MONTH = '2026-10';

const progress = (message: string) => process.stderr.write(`[invoicing] ${message}\n`);
const SYSTEM: CommandContext = { principal: { userId: 'bench', role: 'system' }, correlationId: 'bench-invoicing' };

const REGIES = [1, 2, 3].map((n) => ({ regieId: `bench-regie-${n}`, activityId: `bench-activite-${n}`, prefix: `B${n}` }));
const MODES: Tariff['mode'][] = [
  { kind: 'fixed', unit: 'day', cents: 420 },
  {
    kind: 'qf-bands',
    bands: [
      { minQf: 0, cents: 100 },
      { minQf: 600, cents: 305 },
      { minQf: 1000, cents: 310 },
      { minQf: 1500, cents: 315 },
    ],
  },
  { kind: 'effort-rate', rateBasisPoints: 36, minCents: 260, maxCents: 450 },
];

/** The weekdays of October 2026 (Toussaint holidays included: billed at the '*' tariff), the first `count`. */
function billedDays(count: number): string[] {
  const days: string[] = [];
  for (let d = 1; d <= 31 && days.length < count; d++) {
    const date = `${MONTH}-${String(d).padStart(2, '0')}`;
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(date);
  }
  return days;
}

async function main(): Promise<void> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const dataDir = mkdtempSync(join(tmpdir(), 'portail-bench-invoicing-'));
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const commands = app.get(Commands);
  const events = app.get<EventStore>(EVENT_STORE);
  const settle = async () => {
    for (let head = -1; ;) {
      const now = await events.headPosition();
      if (now === head) return;
      head = now;
      await app.get(WorkflowRunner).waitForPosition(head, 600_000);
      await app.get(ProjectionRunner).waitForPosition(await events.headPosition(), 600_000);
    }
  };
  const rows: Row[] = [];
  try {
    // --- set-up: catalogue, régies, tariffs, families --------------------------------------------------
    await commands.send(
      catalogCommands,
      'bench-facility',
      { type: 'DefineFacility', name: 'Structure de mesure', commune: 'SAINT-JEAN' },
      SYSTEM,
    );
    for (const [i, r] of REGIES.entries()) {
      await commands.send(
        catalogCommands,
        'bench-facility',
        {
          type: 'DefineActivity',
          activityId: r.activityId,
          config: { ...ALSH_MERCREDI_CONFIG, name: `Activité ${i + 1}`, regieId: r.regieId, bookingWindows: [] },
        },
        SYSTEM,
      );
      await commands.send(
        regieCommands,
        r.regieId,
        {
          type: 'DefineRegie',
          settings: {
            name: `Régie de mesure ${i + 1}`,
            prefix: r.prefix,
            communes: ['SAINT-JEAN'],
            paymentMeans: ['cash'],
            dueAfterDays: 15,
          },
        },
        SYSTEM,
      );
      const tariff: Tariff = {
        tariffId: `bench-tarif-${i + 1}`,
        activityId: r.activityId,
        label: 'Journée',
        usage: 'booking',
        validFrom: '2026-09-01',
        validTo: null,
        category: '*',
        periodKind: '*',
        mode: MODES[i],
        siblingReductions: [{ fromRank: 2, percent: 20 }],
      };
      await commands.send(regieCommands, r.regieId, { type: 'DefineTariff', tariff }, SYSTEM);
    }
    const template = DEMO_FAMILIES[0];
    const child = template.children![0];
    const familyIds: string[] = [];
    const childrenOf = new Map<string, string[]>();
    let started = performance.now();
    for (let f = 0; f < FAMILIES; f++) {
      const familyId = `20${String(f).padStart(11, '0')}`;
      const count = f < CHILDREN - FAMILIES ? 2 : 1;
      const children = Array.from({ length: count }, (_, c) => ({
        ...child,
        childId: `bench-enfant-${f}-${c}`,
        firstName: c === 0 ? 'LUCIE' : 'PAUL',
        birthDate: c === 0 ? '2016-03-14' : '2018-05-02',
      }));
      familyIds.push(familyId);
      childrenOf.set(
        familyId,
        children.map((c) => c.childId),
      );
      await commands.send(
        familyCommands,
        familyId,
        {
          ...template,
          familyNumber: familyId,
          children,
        },
        { ...SYSTEM, correlationId: `bench-family-${f}` },
      );
      if (f % 500 === 499) progress(`${f + 1} families registered`);
    }
    progress(`families registered in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // the planning facts of the month, as the planning grid read model holds them
    const documents = app.get<DocumentStore>(DOCUMENT_STORE);
    const collection = await app.get(ProjectionRunner).collectionOf(planningGridProjection.name);
    const dates = billedDays(DAYS);
    let childIndex = 0;
    for (const familyId of familyIds) {
      for (const childId of childrenOf.get(familyId)!) {
        const activityId = REGIES[childIndex % REGIES.length].activityId;
        childIndex++;
        const days = Object.fromEntries(
          dates.map((date) => [
            date,
            {
              status: 'booked',
              reservation: 'booked',
              requestId: `r-${childId}-${date}`,
              validation: 'automatic',
              updatedAt: '2026-09-20T08:00:00.000Z',
            },
          ]),
        );
        await documents.put(collection, `${familyId}|${childId}|${MONTH}`, {
          familyId,
          childId,
          month: MONTH,
          rows: { [activityId]: { activityId, enrolment: null, days } },
          updatedAt: '2026-09-20T08:00:00.000Z',
        });
      }
    }
    await settle();
    progress(`${childIndex} children × ${dates.length} days of ${MONTH} in the planning grid`);

    // --- draft and issue --------------------------------------------------------------------------------
    const invoicing = app.get(InvoicingService);
    section(`Invoicing run: ${FAMILIES} families, ${CHILDREN} children, ${DAYS} days each, ${REGIES.length} régies (${MONTH})`);
    started = performance.now();
    let drafted = 0;
    for (const r of REGIES) drafted += (await invoicing.prepareDraft(r.regieId, MONTH, SYSTEM)).draft?.invoices.length ?? 0;
    const draftMs = performance.now() - started;
    rows.push({
      figure: 'draft (3 runs)',
      value: `${(draftMs / 1000).toFixed(2)} s`,
      detail: `${drafted} invoices, ${Math.round(drafted / (draftMs / 1000))} invoices/s`,
    });
    started = performance.now();
    let issued = 0;
    for (const r of REGIES) issued += (await invoicing.issue(r.regieId, MONTH, SYSTEM)).numbers.length;
    const issueMs = performance.now() - started;
    rows.push({
      figure: 'issue (3 runs)',
      value: `${(issueMs / 1000).toFixed(2)} s`,
      detail: `${issued} invoices numbered and posted, ${Math.round(issued / (issueMs / 1000))} invoices/s`,
    });
    started = performance.now();
    await settle();
    rows.push({ figure: 'read models caught up after issue', value: `${((performance.now() - started) / 1000).toFixed(2)} s` });

    // --- statement under load, beside /health ------------------------------------------------------------
    const login = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: DEMO_PASSWORD }),
    });
    const token = ((await login.json()) as { token: string }).token;
    const load = (path: string, headers?: Record<string, string>) =>
      runChild<LoadJob, LoadReport>(join(__dirname, 'http-load.js'), {
        kind: 'get',
        url,
        path,
        connections: CONNECTIONS,
        seconds: SECONDS,
        ...(headers ? { headers } : {}),
      });
    const target = familyIds[familyIds.length - 1];
    const health = await load('/health/live');
    const statement = await load(`/families/${target}/account/statement?schoolYear=2026-2027`, { authorization: `Bearer ${token}` });
    rows.push({
      figure: `GET /health/live (${CONNECTIONS} conn.)`,
      value: `${Math.round(health.rps)} req/s`,
      detail: `p50 ${health.latency.p50} ms, p99 ${health.latency.p99} ms`,
    });
    rows.push({
      figure: `GET …/account/statement (${CONNECTIONS} conn.)`,
      value: `${Math.round(statement.rps)} req/s`,
      detail: `p50 ${statement.latency.p50} ms, p99 ${statement.latency.p99} ms, non-2xx ${statement.non2xx}; ratio to /health: ${(health.rps / Math.max(1, statement.rps)).toFixed(2)}× fewer req/s`,
    });

    // --- PDFs ----------------------------------------------------------------------------------------------
    const pdfs = app.get(InvoicePdfService);
    const readModels = app.get(ReadModels);
    const invoices = (await invoicesOfRun(readModels, `invoicing-${REGIES[1].regieId}-${MONTH}`)).slice(0, PDFS + 1);
    started = performance.now();
    const first = await pdfs.render(invoices[0]);
    const firstMs = performance.now() - started;
    rows.push({ figure: 'first PDF (browser launch included)', value: `${Math.round(firstMs)} ms`, detail: `${first.length} bytes` });
    const rate = async (service: InvoicePdfService, label: string) => {
      const begun = performance.now();
      let next = 1;
      const worker = async () => {
        while (next < invoices.length) await service.render(invoices[next++]);
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      const ms = performance.now() - begun;
      rows.push({
        figure: `PDFs (${invoices.length - 1}, 4 asked at once, ${label})`,
        value: `${((invoices.length - 1) / (ms / 1000)).toFixed(1)} PDF/s`,
        detail: `${Math.round(ms)} ms`,
      });
    };
    await rate(pdfs, 'fresh page each, 2 printing');
    // the same with a pool of 2 pages kept between documents (PDF_REUSE_PAGES=true)
    const pooled = new PuppeteerPdfRenderer({ concurrency: 2, reusePages: true });
    try {
      const pooledService = new InvoicePdfService(pooled, app.get<FileStore>(FILE_STORE), commands, app.get(StreamReader), readModels);
      await pooledService.render(invoices[0]);
      await rate(pooledService, 'pool of 2 pages reused');
    } finally {
      await pooled.close();
    }
    rows.push({ figure: 'peak RSS of the Node process', value: `${Math.round(peakRss / 1024 / 1024)} MB` });
    console.log(table(rows));
  } finally {
    clearInterval(sampler);
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
