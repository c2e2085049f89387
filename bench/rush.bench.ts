/**
 * `npm run bench:rush`: the holiday booking rush, over HTTP, on the embedded runtime, in a fresh temporary
 * data folder (removed at the end; RUSH_KEEP_DATA=1 keeps it).
 *
 * Setup (not timed, its duration printed): one facility in SAINT-JEAN with RUSH_ACTIVITIES holiday
 * activities of RUSH_PLACES places a day (automatic validation, booking until J-1 12:00, no booking window);
 * the RUSH_DAYS first days they run in the next school holidays at least 3 days ahead (official calendar of
 * the configured zone); RUSH_FAMILIES families with RUSH_CHILDREN children registered through the
 * CommandBus, child k enrolled in activity k % RUSH_ACTIVITIES; a parent account and a real server-side
 * session per family (one argon2id hash reused, as bench/platform.bench.ts); projections caught up.
 *
 * The rush: every child asks for its RUSH_DAYS days. RUSH_MODE=single (default, the worst case): one
 * POST /families/:id/reservations per child and day; RUSH_MODE=bulk: one POST /families/:id/reservations/bulk
 * per family with all its children's days. RUSH_CONCURRENCY parents at a time, each sending its family's
 * requests one after the other as fast as the server answers (RUSH_ORDER=family, default), or every request
 * on its own in a random order (RUSH_ORDER=shuffled: one family's requests may then race each other). The
 * requests are sent by a child process (bench/rush/rush-load.ts) over keep-alive sockets.
 *
 * Measured: requests/s accepted, latency p50/p90/p99/max, the rush's duration (and whether it fits in a
 * minute), the time until every request is decided (every ReservationRequested has its PlaceAllocated or
 * RequestWaitListed in the log; then WorkflowRunner.waitForPosition(head at the last answer)), the
 * projection and workflow lag. Checked, from the allocation streams read back through the EventStore and
 * folded with allocationDecider: places held ≤ places on every day, and arrival order (bench/rush/
 * allocation-check.ts). Exit code 1 when a check fails or an answer is not the expected status.
 */
import 'reflect-metadata';

import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import { createApp } from '../src/bootstrap';
import { DEMO_FAMILIES } from '../src/demo/demo-data';
import { familyCommands } from '../src/modules/families';
import { catalogCommands, familyPlanningCommands } from '../src/modules/planning';
import { placesOn } from '../src/modules/planning/allocation/allocation.decider';
import { addDays, isoWeekday, parisDateOf } from '../src/modules/planning/calendar/local-date';
import { officialSchoolCalendar } from '../src/modules/planning/calendar/official-school-calendar';
import { runsOn } from '../src/modules/planning/calendar/school-calendar';
import type { ActivityConfig } from '../src/modules/planning/catalog/catalog-config.rules';
import { CatalogLookup } from '../src/modules/planning/catalog/catalog-lookup';
import { schoolYearFor } from '../src/modules/planning/family-planning/family-planning.decider';
import { type Activity, DEFAULT_ABSENCE_POLICY, type Zone } from '../src/modules/planning/planning.types';
import { Commands } from '../src/platform/commands/stream-command';
import { loadConfig } from '../src/platform/config/config';
import type { PayloadOf } from '../src/platform/domain/command-target';
import type { EventStore } from '../src/platform/event-store/event-store.port';
import { EventSerializer } from '../src/platform/events/event-serializer';
import { MetricsService } from '../src/platform/observability/metrics.service';
import { ProjectionRunner } from '../src/platform/projections/projection-runner';
import { EVENT_STORE } from '../src/platform/tokens';
import { WorkflowRunner } from '../src/platform/workflows/workflow-runner';
import { bareFastify } from './bare-fastify';
import { BENCH_ACTOR, benchFamilyId, benchParentToken } from './bench-families';
import { BenchParents } from './bench-parents';
import { intEnv, Row, runChild, section, table } from './bench-support';
import type { LoadJob, LoadReport } from './http-load';
import { type AllocationCheck, checkAllocations, readRequests } from './rush/allocation-check';
import type { IdleJob, IdleReport } from './rush/idle-connections';
import type { RushJob, RushReport, RushRequest } from './rush/rush-load';

// ---------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------

function choiceEnv<T extends string>(name: string, choices: readonly T[]): T {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return choices[0];
  if (!(choices as readonly string[]).includes(raw)) {
    console.error(`${name} must be one of ${choices.join(', ')} (got ${JSON.stringify(raw)})`);
    process.exit(2);
  }
  return raw as T;
}

const settings = {
  families: intEnv('RUSH_FAMILIES', 3000),
  children: intEnv('RUSH_CHILDREN', 4000),
  activities: intEnv('RUSH_ACTIVITIES', 10),
  days: intEnv('RUSH_DAYS', 5),
  places: intEnv('RUSH_PLACES', 40, 0),
  concurrency: intEnv('RUSH_CONCURRENCY', 100),
  mode: choiceEnv('RUSH_MODE', ['single', 'bulk'] as const),
  order: choiceEnv('RUSH_ORDER', ['family', 'shuffled'] as const),
  seed: intEnv('RUSH_SEED', 1, 0),
  /** families set up at a time (setup only) */
  setupConcurrency: intEnv('RUSH_SETUP_CONCURRENCY', 16),
  /** give up waiting for the decisions / projections after this many seconds */
  waitSeconds: intEnv('RUSH_WAIT_SECONDS', 600),
  keepData: process.env.RUSH_KEEP_DATA === '1',
  /** idle keep-alive connections held open on the portal while the rush runs (parents on the home page) */
  idle: intEnv('RUSH_IDLE', 0, 0),
  /** seconds of the bare-Fastify reference measured before the rush (0: not measured) */
  bareSeconds: intEnv('RUSH_BARE_SECONDS', 5, 0),
  /** write a CPU profile of the portal's process during the rush only (setup excluded) to this file */
  cpuProfile: process.env.RUSH_CPU_PROFILE,
};
if (settings.children < settings.families) {
  console.error(`RUSH_CHILDREN (${settings.children}) must be at least RUSH_FAMILIES (${settings.families}): every family has a child`);
  process.exit(2);
}

/** Benchmark family numbers 99 + series + index (bench-families.ts): series 5 is the rush's. */
const RUSH_SERIES = 5;
const FACILITY_ID = 'bench-rush-alsh';
const activityIdOf = (a: number): string => `bench-rush-vacances-${a + 1}`;

// ---------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------

const progress = (message: string): void => void process.stderr.write(`  … ${message}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const seconds = (fromNs: bigint, toNs: bigint = process.hrtime.bigint()): number => Number(toNs - fromNs) / 1e9;
const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtMs = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const fmtS = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} s`;

async function pool(count: number, inFlight: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
}

/** Deterministic shuffle (mulberry32), so that a run can be repeated with RUSH_SEED. */
function shuffle<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

const problems: string[] = [];
const summary: { figure: string; value: string }[] = [];

function commandLine(): string {
  const env = [
    `RUSH_FAMILIES=${settings.families}`,
    `RUSH_CHILDREN=${settings.children}`,
    `RUSH_ACTIVITIES=${settings.activities}`,
    `RUSH_DAYS=${settings.days}`,
    `RUSH_PLACES=${settings.places}`,
    `RUSH_CONCURRENCY=${settings.concurrency}`,
    `RUSH_MODE=${settings.mode}`,
    `RUSH_ORDER=${settings.order}`,
    `RUSH_SEED=${settings.seed}`,
    `RUSH_IDLE=${settings.idle}`,
  ];
  return `${env.join(' ')} npm run bench:rush`;
}

// ---------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------

function activityConfig(a: number): ActivityConfig {
  const deadline = { kind: 'days-before', days: 1, time: '12:00', skip: { weekends: false, publicHolidays: false, weekdays: [] } } as const;
  return {
    name: `ALSH Vacances journée ${a + 1}`,
    regieId: 'regie-garderie-alsh',
    periods: { schoolDays: false, wednesdays: false, petitesVacances: true, grandesVacances: true },
    placesPerDay: settings.places,
    placeOverrides: {},
    validation: 'automatic',
    bookingDeadline: { ...deadline, skip: { ...deadline.skip, weekdays: [] } },
    cancellationDeadline: { ...deadline, skip: { ...deadline.skip, weekdays: [] } },
    bookingWindows: [],
    absencePolicy: DEFAULT_ABSENCE_POLICY,
  };
}

/** The first `count` days, at least 3 days ahead, on which the holiday activities run (next school holidays). */
function rushDays(zone: Zone, count: number): string[] {
  const calendar = officialSchoolCalendar(zone);
  const template: Activity = { ...activityConfig(0), activityId: 'template', facilityId: FACILITY_ID };
  const found: string[] = [];
  let day = addDays(parisDateOf(new Date().toISOString()), 3);
  for (let i = 0; i < 800 && found.length < count; i++, day = addDays(day, 1)) {
    if (isoWeekday(day) <= 5 && runsOn(template, day, calendar).runs) found.push(day);
  }
  if (found.length < count) throw new Error(`only ${found.length} holiday days found in the shipped school calendar (zone ${zone})`);
  return found;
}

interface RushFamily {
  familyId: string;
  children: { childId: string; activityId: string }[];
}

/** Families [0, F): the first RUSH_CHILDREN % F families have one more child; child k (overall) → activity k % A. */
function rushFamilies(): RushFamily[] {
  const base = Math.floor(settings.children / settings.families);
  const extra = settings.children % settings.families;
  const families: RushFamily[] = [];
  let k = 0;
  for (let i = 0; i < settings.families; i++) {
    const familyId = benchFamilyId(RUSH_SERIES, i);
    const children: RushFamily['children'] = [];
    for (let c = 0; c < base + (i < extra ? 1 : 0); c++, k++) {
      children.push({ childId: `${familyId}-enfant-${c + 1}`, activityId: activityIdOf(k % settings.activities) });
    }
    families.push({ familyId, children });
  }
  return families;
}

const FIRST_NAMES = ['LUCIE', 'HUGO', 'EMMA', 'LOUIS', 'JADE', 'GABRIEL', 'LOUISE', 'RAPHAEL'];

/** The demo's DUPONT family under another number, with this family's children (born 2015–2020). */
function registration(family: RushFamily): PayloadOf<typeof familyCommands> {
  const { familyId: _id, ...template } = DEMO_FAMILIES[0];
  const child = template.children![0];
  return {
    ...template,
    familyNumber: family.familyId,
    children: family.children.map((c, index) => ({
      ...child,
      childId: c.childId,
      firstName: FIRST_NAMES[(Number(family.familyId.slice(-3)) + index) % FIRST_NAMES.length],
      birthDate: `${2015 + ((Number(family.familyId.slice(-2)) + index) % 6)}-0${1 + (index % 9)}-15`,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------
// The load generator (child process)
// ---------------------------------------------------------------------------------------------------

function rush(job: RushJob): Promise<RushReport> {
  return runChild<RushJob, RushReport>(join(__dirname, 'rush', 'rush-load.js'), job);
}

function load(job: LoadJob): Promise<LoadReport> {
  return runChild<LoadJob, LoadReport>(join(__dirname, 'http-load.js'), job);
}

/** The idle parents' child process (bench/rush/idle-connections.ts): resolves once every connection is open. */
async function holdIdleConnections(job: IdleJob): Promise<{ opened: IdleReport; stop: () => Promise<IdleReport> }> {
  const child = fork(join(__dirname, 'rush', 'idle-connections.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (): Promise<IdleReport> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`idle connections exited with code ${code} before reporting`));
      child.once('exit', onExit);
      child.once('message', (message: { ok: boolean; report: IdleReport }) => {
        child.off('exit', onExit);
        resolve(message.report);
      });
    });
  const opened = next();
  child.send(job);
  return {
    opened: await opened,
    stop: () => {
      const final = next();
      child.send('stop');
      return final;
    },
  };
}

/** Profile this process's CPU (node:inspector) until the returned function is called, which writes `file`. */
async function startCpuProfile(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 1000 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/** The soft limit on open files of this process (Linux), inherited by the children; undefined elsewhere. */
function openFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

/** The process's resident set size now, in MB. */
const rssMb = (): number => process.memoryUsage.rss() / 2 ** 20;

// ---------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const started = new Date();
  const dir = mkdtempSync(join(os.tmpdir(), 'portail-rush-'));
  const cpus = os.cpus();
  console.log(
    [
      'Portail Famille — holiday booking rush (embedded runtime, HTTP)',
      `date      ${started.toISOString()}`,
      `node      ${process.version} (${process.platform} ${process.arch})`,
      `cpus      ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}; load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
      `data      ${dir}`,
      `command   ${commandLine()}`,
    ].join('\n'),
  );
  const wallStart = process.hrtime.bigint();
  try {
    await run(dir);
  } catch (error) {
    console.log(`  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    problems.push(`run failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (!settings.keepData) rmSync(dir, { recursive: true, force: true });
  }

  section(`Summary (${started.toISOString()}, node ${process.version}, ${cpus.length} CPUs, ${seconds(wallStart).toFixed(0)} s)`);
  const width = Math.max(...summary.map((s) => s.figure.length), 10);
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

async function run(dir: string): Promise<void> {
  const config = loadConfig({ DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent', DEMO_DATA: 'true' });
  const days = rushDays(config.schoolZone as Zone, settings.days);
  const families = rushFamilies();
  const activityIds = Array.from({ length: settings.activities }, (_, a) => activityIdOf(a));

  // Real parent accounts and sessions for the rush's families (bench/bench-parents.ts).
  const parents = new BenchParents();
  const app = await createApp(config, { authenticator: parents.authenticator });
  parents.attach(app);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const commands = app.get(Commands);
  const events = app.get<EventStore>(EVENT_STORE);
  const serializer = app.get(EventSerializer);
  const projections = app.get(ProjectionRunner);
  const workflows = app.get(WorkflowRunner);
  const metrics = app.get(MetricsService);
  const catalog = app.get(CatalogLookup);

  try {
    // -------------------------------------------------------------------------------------------------
    // Setup
    // -------------------------------------------------------------------------------------------------
    const totalRequests = settings.children * settings.days;
    section(
      `Setup (not timed): ${settings.families} families, ${settings.children} children, ${settings.activities} activities × ${settings.days} days × ${settings.places} places`,
    );
    const setupStart = process.hrtime.bigint();
    const setup = () => ({ principal: BENCH_ACTOR, correlationId: randomUUID() });
    await commands.send(
      catalogCommands,
      FACILITY_ID,
      { type: 'DefineFacility', name: 'Accueil de Loisirs (rush)', commune: 'SAINT-JEAN' },
      setup(),
    );
    for (let a = 0; a < settings.activities; a++) {
      await commands.send(
        catalogCommands,
        FACILITY_ID,
        { type: 'DefineActivity', activityId: activityIdOf(a), config: activityConfig(a) },
        setup(),
      );
    }
    await projections.waitForPosition(await events.headPosition(), 60_000);
    catalog.invalidate();
    const activities: Record<string, Activity> = {};
    for (const activityId of activityIds) activities[activityId] = (await catalog.activity(activityId)).activity;
    const calendar = officialSchoolCalendar(config.schoolZone as Zone);
    const schoolYears = [...new Set(days.map((d) => schoolYearFor(d, calendar)))];

    progress(
      `registering ${settings.families} families, their accounts and sessions, enrolling ${settings.children} children (${settings.setupConcurrency} families at a time)`,
    );
    let done = 0;
    await pool(families.length, settings.setupConcurrency, async (i) => {
      const family = families[i];
      const { familyId } = family;
      const context = { principal: BENCH_ACTOR, correlationId: randomUUID() };
      await commands.send(familyCommands, familyId, registration(family), context);
      await parents.add(familyId, context);
      for (const child of family.children) {
        for (const schoolYear of schoolYears) {
          await commands.send(
            familyPlanningCommands,
            { familyId, schoolYear },
            {
              type: 'EnrolChild',
              childId: child.childId,
              activityId: child.activityId,
              schoolYear,
              regularDays: [],
              activity: activities[child.activityId],
              familyChildIds: family.children.map((c) => c.childId),
            },
            context,
          );
        }
      }
      if (++done % 1000 === 0) progress(`${done} families set up`);
    });
    progress('waiting for the projections and workflows to catch up');
    const setupHead = await events.headPosition();
    await projections.waitForPosition(setupHead, settings.waitSeconds * 1000);
    await workflows.waitForPosition(setupHead, settings.waitSeconds * 1000);
    const setupSeconds = seconds(setupStart);

    const places = days.flatMap((date) =>
      activityIds.map((activityId) => ({ activityId, date, places: placesOn(activities[activityId], date) })),
    );
    const placesAvailable = places.reduce((a, d) => a + d.places, 0);
    console.log(
      table([
        { figure: 'days (first holiday days ≥ 3 days ahead the activities run)', value: days.join(', ') },
        { figure: 'school zone / school year', value: `${config.schoolZone} / ${schoolYears.join(', ')}` },
        {
          figure: 'activities',
          value: `${settings.activities}`,
          detail: `${activityIds[0]} … ${activityIds[activityIds.length - 1]}, ${settings.places} places a day, automatic validation, J-1 12:00`,
        },
        {
          figure: 'families / children',
          value: `${settings.families} / ${settings.children}`,
          detail: `${families.filter((f) => f.children.length > 1).length} families with ${Math.floor(settings.children / settings.families) + 1} children`,
        },
        { figure: 'places available (activity-days × places)', value: fmtInt(placesAvailable), detail: `${places.length} activity-days` },
        {
          figure: 'demand (children × days)',
          value: fmtInt(totalRequests),
          detail: `${(totalRequests / Math.max(1, placesAvailable)).toFixed(1)} requests per place`,
        },
        { figure: 'log head after setup', value: fmtInt(setupHead) },
        { figure: 'setup duration', value: fmtS(setupSeconds) },
      ]),
    );

    // -------------------------------------------------------------------------------------------------
    // The rush
    // -------------------------------------------------------------------------------------------------
    const requestsOf = (family: RushFamily): RushRequest[] => {
      const token = benchParentToken(family.familyId);
      const items = family.children.flatMap((c) => days.map((date) => ({ childId: c.childId, activityId: c.activityId, date })));
      return settings.mode === 'bulk'
        ? [{ path: `/families/${family.familyId}/reservations/bulk`, token, body: JSON.stringify({ items }) }]
        : items.map((item) => ({ path: `/families/${family.familyId}/reservations`, token, body: JSON.stringify(item) }));
    };
    const jobSessions =
      settings.order === 'family'
        ? shuffle(families, settings.seed).map(requestsOf)
        : shuffle(families.flatMap(requestsOf), settings.seed).map((r) => [r]);
    const httpRequests = jobSessions.reduce((a, s) => a + s.length, 0);
    const expectedStatus = settings.mode === 'bulk' ? 200 : 201;
    const endpoint = settings.mode === 'bulk' ? 'POST /families/:id/reservations/bulk' : 'POST /families/:id/reservations';
    section(
      `Rush: ${fmtInt(httpRequests)} × ${endpoint} (${fmtInt(totalRequests)} child-days), ${settings.concurrency} in flight, ${
        settings.order === 'family' ? "each parent's requests one after the other" : 'every request on its own, shuffled'
      }`,
    );

    // The reference, in this run: a bare Fastify hello-world under the rush's number of connections.
    let bare: LoadReport | undefined;
    if (settings.bareSeconds > 0) {
      progress(`bare Fastify hello-world, ${settings.concurrency} connections, ${settings.bareSeconds} s (reference)`);
      bare = await bareFastify(load, settings.concurrency, settings.bareSeconds);
    }
    let idle: Awaited<ReturnType<typeof holdIdleConnections>> | undefined;
    if (settings.idle > 0) {
      const fdLimit = openFilesLimit();
      if (fdLimit !== undefined && fdLimit < settings.idle + 2000) {
        throw new Error(
          `RUSH_IDLE=${settings.idle} needs more than ${settings.idle + 2000} open files per process (sockets); the limit is ${fdLimit}: run \`ulimit -n ${Math.max(32768, settings.idle * 2)}\` first`,
        );
      }
      progress(`opening ${fmtInt(settings.idle)} idle keep-alive connections (GET /health/live once each)`);
      idle = await holdIdleConnections({ url, connections: settings.idle });
      progress(`${fmtInt(idle.opened.open)} open in ${fmtS(idle.opened.openSeconds)}, ${idle.opened.errors} errors`);
      if (idle.opened.open < settings.idle) {
        problems.push(`only ${idle.opened.open} of ${settings.idle} idle connections opened (${idle.opened.firstError ?? 'no error'})`);
      }
    }
    // Peak RSS of the portal's process (the portal runs in this process; the load generators in children).
    const rssBefore = rssMb();
    let rssPeak = rssBefore;
    const rssSampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb())), 100);

    const rushFrom = await events.headPosition();
    const retriesBefore = (await metrics.conflictRetries.get()).values[0]?.value ?? 0;
    // Decisions are counted from the log as it grows (cheap: each event is read once).
    let cursor = rushFrom;
    let decisions = 0;
    const countNewDecisions = async (): Promise<void> => {
      for (;;) {
        const page = await events.readAll({ fromPosition: cursor, maxCount: 5000 });
        if (page.length === 0) return;
        for (const e of page) {
          if (e.type === 'PlaceAllocated' || e.type === 'RequestWaitListed' || e.type === 'RequestRejected') decisions += 1;
        }
        cursor = page[page.length - 1].position;
      }
    };
    const timeline: { t: number; head: number; decisions: number; projectionLag: number }[] = [];
    const rushStartMs = Date.now();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await sleep(1000);
        await countNewDecisions();
        const statuses = await projections.statuses();
        timeline.push({
          t: (Date.now() - rushStartMs) / 1000,
          head: await events.headPosition(),
          decisions,
          projectionLag: Math.max(0, ...statuses.map((s) => s.lagPositions)),
        });
      }
    })();
    // How long the server's event loop was kept from serving (HTTP, workflows and projections share it).
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const stopProfile = settings.cpuProfile ? await startCpuProfile(settings.cpuProfile) : undefined;
    const rushStart = process.hrtime.bigint();
    const report = await rush({ url, concurrency: settings.concurrency, expectedStatus, sessions: jobSessions });
    loopDelay.disable();
    // the idle parents are counted at the rush's last answer (what the rush ran with), then let go
    const idleAtEnd = idle ? await idle.stop() : undefined;
    const loopMs = (ns: number): number => ns / 1e6;
    const headAtRushEnd = await events.headPosition();
    const projectionsAtRushEnd = await projections.statuses();
    const workflowsAtRushEnd = await workflows.statuses();
    const rushSeconds = report.durationMs / 1000;

    // Every request decided: each accepted ReservationRequested has its decision in the log.
    const accepted = report.status.filter((s) => s === expectedStatus).length;
    const refusedItems = (report.refusedItems ?? []).reduce((a, n) => a + Math.max(0, n ?? 0), 0);
    const acceptedChildDays =
      settings.mode === 'bulk'
        ? jobSessions
            .flat()
            .reduce((a, r, i) => a + (report.status[i] === 200 ? (JSON.parse(r.body) as { items: unknown[] }).items.length : 0), 0) -
          refusedItems
        : accepted;
    const deadline = Date.now() + settings.waitSeconds * 1000;
    let decidedSeconds = NaN;
    for (;;) {
      await countNewDecisions();
      if (decisions >= acceptedChildDays) {
        decidedSeconds = seconds(rushStart);
        break;
      }
      if (Date.now() > deadline) {
        problems.push(`only ${decisions} of ${acceptedChildDays} requests decided ${settings.waitSeconds} s after the rush`);
        break;
      }
      await sleep(20);
    }
    const projectionsAtDecided = await projections.statuses();
    if (stopProfile) {
      await stopProfile();
      progress(`CPU profile of the rush (first request → every request decided) written to ${settings.cpuProfile}`);
    }
    clearInterval(rssSampler);
    rssPeak = Math.max(rssPeak, rssMb());
    if (idleAtEnd && idleAtEnd.open < settings.idle) {
      problems.push(
        `${idleAtEnd.open} of ${settings.idle} idle connections open at the rush's last answer (${idleAtEnd.firstError ?? 'no error'})`,
      );
    }
    // WorkflowRunner.waitForPosition polls the log every 10 ms while behind: wait on the cheap statuses first.
    let workflowsSeconds = NaN;
    try {
      for (;;) {
        const statuses = await workflows.statuses();
        if (statuses.every((s) => s.checkpoint >= headAtRushEnd - 1000) || Date.now() > deadline) break;
        await sleep(50);
      }
      await workflows.waitForPosition(headAtRushEnd, Math.max(1000, deadline - Date.now()));
      workflowsSeconds = seconds(rushStart);
    } catch (error) {
      problems.push(`workflows: ${error instanceof Error ? error.message : String(error)}`);
    }
    sampling = false;
    await sampler;
    const workflowsAtEnd = await workflows.statuses();
    const finalHead = await events.headPosition();
    let projectionsSeconds = NaN;
    try {
      await projections.waitForPosition(finalHead, Math.max(1000, deadline - Date.now()));
      projectionsSeconds = seconds(rushStart);
    } catch (error) {
      problems.push(`projections: ${error instanceof Error ? error.message : String(error)}`);
    }
    const retries = ((await metrics.conflictRetries.get()).values[0]?.value ?? 0) - retriesBefore;

    // Answers
    const byStatus = new Map<number, number>();
    for (const s of report.status) byStatus.set(s, (byStatus.get(s) ?? 0) + 1);
    const statusText = [...byStatus.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s === 0 ? 'error' : s}: ${fmtInt(n)}`)
      .join(', ');
    const latencies = report.latencyMs.filter((l) => l >= 0).sort((a, b) => a - b);
    const acceptedLatencies = report.latencyMs.filter((l, i) => l >= 0 && report.status[i] === expectedStatus).sort((a, b) => a - b);
    const lat = (p: number): number => percentile(acceptedLatencies.length > 0 ? acceptedLatencies : latencies, p);
    const mean = acceptedLatencies.reduce((a, b) => a + b, 0) / Math.max(1, acceptedLatencies.length);
    const acceptedRate = accepted / rushSeconds;
    const fitsInAMinute = rushSeconds <= 60;
    if (accepted !== httpRequests) {
      problems.push(
        `${fmtInt(httpRequests - accepted)} of ${fmtInt(httpRequests)} answers were not ${expectedStatus} (${statusText}): the setup or the server is wrong`,
      );
    }
    if (refusedItems > 0) problems.push(`${refusedItems} bulk items refused`);
    const firstAnswer = Math.min(...report.answeredAtMs.filter((t) => t >= 0)) / 1000;
    // The rate at the start and at the end of the rush (the allocation streams grow as it goes).
    const window = Math.min(10, rushSeconds / 4);
    const acceptedBetween = (from: number, to: number): number =>
      report.answeredAtMs.filter((t, i) => report.status[i] === expectedStatus && t >= from * 1000 && t < to * 1000).length;
    const firstRate = acceptedBetween(0, window) / window;
    const lastRate = acceptedBetween(rushSeconds - window, rushSeconds + 1) / window;

    console.log(
      table([
        { figure: 'answers', value: fmtInt(report.status.length), detail: statusText },
        {
          figure: `requests/s accepted (${expectedStatus})`,
          value: fmtInt(acceptedRate),
          detail: `${fmtInt(accepted)} in ${fmtS(rushSeconds)}`,
        },
        ...(settings.mode === 'bulk'
          ? [
              {
                figure: 'child-days/s accepted',
                value: fmtInt(acceptedChildDays / rushSeconds),
                detail: `${fmtInt(acceptedChildDays)} child-days`,
              },
            ]
          : []),
        { figure: `requests/s accepted in the first / last ${window.toFixed(0)} s`, value: `${fmtInt(firstRate)} / ${fmtInt(lastRate)}` },
        { figure: 'latency p50 / p90 / p99', value: `${fmtMs(lat(50))} / ${fmtMs(lat(90))} / ${fmtMs(lat(99))}` },
        {
          figure: 'latency mean / max',
          value: `${fmtMs(mean)} / ${fmtMs(acceptedLatencies[acceptedLatencies.length - 1] ?? NaN)}`,
          detail: `first answer after ${fmtMs(firstAnswer * 1000)}`,
        },
        {
          figure: 'server event-loop delay p50 / p99 / max',
          value: `${fmtMs(loopMs(loopDelay.percentile(50)))} / ${fmtMs(loopMs(loopDelay.percentile(99)))} / ${fmtMs(loopMs(loopDelay.max))}`,
          detail: 'during the rush (monitorEventLoopDelay, 10 ms resolution)',
        },
        {
          figure: 'rush duration (first request → last answer)',
          value: fmtS(rushSeconds),
          detail: fitsInAMinute ? 'fits in a minute' : 'DOES NOT fit in a minute',
        },
        {
          figure: 'conflict retries during the rush',
          value: fmtInt(retries),
          detail: 'read-decide-append steps retried (family streams; allocation streams)',
        },
        {
          figure: 'every request decided (from the first request)',
          value: fmtS(decidedSeconds),
          detail: `${fmtS(decidedSeconds - rushSeconds)} after the last answer; ${fmtInt(decisions)} decisions in the log`,
        },
        {
          figure: 'WorkflowRunner.waitForPosition(head at last answer)',
          value: fmtS(workflowsSeconds),
          detail: `${fmtS(workflowsSeconds - rushSeconds)} after the last answer (allocator, e-mail follow-ups, closures)`,
        },
        {
          figure: 'projections at the final head',
          value: fmtS(projectionsSeconds),
          detail: `${fmtS(projectionsSeconds - rushSeconds)} after the last answer; head ${fmtInt(finalHead)}`,
        },
      ]),
    );
    console.log(
      table([
        ...(bare
          ? [
              {
                figure: `bare Fastify hello-world req/s (${settings.concurrency} conn., reference)`,
                value: fmtInt(bare.rps),
                detail: `p99 ${fmtMs(bare.latency.p99)}; rush accepted / bare = ${(acceptedRate / bare.rps).toFixed(3)}`,
              },
            ]
          : []),
        {
          figure: 'idle keep-alive connections open during the rush',
          value: idleAtEnd ? `${fmtInt(idle!.opened.open)} → ${fmtInt(idleAtEnd.open)}` : '0 (RUSH_IDLE=0)',
          detail: idleAtEnd
            ? `opened in ${fmtS(idle!.opened.openSeconds)}; ${fmtInt(idleAtEnd.reopened)} reopened after the server's keep-alive timeout, ${idleAtEnd.errors} errors`
            : '',
        },
        {
          figure: 'peak RSS of the portal process during the rush',
          value: `${rssPeak.toFixed(0)} MB`,
          detail: `${rssBefore.toFixed(0)} MB before the rush; process maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (setup included)`,
        },
      ]),
    );
    for (const u of report.unexpected.slice(0, 10)) {
      const r = jobSessions.flat()[u.index];
      console.log(
        `  unexpected ${u.status || 'error'} after ${fmtMs(u.latencyMs)} (answered at ${fmtS(u.answeredAtMs / 1000)}) for ${r.path} ${r.body.slice(0, 120)}: ${u.body}`,
      );
    }

    const lagRow = (label: string, statuses: { name: string; lagPositions: number; lagSeconds?: number }[]): Row => {
      const worst = statuses.reduce((w, s) => (s.lagPositions > w.lagPositions ? s : w), statuses[0] ?? { name: '-', lagPositions: 0 });
      const maxSeconds = Math.max(0, ...statuses.map((s) => s.lagSeconds ?? 0));
      return {
        figure: label,
        value: `${fmtInt(worst?.lagPositions ?? 0)} positions${statuses.some((s) => s.lagSeconds !== undefined) ? ` / ${fmtS(maxSeconds)}` : ''}`,
        detail: statuses
          .map((s) => `${s.name} ${fmtInt(s.lagPositions)}${s.lagSeconds !== undefined ? ` (${s.lagSeconds.toFixed(1)} s)` : ''}`)
          .join(', '),
      };
    };
    section('Lag (positions behind the head; projections: age of the oldest event not projected)');
    console.log(
      table([
        lagRow('projections at the last answer', projectionsAtRushEnd),
        lagRow('projections when every request was decided', projectionsAtDecided),
        lagRow('workflows at the last answer', workflowsAtRushEnd),
        lagRow('workflows at the end', workflowsAtEnd),
      ]),
    );
    console.log('  (a workflow moves its checkpoint past events it ignores only every 500 of them: a lag below 500 is "caught up")');

    section('Timeline (s from the first request: answers, decisions, log head, worst projection lag)');
    const answeredAt = report.answeredAtMs.filter((t) => t >= 0).sort((a, b) => a - b);
    const answeredBy = (t: number): number => {
      let lo = 0;
      let hi = answeredAt.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (answeredAt[mid] <= t * 1000) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const step = Math.max(1, Math.ceil(timeline.length / 20));
    const shown = timeline.filter((_, i) => i % step === step - 1 || i === timeline.length - 1);
    console.log(
      `  ${'t'.padStart(6)}  ${'answered'.padStart(9)}  ${'decided'.padStart(9)}  ${'head'.padStart(9)}  ${'proj. lag'.padStart(9)}`,
    );
    for (const s of shown) {
      console.log(
        `  ${s.t.toFixed(0).padStart(6)}  ${fmtInt(answeredBy(s.t)).padStart(9)}  ${fmtInt(s.decisions).padStart(9)}  ${fmtInt(s.head).padStart(9)}  ${fmtInt(s.projectionLag).padStart(9)}`,
      );
    }

    // -------------------------------------------------------------------------------------------------
    // Checks
    // -------------------------------------------------------------------------------------------------
    section('Checks: allocation streams read back through the EventStore and folded with allocationDecider');
    const requests = await readRequests(events, rushFrom, new Set(activityIds));
    const check: AllocationCheck = await checkAllocations(events, serializer, requests, places);
    if (requests.length !== acceptedChildDays) {
      const failed = report.status.filter((st) => st !== expectedStatus).length;
      problems.push(
        `${fmtInt(requests.length)} ReservationRequested in the log for ${fmtInt(acceptedChildDays)} accepted child-days` +
          (failed > 0 ? ` (${failed} requests answered with an error were nevertheless recorded, in part or in full)` : ''),
      );
    }
    if (check.overAllocatedDays > 0) problems.push(`${check.overAllocatedDays} activity-days with more places held than available`);
    if (check.undecided > 0) problems.push(`${check.undecided} requests not decided`);
    if (check.orderViolations > 0 || check.positionMismatches > 0) {
      problems.push(
        `allocation did not follow arrival order: ${check.orderViolations} misplaced requests, ${check.positionMismatches} position mismatches`,
      );
    }
    const expectedHeld = check.days.reduce((a, d) => a + Math.min(d.places, d.requested), 0);
    if (check.placesHeld !== expectedHeld)
      problems.push(`${check.placesHeld} places held where ${expectedHeld} were expected (min(places, requests) per day)`);
    const arrivalOrder = check.orderViolations === 0 && check.positionMismatches === 0 && check.undecided === 0;
    console.log(
      table([
        { figure: 'ReservationRequested in the log', value: fmtInt(requests.length), detail: `${fmtInt(acceptedChildDays)} accepted` },
        {
          figure: 'places allocated / available',
          value: `${fmtInt(check.placesHeld)} / ${fmtInt(check.placesAvailable)}`,
          detail: `${check.days.length} activity-days; ${fmtInt(check.allocated)} allocated, ${fmtInt(check.waiting)} waiting`,
        },
        {
          figure: 'activity-days over their places',
          value: String(check.overAllocatedDays),
          detail: `max held/places ${Math.max(...check.days.map((d) => d.held / Math.max(1, d.places))).toFixed(2)}`,
        },
        { figure: 'requests not decided', value: String(check.undecided) },
        {
          figure: 'allocation followed arrival order',
          value: arrivalOrder ? 'yes' : 'NO',
          detail: `${check.orderViolations} misplaced (allocated or waiting list), ${check.positionMismatches} position mismatches`,
        },
        {
          figure: 'read and fold of the allocation streams',
          value: fmtS(check.readSeconds),
          detail: `${fmtInt(check.days.reduce((a, d) => a + d.allocationEvents, 0))} events`,
        },
      ]),
    );
    console.log(
      `\n  ${'date'.padEnd(10)}  ${'requests'.padStart(8)}  ${'places'.padStart(6)}  ${'held'.padStart(5)}  ${'waiting'.padStart(7)}  ${'order violations'.padStart(16)}`,
    );
    for (const date of days) {
      const ds = check.days.filter((d) => d.date === date);
      const sum = (f: (d: (typeof ds)[number]) => number): number => ds.reduce((a, d) => a + f(d), 0);
      console.log(
        `  ${date}  ${fmtInt(sum((d) => d.requested)).padStart(8)}  ${fmtInt(sum((d) => d.places)).padStart(6)}  ${fmtInt(sum((d) => d.held)).padStart(5)}  ${fmtInt(sum((d) => d.waiting)).padStart(7)}  ${String(sum((d) => d.orderViolations + d.positionMismatches)).padStart(16)}`,
      );
    }
    for (const d of check.days
      .filter((x) => x.overAllocated || x.orderViolations > 0 || x.undecided > 0 || x.positionMismatches > 0)
      .slice(0, 10)) {
      console.log(`  PROBLEM ${d.activityId} ${d.date}: ${JSON.stringify(d)}`);
    }

    const worstProjection = (statuses: { lagPositions: number; lagSeconds: number }[]): string => {
      const positions = Math.max(0, ...statuses.map((s) => s.lagPositions));
      const secs = Math.max(0, ...statuses.map((s) => s.lagSeconds));
      return `${fmtInt(positions)} positions / ${fmtS(secs)}`;
    };
    summary.push(
      {
        figure: 'setup (not timed)',
        value: `${fmtS(setupSeconds)} (${settings.families} families, ${settings.children} children, ${settings.activities} activities, days ${days[0]} … ${days[days.length - 1]})`,
      },
      {
        figure: `rush: ${endpoint}`,
        value: `${fmtInt(httpRequests)} requests, ${settings.concurrency} in flight, order ${settings.order}`,
      },
      { figure: 'answers', value: statusText },
      ...(bare ? [{ figure: 'bare Fastify hello-world req/s (reference)', value: fmtInt(bare.rps) }] : []),
      {
        figure: 'idle keep-alive connections',
        value: idleAtEnd ? `${fmtInt(idleAtEnd.open)} open at the last answer (${fmtInt(idleAtEnd.reopened)} reopened)` : '0',
      },
      { figure: 'requests/s accepted', value: fmtInt(acceptedRate) },
      { figure: `  first / last ${window.toFixed(0)} s`, value: `${fmtInt(firstRate)} / ${fmtInt(lastRate)}` },
      { figure: 'latency p50 / p99', value: `${fmtMs(lat(50))} / ${fmtMs(lat(99))}` },
      {
        figure: 'server event-loop delay p99 / max',
        value: `${fmtMs(loopMs(loopDelay.percentile(99)))} / ${fmtMs(loopMs(loopDelay.max))}`,
      },
      { figure: 'rush duration', value: `${fmtS(rushSeconds)} (${fitsInAMinute ? 'fits in a minute' : 'DOES NOT fit in a minute'})` },
      {
        figure: 'every request decided',
        value: `${fmtS(decidedSeconds)} from the first request (${fmtS(decidedSeconds - rushSeconds)} after the last answer)`,
      },
      { figure: '  workflows at head (waitForPosition)', value: `${fmtS(workflowsSeconds)} from the first request` },
      {
        figure: 'places allocated / available',
        value: `${fmtInt(check.placesHeld)} / ${fmtInt(check.placesAvailable)} (over: ${check.overAllocatedDays} days)`,
      },
      {
        figure: 'allocation followed arrival order',
        value: `${arrivalOrder ? 'yes' : 'NO'} (${check.orderViolations} misplaced, ${check.positionMismatches} position mismatches, ${check.undecided} undecided)`,
      },
      { figure: 'projection lag at the last answer', value: worstProjection(projectionsAtRushEnd) },
      { figure: 'projection lag when all decided', value: worstProjection(projectionsAtDecided) },
      { figure: 'projections at head', value: `${fmtS(projectionsSeconds)} from the first request` },
      { figure: 'workflow lag at the last answer', value: workflowsAtRushEnd.map((s) => `${s.name} ${fmtInt(s.lagPositions)}`).join(', ') },
      { figure: 'conflict retries', value: fmtInt(retries) },
      { figure: 'peak RSS during the rush (portal process)', value: `${rssPeak.toFixed(0)} MB` },
    );
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
