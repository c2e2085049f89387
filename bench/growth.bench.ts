/**
 * `npm run bench:growth` — does a family's long history slow its commands?
 *
 * The embedded portal (createApp, demo data, its own temporary data folder) serves HTTP on 127.0.0.1. The
 * DUPONT family's planning history grows, through the API, by booking and cancelling LUCIE's canteen days
 * (two events per cycle), up to each level of GROWTH_LEVELS events in the family's planning streams. At each
 * level, once the workflows have settled, it times, over HTTP and one at a time:
 *   - book: a canteen day (POST /families/:id/reservations), GROWTH_SAMPLES times;
 *   - cancel: each of those days (POST …/reservations/:requestId/cancel);
 *   - absence: a booked day declared absent (POST …/absences), GROWTH_SAMPLES / 2 times;
 *   - cancel-many: 20 reservations cancelled in one request (POST …/reservations/cancel), 3 times;
 *   - first command after a restart: the app is closed and created again on the same data folder
 *     (nothing kept in memory), then one booking is timed.
 * For each, the median latency and the longest event-loop block seen while it ran (monitorEventLoopDelay,
 * 1 ms resolution; the client shares the process but only waits on sockets). At the last level, every read
 * model is rebuilt from the log and its speed printed (events/s).
 *
 * Only the public API is used, so the same script measures an older commit (copy it there and build).
 */
import 'reflect-metadata';

import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import type { INestApplication } from '@nestjs/common';

import { createApp } from '../src/bootstrap';
import { DEMO_PASSWORD } from '../src/demo/demo-data';
import { loadConfig } from '../src/platform/config/config';
import type { EventStore } from '../src/platform/event-store/event-store.port';
import { ProjectionRunner } from '../src/platform/projections/projection-runner';
import { EVENT_STORE } from '../src/platform/tokens';
import { WorkflowRunner } from '../src/platform/workflows/workflow-runner';
import { intEnv, Row, section, table } from './bench-support';

const FAMILY = '1001001818331';
const CHILD = 'enfant-lucie-dupont';
const CANTEEN = 'restauration-scolaire';
const LEVELS = (process.env.GROWTH_LEVELS ?? '100,1000,10000').split(',').map(Number);
const SAMPLES = intEnv('GROWTH_SAMPLES', 20);

const progress = (message: string) => process.stderr.write(`[growth] ${message}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Portal {
  app: INestApplication;
  url: string;
  token: string;
}

async function start(dataDir: string): Promise<Portal> {
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const login = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: FAMILY, password: DEMO_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  return { app, url, token: ((await login.json()) as { token: string }).token };
}

async function settle(app: INestApplication): Promise<void> {
  const events = app.get<EventStore>(EVENT_STORE);
  for (let head = -1; ;) {
    const now = await events.headPosition();
    if (now === head) return;
    head = now;
    await app.get(WorkflowRunner).waitForPosition(head, 600_000);
    await app.get(ProjectionRunner).waitForPosition(await events.headPosition(), 600_000);
  }
}

async function post(portal: Portal, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${portal.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${portal.token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

const book = (portal: Portal, date: string) =>
  post(portal, `/families/${FAMILY}/reservations`, { childId: CHILD, activityId: CANTEEN, date });
const cancel = (portal: Portal, requestId: string) => post(portal, `/families/${FAMILY}/reservations/${requestId}/cancel`, {});

async function planningEvents(portal: Portal): Promise<number> {
  const events = portal.app.get<EventStore>(EVENT_STORE);
  let count = 0;
  for (let from = 0; ;) {
    const page = await events.readAll({ fromPosition: from, maxCount: 5000 });
    if (page.length === 0) return count;
    count += page.filter((e) => e.streamId.startsWith(`planning-${FAMILY}`)).length;
    from = page[page.length - 1].position;
  }
}

/** The canteen days that can be booked now, from two weeks ahead to the end of the school year. */
async function bookableDays(portal: Portal): Promise<string[]> {
  const days: string[] = [];
  const start = new Date(Date.now() + 16 * 86_400_000);
  for (let d = 0; d < 400 && days.length < 90; d++) {
    const date = new Date(start.getTime() + d * 86_400_000).toISOString().slice(0, 10);
    const res = await book(portal, date);
    if (res.status !== 201) continue;
    days.push(date);
    const undone = await cancel(portal, res.json.requestId as string);
    if (undone.status !== 200) throw new Error(`cancel of a fresh booking failed: ${undone.status} ${JSON.stringify(undone.json)}`);
  }
  const needed = SAMPLES + LEVELS.length * Math.max(1, SAMPLES / 2);
  if (days.length < needed) throw new Error(`only ${days.length} bookable canteen days found (${needed} needed)`);
  return days;
}

/** Times `op` once, with the longest event-loop block seen meanwhile. */
async function timed<T>(op: () => Promise<T>): Promise<{ ms: number; blockMs: number; value: T }> {
  const monitor = monitorEventLoopDelay({ resolution: 1 });
  monitor.enable();
  const started = performance.now();
  const value = await op();
  const ms = performance.now() - started;
  monitor.disable();
  return { ms, blockMs: monitor.max / 1e6, value };
}

interface Figures {
  level: number;
  events: number;
  book: number;
  cancel: number;
  absence: number;
  cancelMany: number;
  restart: number;
  blocks: Record<string, number>;
}

async function measure(portal: Portal, days: string[], round: number): Promise<Omit<Figures, 'level' | 'restart' | 'events'>> {
  const expect = (status: number, wanted: number, what: string, json: unknown) => {
    if (status !== wanted) throw new Error(`${what}: ${status} ${JSON.stringify(json)}`);
  };
  const blocks: Record<string, number> = { book: 0, cancel: 0, absence: 0, cancelMany: 0 };
  const samples = { book: [] as number[], cancel: [] as number[], absence: [] as number[], cancelMany: [] as number[] };
  const ids: string[] = [];
  for (const date of days.slice(0, SAMPLES)) {
    const t = await timed(() => book(portal, date));
    expect(t.value.status, 201, `book ${date}`, t.value.json);
    samples.book.push(t.ms);
    blocks.book = Math.max(blocks.book, t.blockMs);
    ids.push(t.value.json.requestId as string);
  }
  for (const id of ids) {
    const t = await timed(() => cancel(portal, id));
    expect(t.value.status, 200, `cancel ${id}`, t.value.json);
    samples.cancel.push(t.ms);
    blocks.cancel = Math.max(blocks.cancel, t.blockMs);
  }
  const absent: string[] = [];
  // days never declared absent before (an absence stays on a day in older versions, even once it is cancelled)
  const absences = Math.max(1, SAMPLES / 2);
  for (const date of days.slice(SAMPLES + round * absences, SAMPLES + (round + 1) * absences)) {
    const booked = await book(portal, date);
    expect(booked.status, 201, `book ${date}`, booked.json);
    absent.push(booked.json.requestId as string);
    const t = await timed(() =>
      post(portal, `/families/${FAMILY}/absences`, { childId: CHILD, activityId: CANTEEN, from: date, to: date }),
    );
    expect(t.value.status, 201, `absence ${date}`, t.value.json);
    samples.absence.push(t.ms);
    blocks.absence = Math.max(blocks.absence, t.blockMs);
  }
  for (const id of absent) await cancel(portal, id);
  for (let round = 0; round < 3; round++) {
    const many: string[] = [];
    for (const date of days.slice(0, 20)) {
      const booked = await book(portal, date);
      expect(booked.status, 201, `book ${date}`, booked.json);
      many.push(booked.json.requestId as string);
    }
    const t = await timed(() => post(portal, `/families/${FAMILY}/reservations/cancel`, { requestIds: many }));
    expect(t.value.status, 200, 'cancel-many', t.value.json);
    if ((t.value.json.cancelled as number) !== 20) throw new Error(`cancel-many cancelled ${String(t.value.json.cancelled)} of 20`);
    samples.cancelMany.push(t.ms);
    blocks.cancelMany = Math.max(blocks.cancelMany, t.blockMs);
  }
  return {
    book: median(samples.book),
    cancel: median(samples.cancel),
    absence: median(samples.absence),
    cancelMany: median(samples.cancelMany),
    blocks,
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'growth-'));
  const figures: Figures[] = [];
  let portal = await start(dataDir);
  try {
    await settle(portal.app);
    progress('finding bookable canteen days');
    const days = await bookableDays(portal);
    let cycle = 0;
    for (const level of LEVELS) {
      let events = await planningEvents(portal);
      progress(`growing the history to ${level} planning events (now ${events})`);
      while (events < level) {
        const date = days[cycle++ % days.length];
        const booked = await book(portal, date);
        if (booked.status !== 201) throw new Error(`book ${date}: ${booked.status} ${JSON.stringify(booked.json)}`);
        const undone = await cancel(portal, booked.json.requestId as string);
        if (undone.status !== 200) throw new Error(`cancel: ${undone.status} ${JSON.stringify(undone.json)}`);
        events += 2;
        if (cycle % 500 === 0) progress(`${events} events`);
      }
      await settle(portal.app);
      events = await planningEvents(portal);
      progress(`level ${level}: ${events} events; measuring`);
      const warm = await measure(portal, days, figures.length);
      await settle(portal.app);
      progress('restarting the portal on the same data folder');
      await portal.app.close();
      portal = await start(dataDir);
      const first = await timed(() => book(portal, days[days.length - 1]));
      if (first.value.status !== 201)
        throw new Error(`first command after restart: ${first.value.status} ${JSON.stringify(first.value.json)}`);
      await cancel(portal, first.value.json.requestId as string);
      await settle(portal.app);
      figures.push({ level, events, ...warm, restart: first.ms, blocks: { ...warm.blocks, restart: first.blockMs } });
    }

    section(`bench:growth — Node ${process.version}, one family's planning history (DUPONT, canteen days)`);
    const f1 = (n: number) => n.toFixed(1);
    const rows: Row[] = [];
    for (const f of figures) {
      rows.push({
        figure: `${f.events} events: book / cancel / absence / cancel-many(20), median ms`,
        value: `${f1(f.book)} / ${f1(f.cancel)} / ${f1(f.absence)} / ${f1(f.cancelMany)}`,
      });
      rows.push({ figure: `${f.events} events: first command after a restart, ms`, value: f1(f.restart) });
      rows.push({
        figure: `${f.events} events: longest event-loop block, ms (book/cancel/absence/cancel-many/restart)`,
        value: ['book', 'cancel', 'absence', 'cancelMany', 'restart'].map((k) => f1(f.blocks[k])).join(' / '),
      });
    }
    if (figures.length > 1) {
      const [low, high] = [figures[0], figures[figures.length - 1]];
      for (const op of ['book', 'cancel', 'absence', 'cancelMany'] as const) {
        rows.push({ figure: `ratio ${high.events} vs ${low.events} events: ${op}`, value: (high[op] / low[op]).toFixed(2) });
      }
    }
    const runner = portal.app.get(ProjectionRunner);
    const head = await portal.app.get<EventStore>(EVENT_STORE).headPosition();
    const started = performance.now();
    for (const name of runner.names()) await runner.rebuild(name);
    const seconds = (performance.now() - started) / 1000;
    rows.push({
      figure: `rebuild of every read model (${runner.names().length}), events/s`,
      value: ((head * runner.names().length) / seconds).toFixed(0),
      detail: `${head} events × ${runner.names().length} projections in ${seconds.toFixed(1)} s`,
    });
    console.log(table(rows));
  } finally {
    await portal.app.close();
    if (!process.env.GROWTH_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
