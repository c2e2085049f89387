/**
 * `npm run bench:audit`: issue 13's figures, all measured in this one run, in a fresh temporary folder.
 *
 *   1. encryption's cost on the command pipeline: RequestAddressChange commands through the CommandExecutor on
 *      SQLite, without a key ring (personal data in clear) and with it (each personal leaf AES-256-GCM), same run,
 *      alternated twice (best of each kept);
 *   2. one family with BENCH_AUDIT_FAMILY_EVENTS events across its streams (record, planning, 1 allocation stream
 *      per booked day, access log), beside as many events of other families:
 *      - a page of its history (100 events through the family index, decrypted, as the auditors' endpoint reads
 *        them) at random cursors: p50 / p99;
 *      - the whole history through the family index vs a raw read of the same streams (readStream each);
 *      - the state at an instant (family record + one child's grid for a month, replayed from the log).
 */
import 'reflect-metadata';

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import { familyRecordProjection } from '../projections/family-record/family-record.projection';
import { planningGridProjection } from '../projections/planning-grid/planning-grid.projection';
import { gridDocumentId } from '../projections/planning-grid/planning-grid.types';
import { ALL_EVENT_TYPES } from '../src/app.events';
import { historyRow } from '../src/modules/audit/family-audit/family-events';
import { familiesDecider } from '../src/modules/families/families.decider';
import { familyStream } from '../src/modules/families/families.events';
import { SettableClock } from '../src/platform/clock/clock';
import { CommandExecutor } from '../src/platform/commands/command-executor';
import { SqliteDocumentStore } from '../src/platform/document-store/sqlite-document-store';
import type { EventStore, EventToAppend } from '../src/platform/event-store/event-store.port';
import { SqliteEventStore } from '../src/platform/event-store/sqlite-event-store';
import { EventSerializer } from '../src/platform/events/event-serializer';
import { FamilyKeyRing } from '../src/platform/events/family-key-ring';
import { KeyLoadingEventStore } from '../src/platform/events/key-loading-event-store';
import { SqliteFamilyKeyStore } from '../src/platform/events/sqlite-family-key-store';
import { FamilyReplay } from '../src/platform/projections/family-replay';
import { ProjectionRunner } from '../src/platform/projections/projection-runner';
import { BENCH_ACTOR, benchFamilyId, NEW_ADDRESS, registration } from './bench-families';
import { intEnv, Row, section, table } from './bench-support';

const settings = {
  commands: intEnv('BENCH_AUDIT_COMMANDS', 2000),
  familyEvents: intEnv('BENCH_AUDIT_FAMILY_EVENTS', 10000),
  pages: intEnv('BENCH_AUDIT_PAGES', 300),
};

const progress = (message: string): void => void process.stderr.write(`  … ${message}\n`);
const fmtRate = (value: number): string => Math.round(value).toLocaleString('en-US');
const fmtMs = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Stack {
  store: EventStore;
  serializer: EventSerializer;
  executor: CommandExecutor;
  clock: SettableClock;
  close(): Promise<void>;
}

function stack(file: string, clock: SettableClock, encrypted: boolean): Stack {
  const raw = new SqliteEventStore(file, { clock });
  if (!encrypted) {
    const serializer = new EventSerializer().register(ALL_EVENT_TYPES);
    return {
      store: raw,
      serializer,
      clock,
      executor: new CommandExecutor(raw, serializer, { maxAttempts: 3, clock }),
      close: () => raw.close(),
    };
  }
  const keys = new FamilyKeyRing(new SqliteFamilyKeyStore(file), clock);
  const serializer = new EventSerializer(keys).register(ALL_EVENT_TYPES);
  const store = new KeyLoadingEventStore(raw, serializer, keys);
  return {
    store,
    serializer,
    clock,
    executor: new CommandExecutor(store, serializer, { maxAttempts: 3, clock }),
    close: async () => {
      await store.close();
      await keys.close();
    },
  };
}

const OTHER_ADDRESS = { line1: '9 RUE DES LILAS', postalCode: '31400', city: 'SAINT-JEAN' };

async function register(s: Stack, familyId: string): Promise<void> {
  await s.executor.execute({
    streamId: familyStream(familyId),
    decider: familiesDecider,
    command: (at) => registration(familyId, at),
    context: { principal: BENCH_ACTOR, correlationId: randomUUID(), familyId },
  });
}

async function addressChangeAndAccept(s: Stack, familyId: string, i: number, accept: boolean): Promise<number> {
  const requestId = randomUUID();
  const parent = { userId: `parent-${familyId}`, role: 'parent' as const, familyId };
  const asked = await s.executor.execute({
    streamId: familyStream(familyId),
    decider: familiesDecider,
    command: (at) => ({
      type: 'RequestAddressChange' as const,
      familyId,
      requestId,
      person: 'guardian' as const,
      address: i % 2 === 0 ? NEW_ADDRESS : OTHER_ADDRESS,
      at,
      actor: { userId: parent.userId, role: 'parent' as const },
    }),
    context: { principal: parent, correlationId: randomUUID(), familyId },
  });
  if (!accept) return asked.events.length;
  const accepted = await s.executor.execute({
    streamId: familyStream(familyId),
    decider: familiesDecider,
    command: (at) => ({
      type: 'AcceptChangeRequest' as const,
      familyId,
      requestId,
      at,
      actor: { userId: 'agent', role: 'staff' as const },
    }),
    context: { principal: { userId: 'agent', role: 'staff' }, correlationId: randomUUID(), familyId },
  });
  return asked.events.length + accepted.events.length;
}

/** 1. RequestAddressChange through the pipeline, with and without encryption. */
async function encryptionCost(dir: string): Promise<Row[]> {
  section(`1. Encryption's cost on the command pipeline (${settings.commands} RequestAddressChange, sequential, SQLite)`);
  const best = { clear: 0, encrypted: 0 };
  for (let round = 0; round < 2; round++) {
    for (const mode of ['clear', 'encrypted'] as const) {
      const clock = new SettableClock('2026-11-16T08:00:00Z');
      const s = stack(join(dir, `pipeline-${mode}-${round}.sqlite`), clock, mode === 'encrypted');
      for (let i = 0; i < settings.commands; i++) await register(s, benchFamilyId(10 + round, i));
      const start = process.hrtime.bigint();
      let events = 0;
      for (let i = 0; i < settings.commands; i++) events += await addressChangeAndAccept(s, benchFamilyId(10 + round, i), 0, false);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      best[mode] = Math.max(best[mode], events / seconds);
      progress(`round ${round + 1} ${mode}: ${fmtRate(events / seconds)} appends/s`);
      await s.close();
    }
  }
  return [
    { figure: 'pipeline appends/s, personal data in clear', value: fmtRate(best.clear), detail: 'best of 2 runs' },
    { figure: 'pipeline appends/s, encrypted (AES-256-GCM per leaf)', value: fmtRate(best.encrypted), detail: 'best of 2 runs' },
    { figure: 'encrypted / clear', value: (best.encrypted / best.clear).toFixed(2) },
  ];
}

/** Appends `count` events to one stream, serialized (and encrypted) like the pipeline does. */
async function appendDirect(s: Stack, streamId: string, familyId: string, events: { type: string; data: Record<string, unknown> }[]) {
  const at = s.clock.now().toISOString();
  await s.serializer.prepare(events as never, { familyId });
  const batch: EventToAppend[] = events.map((event) =>
    s.serializer.serialize(event as never, {
      eventId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      userId: `parent-${familyId}`,
      role: 'parent',
      familyId,
      recordedAt: at,
    }),
  );
  await s.store.appendToStream(streamId, batch, 'any');
}

/** 2. One family with many events across its streams: history pages, whole history vs raw reads, state at an instant. */
async function familyHistory(dir: string): Promise<Row[]> {
  const n = settings.familyEvents;
  section(`2. One family with ${n} events across its streams (and as many of other families), encrypted`);
  const clock = new SettableClock('2025-09-01T08:00:00Z');
  const s = stack(join(dir, 'family.sqlite'), clock, true);
  const familyId = benchFamilyId(20, 0);
  const childId = 'enfant-lucie-dupont';
  const streams = new Set<string>([familyStream(familyId)]);
  await register(s, familyId);
  let written = 1;
  const quarter = Math.floor(n / 4);
  // record: address changes, accepted (2 events each)
  for (let i = 0; written < quarter; i++) {
    written += await addressChangeAndAccept(s, familyId, i, true);
    clock.advance(3_600_000);
  }
  const planning = `planning-${familyId}-2025-2026`;
  streams.add(planning);
  await appendDirect(s, planning, familyId, [
    {
      type: 'ChildEnrolled',
      data: {
        childId,
        activityId: 'alsh',
        schoolYear: '2025-2026',
        regularDays: [],
        enrolledAt: clock.now().toISOString(),
        enrolledBy: 'agent',
      },
    },
  ]);
  written += 1;
  const midInstant = { at: '' };
  let day = new Date('2025-09-03T00:00:00Z');
  for (let i = 0; written < n - quarter; i++) {
    const date = day.toISOString().slice(0, 10);
    const requestId = randomUUID();
    await appendDirect(s, planning, familyId, [
      {
        type: 'ReservationRequested',
        data: {
          requestId,
          childId,
          activityId: 'alsh',
          date,
          requestedAt: clock.now().toISOString(),
          requestedBy: `parent-${familyId}`,
          validation: 'automatic',
        },
      },
    ]);
    const allocation = `allocation-alsh-${date}-${i}`;
    streams.add(allocation);
    await appendDirect(s, allocation, familyId, [
      { type: 'PlaceAllocated', data: { requestId, familyId, childId, position: 1, validation: 'automatic', awaitingStaff: false } },
    ]);
    written += 2;
    day = new Date(day.getTime() + 86_400_000);
    clock.advance(3_600_000);
    if (!midInstant.at && written >= n / 2) midInstant.at = clock.now().toISOString();
  }
  const accessLog = `access-log-${familyId}`;
  streams.add(accessLog);
  while (written < n) {
    const batch = Array.from({ length: Math.min(100, n - written) }, () => ({
      type: 'SensitiveDataRead',
      data: {
        familyId,
        userId: 'agent',
        role: 'staff',
        data: ['health'],
        resource: 'GET /families/:familyId',
        readAt: clock.now().toISOString(),
        correlationId: 'c',
      },
    }));
    await appendDirect(s, accessLog, familyId, batch);
    written += batch.length;
    clock.advance(60_000);
  }
  progress(`family ${familyId}: ${written} events in ${streams.size} streams; adding ${n} events of other families`);
  for (let i = 1; i * 2 <= n; i++) {
    const other = benchFamilyId(21, i);
    await appendDirect(s, `access-log-${other}`, other, [
      {
        type: 'SensitiveDataRead',
        data: { familyId: other, userId: 'agent', role: 'staff', data: ['bank'], resource: 'x', readAt: 'x', correlationId: 'c' },
      },
      {
        type: 'SensitiveDataRead',
        data: { familyId: other, userId: 'agent', role: 'staff', data: ['bank'], resource: 'x', readAt: 'x', correlationId: 'c' },
      },
    ]);
  }

  // history pages: 100 events from a random cursor, decrypted into the rows the endpoint answers
  const all = await s.store.readFamily(familyId);
  const positions = all.map((e) => e.position);
  const pageTimes: number[] = [];
  for (let i = 0; i < settings.pages; i++) {
    const from = i === 0 ? 0 : positions[Math.floor(Math.random() * (positions.length - 100))];
    const start = process.hrtime.bigint();
    const page = await s.store.readFamily(familyId, { fromPosition: from, maxCount: 100 });
    const rows = page.map((e) => historyRow(e, s.serializer.deserialize(e).data as Record<string, unknown>));
    pageTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (rows.length !== 100) throw new Error(`a history page held ${rows.length} events`);
  }
  pageTimes.sort((a, b) => a - b);

  const timeIt = async (fn: () => Promise<number>): Promise<{ ms: number; count: number }> => {
    const start = process.hrtime.bigint();
    const count = await fn();
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, count };
  };
  const indexed = await timeIt(async () => (await s.store.readFamily(familyId)).length);
  const rawRead = await timeIt(async () => {
    let count = 0;
    for (const stream of streams) count += (await s.store.readStream(stream)).length;
    return count;
  });
  if (indexed.count !== rawRead.count) throw new Error(`index ${indexed.count} vs raw ${rawRead.count} events`);
  const decrypted = await timeIt(async () => {
    const events = await s.store.readFamily(familyId);
    for (const e of events) s.serializer.deserialize(e);
    return events.length;
  });

  const scratch = new SqliteDocumentStore(':memory:');
  const replay = new FamilyReplay(
    s.store,
    s.serializer,
    { documents: scratch, runner: new ProjectionRunner(s.store, scratch, s.serializer) },
    new Set(),
  );
  const month = '2025-10';
  const state = await timeIt(async () => {
    const record = await replay.replay(familyRecordProjection, familyId, { until: midInstant.at }, (r) => r.get(familyId));
    const grid = await replay.replay(planningGridProjection, familyId, { until: midInstant.at }, (r) =>
      r.get(gridDocumentId(familyId, childId, month)),
    );
    if (!record || !grid) throw new Error('state at an instant: nothing replayed');
    return 2;
  });
  await scratch.close();
  await s.close();
  return [
    {
      figure: 'history page (100 events, decrypted) p50',
      value: fmtMs(percentile(pageTimes, 50)),
      detail: `${settings.pages} pages at random cursors`,
    },
    { figure: 'history page (100 events, decrypted) p99', value: fmtMs(percentile(pageTimes, 99)) },
    { figure: `whole history through the family index (${indexed.count} events)`, value: fmtMs(indexed.ms), detail: 'raw rows' },
    { figure: `raw readStream of the same ${streams.size} streams`, value: fmtMs(rawRead.ms), detail: 'same events' },
    { figure: 'whole history through the index, decrypted', value: fmtMs(decrypted.ms) },
    { figure: 'state at an instant (record + a grid month, replayed)', value: fmtMs(state.ms), detail: `up to ${midInstant.at}` },
  ];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-audit-'));
  console.log(`Audit and GDPR benchmark — node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}`);
  try {
    console.log(table(await encryptionCost(dir)));
    console.log(table(await familyHistory(dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
