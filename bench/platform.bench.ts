/**
 * `npm run bench`: throughput of the embedded runtime, every figure measured in this one run, in a fresh
 * temporary data folder (removed at the end; BENCH_KEEP_DATA=1 keeps it).
 *
 *   1. raw SQLite appends/s, with the event store's durability (openDatabase: WAL, synchronous=FULL);
 *   2. appends/s through the command pipeline in process (CommandExecutor + SqliteEventStore +
 *      EventSerializer + the families decider), sequential and with BENCH_CONCURRENCY commands in flight;
 *   3. HTTP: RequestAddressChange and GET /health under autocannon (run in a child process, so that the
 *      load generator does not share the server's event loop);
 *   4. projection catch-up from position zero vs a raw readAll of the same log.
 *
 * Sizes: BENCH_EVENTS, BENCH_CONCURRENCY, BENCH_HTTP_SECONDS, BENCH_HTTP_CONNECTIONS, BENCH_HTTP_FAMILIES,
 * BENCH_HTTP_WARMUP_SECONDS, BENCH_CATCHUP_EVENTS (see `settings` below). Progress goes to stderr, figures
 * to stdout. Exit code 1 when a measurement is not valid (a refused command, a non-2xx answer, an error).
 */
import 'reflect-metadata';

import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';

import { ALL_PROJECTIONS } from '../projections';
import { ALL_EVENT_TYPES } from '../src/app.events';
import { familiesDecider } from '../src/modules/families/families.decider';
import { familyStream } from '../src/modules/families/families.events';
import type { Principal } from '../src/platform/commands/command-context';
import { CommandExecutor } from '../src/platform/commands/command-executor';
import { SqliteDocumentStore } from '../src/platform/document-store/sqlite-document-store';
import { SqliteEventStore } from '../src/platform/event-store/sqlite-event-store';
import { EventSerializer } from '../src/platform/events/event-serializer';
import { ProjectionRunner } from '../src/platform/projections/projection-runner';
import { openDatabase } from '../src/platform/sqlite/open-database';
import { bareFastify } from './bare-fastify';
import { addressChange, BENCH_ACTOR, BENCH_SERIES, benchFamilyId, benchPrincipal, registration } from './bench-families';
import { intEnv, Row, runChild, section, table } from './bench-support';
import type { LoadJob, LoadReport } from './http-load';

// ---------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------

const settings = {
  /** appends of phase 1, commands of each pipeline run of phase 2 */
  events: intEnv('BENCH_EVENTS', 10000),
  /** commands in flight in the concurrent pipeline run */
  concurrency: intEnv('BENCH_CONCURRENCY', 50),
  httpSeconds: intEnv('BENCH_HTTP_SECONDS', 10),
  /** connections of every HTTP run: 100 in flight, as issue 9's goals are stated */
  httpConnections: intEnv('BENCH_HTTP_CONNECTIONS', 100),
  /** families registered for the HTTP run (0 = sized from the pipeline's measured rate) */
  httpFamilies: intEnv('BENCH_HTTP_FAMILIES', 0, 0),
  /** warm-up of the HTTP path (not reported), also used to size the measured run's families */
  httpWarmupSeconds: intEnv('BENCH_HTTP_WARMUP_SECONDS', 3, 0),
  /** minimum size of the log the projections catch up on (topped up through the pipeline when smaller) */
  catchUpEvents: intEnv('BENCH_CATCHUP_EVENTS', 20000),
  keepData: process.env.BENCH_KEEP_DATA === '1',
};

// ---------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------

const progress = (message: string): void => void process.stderr.write(`  … ${message}\n`);

/** Seconds elapsed while `fn` runs (process.hrtime.bigint). */
async function timed<T>(fn: () => Promise<T> | T): Promise<{ seconds: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
}

const rate = (count: number, seconds: number): number => (seconds > 0 ? count / seconds : 0);
const fmtRate = (value: number): string => Math.round(value).toLocaleString('en-US');
const fmtRatio = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');
const fmtMs = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

const problems: string[] = [];
const summary: { figure: string; value: string }[] = [];

function report(rows: Row[], summaryRows: { figure: string; value: string }[] = []): void {
  console.log(table(rows));
  summary.push(...summaryRows);
}

/** Run `count` tasks with at most `inFlight` of them awaiting at any time. */
async function pool(count: number, inFlight: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
}

function newSerializer(): EventSerializer {
  return new EventSerializer().register(ALL_EVENT_TYPES);
}

const parentOf = (familyId: string): Principal => benchPrincipal(`bench-parent-${familyId}`)!;

/** Register families [0, count) of a series through the executor (setup, not timed). */
async function registerFamilies(executor: CommandExecutor, series: number, count: number, from = 0): Promise<void> {
  for (let i = from; i < count; i++) {
    const familyId = benchFamilyId(series, i);
    await executor.execute({
      streamId: familyStream(familyId),
      decider: familiesDecider,
      command: (at) => registration(familyId, at),
      context: { principal: BENCH_ACTOR, correlationId: randomUUID(), familyId },
    });
  }
}

/** One RequestAddressChange on family `index` of a series, as the HTTP handler sends it. */
async function requestAddressChange(executor: CommandExecutor, series: number, index: number): Promise<number> {
  const familyId = benchFamilyId(series, index);
  const result = await executor.execute({
    streamId: familyStream(familyId),
    decider: familiesDecider,
    command: (at) => addressChange(familyId, randomUUID(), at),
    context: { principal: parentOf(familyId), correlationId: randomUUID(), familyId },
  });
  return result.events.length;
}

// ---------------------------------------------------------------------------------------------------
// 1. Raw SQLite appends
// ---------------------------------------------------------------------------------------------------

interface RawResult {
  rate: number;
  rowBytes: number;
  pragmas: string;
}

async function rawAppends(dir: string, sampleRow: string): Promise<RawResult> {
  section(`1. Raw SQLite appends (better-sqlite3, one INSERT per IMMEDIATE transaction, ${settings.events} rows)`);
  // openDatabase with the options SqliteEventStore passes: the very same pragmas, read back below.
  const db = openDatabase(join(dir, 'raw.sqlite'), { synchronous: 'FULL' });
  try {
    const pragmas = `journal_mode=${String(db.pragma('journal_mode', { simple: true }))}, synchronous=${
      ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(db.pragma('synchronous', { simple: true }))]
    }`;
    db.exec('CREATE TABLE raw_events (position INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO raw_events (body) VALUES (?)');
    const append = db.transaction((body: string) => insert.run(body));
    for (let i = 0; i < 100; i++) append.immediate(sampleRow); // warm-up (not counted)
    const { seconds } = await timed(() => {
      for (let i = 0; i < settings.events; i++) append.immediate(sampleRow);
    });
    const result = { rate: rate(settings.events, seconds), rowBytes: Buffer.byteLength(sampleRow), pragmas };
    report(
      [
        { figure: 'pragmas (openDatabase, as SqliteEventStore)', value: pragmas },
        { figure: 'row size (a serialized ChangeRequested)', value: `${result.rowBytes} bytes` },
        { figure: 'raw appends/s', value: fmtRate(result.rate), detail: `${settings.events} in ${seconds.toFixed(2)} s` },
      ],
      [{ figure: 'raw SQLite appends/s (WAL, synchronous=FULL, 1 row/txn)', value: fmtRate(result.rate) }],
    );
    return result;
  } finally {
    db.close();
  }
}

/** A stored-size ChangeRequested event (type, data and metadata as the serializer writes them). */
function sampleEventRow(): string {
  const familyId = benchFamilyId(0, 0);
  const at = new Date().toISOString();
  const state = familiesDecider
    .decide(registration(familyId, at), familiesDecider.initialState())
    .reduce((s, e) => familiesDecider.evolve(s, e), familiesDecider.initialState());
  const [event] = familiesDecider.decide(addressChange(familyId, randomUUID(), at), state);
  const stored = newSerializer().serialize(event, {
    eventId: randomUUID(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    userId: `bench-parent-${familyId}`,
    role: 'parent',
    familyId,
    recordedAt: at,
  });
  return JSON.stringify({ streamId: familyStream(familyId), revision: 1, type: stored.type, data: stored.data, metadata: stored.metadata });
}

// ---------------------------------------------------------------------------------------------------
// 2. Command pipeline in process
// ---------------------------------------------------------------------------------------------------

interface PipelineResult {
  registerRate: number;
  sequentialRate: number;
  concurrentRate: number;
}

async function pipeline(dir: string, raw: RawResult): Promise<PipelineResult> {
  const n = settings.events;
  section(
    `2. Command pipeline in process (CommandExecutor + SqliteEventStore + EventSerializer + families decider, ${n} commands per run)`,
  );
  mkdirSync(join(dir, 'pipeline'), { recursive: true });
  const store = new SqliteEventStore(join(dir, 'pipeline', 'events.sqlite'));
  let conflictRetries = 0;
  const executor = new CommandExecutor(store, newSerializer(), { maxAttempts: 5, onConflictRetry: () => conflictRetries++ });
  try {
    progress(`registering ${2 * n} families (setup)`);
    const registered = await timed(async () => {
      await registerFamilies(executor, BENCH_SERIES.pipelineSequential, n);
      await registerFamilies(executor, BENCH_SERIES.pipelineConcurrent, n);
    });
    const registerRate = rate(2 * n, registered.seconds);

    progress(`${n} RequestAddressChange, sequential`);
    let appended = 0;
    const sequential = await timed(async () => {
      for (let i = 0; i < n; i++) {
        const count = await requestAddressChange(executor, BENCH_SERIES.pipelineSequential, i);
        appended += count;
      }
    });

    progress(`${n} RequestAddressChange, ${settings.concurrency} in flight`);
    let failed = 0;
    const concurrent = await timed(() =>
      pool(n, settings.concurrency, async (i) => {
        try {
          // not `appended += await …`: that reads `appended` before awaiting, and loses concurrent updates
          const count = await requestAddressChange(executor, BENCH_SERIES.pipelineConcurrent, i);
          appended += count;
        } catch (error) {
          if (failed++ === 0) progress(`first failure: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
    if (appended !== 2 * n) problems.push(`pipeline: ${appended} events appended for ${2 * n} commands (${failed} failed)`);
    if (conflictRetries > 0) problems.push(`pipeline: ${conflictRetries} conflict retries (every command has its own stream)`);

    const result = {
      registerRate,
      sequentialRate: rate(n, sequential.seconds),
      concurrentRate: rate(n, concurrent.seconds),
    };
    report(
      [
        {
          figure: 'RequestAddressChange appends/s, sequential',
          value: fmtRate(result.sequentialRate),
          detail: `${n} in ${sequential.seconds.toFixed(2)} s; pipeline/raw = ${fmtRatio(result.sequentialRate / raw.rate)}`,
        },
        {
          figure: `RequestAddressChange appends/s, ${settings.concurrency} in flight`,
          value: fmtRate(result.concurrentRate),
          detail: `${n} in ${concurrent.seconds.toFixed(2)} s; pipeline/raw = ${fmtRatio(result.concurrentRate / raw.rate)}`,
        },
        {
          figure: '(setup) RegisterFamily appends/s, sequential',
          value: fmtRate(registerRate),
          detail: `${2 * n} new streams in ${registered.seconds.toFixed(2)} s`,
        },
        { figure: 'refused commands / conflict retries', value: `${failed} / ${conflictRetries}` },
      ],
      [
        { figure: 'pipeline appends/s, sequential (RequestAddressChange)', value: fmtRate(result.sequentialRate) },
        { figure: '  ratio pipeline/raw, sequential', value: fmtRatio(result.sequentialRate / raw.rate) },
        { figure: `pipeline appends/s, ${settings.concurrency} in flight`, value: fmtRate(result.concurrentRate) },
        { figure: `  ratio pipeline/raw, ${settings.concurrency} in flight`, value: fmtRatio(result.concurrentRate / raw.rate) },
      ],
    );
    return result;
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// 3. HTTP
// ---------------------------------------------------------------------------------------------------

/** Run one autocannon job in a child process (bench/http-load.js next to this file). */
function load(job: LoadJob): Promise<LoadReport> {
  return runChild<LoadJob, LoadReport>(join(__dirname, 'http-load.js'), job);
}

function httpRow(label: string, r: LoadReport): Row {
  return {
    figure: label,
    value: `${fmtRate(r.rps)} req/s`,
    detail:
      `p50 ${fmtMs(r.latency.p50)}, p99 ${fmtMs(r.latency.p99)}, max ${fmtMs(r.latency.max)}; ` +
      `${r.total} responses in ${r.duration.toFixed(1)} s, non-2xx ${r.non2xx}, errors ${r.errors}`,
  };
}

interface HttpResult {
  dataDir: string;
}

async function http(dir: string, raw: RawResult | undefined, pipe: PipelineResult | undefined): Promise<HttpResult> {
  const seconds = settings.httpSeconds;
  const connections = settings.httpConnections;
  section(`3. HTTP (createApp, embedded, 127.0.0.1; autocannon in a child process, ${connections} connections, ${seconds} s each)`);
  progress(`bare Fastify hello-world GET / for ${seconds} s (reference)`);
  const bare = await bareFastify(load, connections, seconds);
  // Loaded here, not at the top: phases 1 and 2 run without Nest in memory.
  const { createApp } = await import('../src/bootstrap');
  const { BenchParents } = await import('./bench-parents');
  const { loadConfig } = await import('../src/platform/config/config');
  const { CommandBus } = await import('@nestjs/cqrs');
  const { familiesDecider } = await import('../src/modules/families/families.decider');
  const { familyStream } = await import('../src/modules/families/families.events');
  const { StreamCommand } = await import('../src/platform/commands/stream-command');
  const { EVENT_STORE } = await import('../src/platform/tokens');
  type EventStore = import('../src/platform/event-store/event-store.port').EventStore;

  const dataDir = join(dir, 'http');
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_DATA: 'true' });
  // Real parent accounts and sessions for the benchmark's families (bench/bench-parents.ts).
  const parents = new BenchParents();
  const app = await createApp(config, { authenticator: parents.authenticator });
  parents.attach(app);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

  try {
    // Every request must reach a family without a pending guardian request (409 otherwise): one family per
    // request. The warm-up (not reported) runs the measured request on a first batch of families and tells
    // how many the measured run needs.
    const bus = app.get(CommandBus);
    const events = app.get<EventStore>(EVENT_STORE);
    const runner = app.get(ProjectionRunner);
    let registered = 0;
    const registerUpTo = async (count: number): Promise<void> => {
      progress(`registering ${count - registered} families through the CommandBus (setup)`);
      for (; registered < count; registered++) {
        const familyId = benchFamilyId(BENCH_SERIES.http, registered);
        const context = { principal: BENCH_ACTOR, correlationId: randomUUID() };
        // the setup sends whole commands (bench-families.ts), as the pipeline benchmark does
        await bus.execute(new StreamCommand(familyStream(familyId), familiesDecider, (at: string) => registration(familyId, at), context));
        await parents.add(familyId, context);
      }
      progress('waiting for the projections to catch up');
      await runner.waitForPosition(await events.headPosition(), 300_000);
    };

    let calibrated = pipe ? pipe.concurrentRate / 4 : 500;
    if (settings.httpWarmupSeconds > 0) {
      const warmupFamilies = Math.ceil(Math.min(calibrated, 1500) * settings.httpWarmupSeconds) + 100;
      await registerUpTo(warmupFamilies);
      progress(`warm-up: POST /families/:id/requests/address for ${settings.httpWarmupSeconds} s (not reported)`);
      const warmup = await load({
        kind: 'address-change',
        url,
        connections,
        seconds: settings.httpWarmupSeconds,
        series: BENCH_SERIES.http,
        from: 0,
        count: warmupFamilies,
      });
      calibrated = rate(warmup.ok2xx, warmup.duration);
      await runner.waitForPosition(await events.headPosition(), 300_000);
    }
    const from = registered;
    const families = settings.httpFamilies || Math.ceil(calibrated * seconds * 1.5) + 200;
    await registerUpTo(from + families);

    progress(`POST /families/:id/requests/address for ${seconds} s`);
    const address = await load({ kind: 'address-change', url, connections, seconds, series: BENCH_SERIES.http, from, count: families });
    progress('waiting for the projections to catch up');
    await runner.waitForPosition(await events.headPosition(), 300_000);
    progress(`GET /health/live for ${seconds} s`);
    const live = await load({ kind: 'get', url, path: '/health/live', connections, seconds });
    progress(`GET /health for ${seconds} s`);
    const health = await load({ kind: 'get', url, path: '/health', connections, seconds });

    for (const [label, r] of [
      ['bare Fastify', bare],
      ['RequestAddressChange', address],
      ['GET /health/live', live],
      ['GET /health', health],
    ] as const) {
      if (r.non2xx > 0)
        problems.push(`HTTP ${label}: ${r.non2xx} non-2xx answers (${JSON.stringify(r.statusCodes)}): the figure is not valid`);
      if (r.errors > 0) problems.push(`HTTP ${label}: ${r.errors} connection errors / timeouts`);
    }
    if (address.familiesExhausted) {
      problems.push(
        `HTTP RequestAddressChange: the ${families} families ran out after ${address.duration.toFixed(1)} s; set BENCH_HTTP_FAMILIES higher`,
      );
    }

    const ratio = address.rps / health.rps;
    const liveRatio = live.rps / bare.rps;
    report(
      [
        httpRow('bare Fastify hello-world GET / (reference)', bare),
        httpRow('POST /families/:id/requests/address', address),
        httpRow('GET /health/live', live),
        httpRow('GET /health', health),
        { figure: 'ratio GET /health/live / bare Fastify (goal ≥ 0.3)', value: fmtRatio(liveRatio) },
        ...(raw ? [{ figure: 'ratio RequestAddressChange / raw appends (goal ≥ 1.0)', value: fmtRatio(address.rps / raw.rate) }] : []),
        { figure: 'ratio RequestAddressChange / GET /health', value: fmtRatio(ratio) },
        ...(pipe
          ? [{ figure: 'ratio HTTP RequestAddressChange / pipeline in flight', value: fmtRatio(address.rps / pipe.concurrentRate) }]
          : []),
        {
          figure: 'families registered for the measured run (setup)',
          value: String(families),
          detail: `${address.familiesUsed} used; sized from the warm-up's ${fmtRate(calibrated)} req/s`,
        },
      ],
      [
        { figure: `HTTP bare Fastify hello-world req/s (${connections} conn.)`, value: fmtRate(bare.rps) },
        { figure: `HTTP GET /health/live req/s (${connections} conn.)`, value: fmtRate(live.rps) },
        { figure: '  latency p50 / p99', value: `${fmtMs(live.latency.p50)} / ${fmtMs(live.latency.p99)}` },
        { figure: '  ratio GET /health/live / bare Fastify (goal ≥ 0.3)', value: fmtRatio(liveRatio) },
        { figure: `HTTP RequestAddressChange req/s (${connections} conn.; goal ≥ 5,000)`, value: fmtRate(address.rps) },
        ...(raw ? [{ figure: '  ratio RequestAddressChange / raw appends (goal ≥ 1.0)', value: fmtRatio(address.rps / raw.rate) }] : []),
        { figure: '  latency p50 / p99', value: `${fmtMs(address.latency.p50)} / ${fmtMs(address.latency.p99)}` },
        { figure: '  non-2xx', value: String(address.non2xx) },
        { figure: `HTTP GET /health req/s (${connections} conn.)`, value: fmtRate(health.rps) },
        { figure: '  latency p50 / p99', value: `${fmtMs(health.latency.p50)} / ${fmtMs(health.latency.p99)}` },
        { figure: '  non-2xx', value: String(health.non2xx) },
        { figure: '  ratio RequestAddressChange / GET /health', value: fmtRatio(ratio) },
        ...(pipe
          ? [{ figure: '  ratio HTTP RequestAddressChange / pipeline in flight', value: fmtRatio(address.rps / pipe.concurrentRate) }]
          : []),
      ],
    );
    return { dataDir };
  } finally {
    await app.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// 4. Projection catch-up vs raw readAll
// ---------------------------------------------------------------------------------------------------

async function catchUp(dir: string, eventsFile: string): Promise<void> {
  section('4. Projection catch-up from position zero vs raw readAll (SqliteEventStore, pages of 500)');
  const serializer = newSerializer();
  const store = new SqliteEventStore(eventsFile);
  mkdirSync(join(dir, 'catch-up'), { recursive: true });
  const documents = new SqliteDocumentStore(join(dir, 'catch-up', 'read-models.sqlite'));
  const runner = new ProjectionRunner(store, documents, serializer).register(...ALL_PROJECTIONS);
  try {
    let head = await store.headPosition();
    if (head < settings.catchUpEvents) {
      // Top the log up with a realistic mix (a registration, then a change request) through the pipeline.
      const pairs = Math.ceil((settings.catchUpEvents - head) / 2);
      progress(`appending ${2 * pairs} events through the pipeline (setup) to reach ${settings.catchUpEvents}`);
      const executor = new CommandExecutor(store, serializer, { maxAttempts: 5 });
      await registerFamilies(executor, BENCH_SERIES.catchUp, pairs);
      for (let i = 0; i < pairs; i++) await requestAddressChange(executor, BENCH_SERIES.catchUp, i);
      head = await store.headPosition();
    }

    progress(`raw readAll over ${head} events`);
    const raw = await timed(async () => {
      let from = 0;
      let count = 0;
      for (;;) {
        const page = await store.readAll({ fromPosition: from, maxCount: 500 });
        if (page.length === 0) return count;
        count += page.length;
        from = page[page.length - 1].position;
      }
    });
    const eventCount = raw.value;

    progress(`${runner.names().length} projections catching up on ${eventCount} events`);
    const projected = await timed(async () => {
      await runner.start();
      await runner.waitForPosition(head, 600_000);
    });
    const statuses = await runner.statuses();
    const behind = statuses.filter((s) => s.checkpoint < head);
    if (behind.length > 0) problems.push(`catch-up: ${behind.map((s) => s.name).join(', ')} not at the head`);
    const familyRecords = await documents.count(await runner.collectionOf('family-record'));

    const rawRate = rate(eventCount, raw.seconds);
    const projectedRate = rate(eventCount, projected.seconds);
    report(
      [
        { figure: 'log size (events)', value: String(eventCount), detail: `${familyRecords} family records projected` },
        { figure: 'raw readAll events/s', value: fmtRate(rawRate), detail: `${raw.seconds.toFixed(2)} s` },
        {
          figure: `catch-up events/s (${runner.names().join(', ')})`,
          value: fmtRate(projectedRate),
          detail: `${projected.seconds.toFixed(2)} s from start() to waitForPosition(head)`,
        },
        { figure: 'ratio catch-up / raw readAll', value: fmtRatio(projectedRate / rawRate) },
      ],
      [
        { figure: `raw readAll events/s (${eventCount} events, pages of 500)`, value: fmtRate(rawRate) },
        { figure: `projection catch-up events/s (${runner.names().length} projections, from zero)`, value: fmtRate(projectedRate) },
        { figure: '  ratio catch-up / raw readAll', value: fmtRatio(projectedRate / rawRate) },
      ],
    );
  } finally {
    await runner.stop();
    await store.close();
    await documents.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------

function commandLine(): string {
  const env = [
    `BENCH_EVENTS=${settings.events}`,
    `BENCH_CONCURRENCY=${settings.concurrency}`,
    `BENCH_HTTP_SECONDS=${settings.httpSeconds}`,
    `BENCH_HTTP_CONNECTIONS=${settings.httpConnections}`,
    ...(settings.httpFamilies ? [`BENCH_HTTP_FAMILIES=${settings.httpFamilies}`] : []),
    `BENCH_CATCHUP_EVENTS=${settings.catchUpEvents}`,
  ];
  return `${env.join(' ')} npm run bench`;
}

async function main(): Promise<number> {
  const started = new Date();
  const dir = mkdtempSync(join(os.tmpdir(), 'portail-bench-'));
  const cpus = os.cpus();
  const header = [
    `Portail Famille — platform benchmark (embedded runtime)`,
    `date      ${started.toISOString()}`,
    `node      ${process.version} (${process.platform} ${process.arch})`,
    `cpus      ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    `data      ${dir}`,
    `command   ${commandLine()}`,
  ];
  console.log(header.join('\n'));

  const wallStart = process.hrtime.bigint();
  let raw: RawResult | undefined;
  let pipe: PipelineResult | undefined;
  let httpResult: HttpResult | undefined;
  const attempt = async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.log(`  FAILED: ${message}`);
      problems.push(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
  try {
    raw = await attempt('raw appends', () => rawAppends(dir, sampleEventRow()));
    if (raw) pipe = await attempt('pipeline', () => pipeline(dir, raw!));
    httpResult = await attempt('HTTP', () => http(dir, raw, pipe));
    const eventsFile = httpResult ? join(httpResult.dataDir, 'events.sqlite') : join(dir, 'catch-up-events.sqlite');
    await attempt('catch-up', () => catchUp(dir, eventsFile));
  } finally {
    if (!settings.keepData) rmSync(dir, { recursive: true, force: true });
  }
  const wallSeconds = Number(process.hrtime.bigint() - wallStart) / 1e9;

  const title = `Summary (${started.toISOString()}, node ${process.version}, ${cpus.length} CPUs, ${wallSeconds.toFixed(0)} s)`;
  section(title);
  const width = Math.max(...summary.map((s) => s.figure.length));
  console.log('```');
  console.log(`command: ${commandLine()}`);
  console.log(
    `node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}, ${started.toISOString()}, load average at end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const s of summary) console.log(`${s.figure.padEnd(width)}  ${s.value}`);
  if (problems.length > 0) {
    console.log('NOT VALID:');
    for (const p of problems) console.log(`  - ${p}`);
  }
  console.log('```');
  if (settings.keepData) console.log(`data kept in ${dir}`);
  return problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
