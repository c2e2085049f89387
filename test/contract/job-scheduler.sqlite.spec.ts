import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { JobContext } from '../../src/platform/jobs/job-scheduler.port';
import { SqliteJobScheduler } from '../../src/platform/jobs/sqlite-job-scheduler';
import Database from '../../src/platform/sqlite/sqlite-driver';
import { sleep, waitFor } from '../support/wait-for';
import { jobSchedulerContract } from './job-scheduler.contract';

const directories: string[] = [];

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'job-scheduler-'));
  directories.push(dir);
  return join(dir, 'jobs.db');
}

afterAll(() => {
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

jobSchedulerContract('SQLite', async () => {
  const scheduler = new SqliteJobScheduler(tempFile(), { pollIntervalMs: 20 });
  return { scheduler, cleanup: () => scheduler.close() };
});

describe('SqliteJobScheduler specifics', () => {
  type Payload = Record<string, unknown>;
  const opened: SqliteJobScheduler[] = [];
  const open = (file: string, options: ConstructorParameters<typeof SqliteJobScheduler>[1] = {}): SqliteJobScheduler => {
    const scheduler = new SqliteJobScheduler(file, { pollIntervalMs: 20, ...options });
    opened.push(scheduler);
    return scheduler;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  function jobRow(file: string, name: string, id: string): Record<string, unknown> | undefined {
    const raw = new Database(file, { readonly: true });
    try {
      return raw.prepare('SELECT * FROM jobs WHERE name = ? AND id = ?').get(name, id) as Record<string, unknown> | undefined;
    } finally {
      raw.close();
    }
  }

  it('picks up a job whose worker crashed once its lease has expired, as a new attempt', async () => {
    const file = tempFile();
    const scheduler = open(file);
    await scheduler.schedule('crash', 'j', { n: 1 });
    // what a crashed worker leaves behind: running, attempt 1, lease already expired
    const raw = new Database(file);
    raw
      .prepare("UPDATE jobs SET status = 'running', attempts = 1, locked_until = ?, lock_token = 'dead' WHERE id = 'j'")
      .run(Date.now() - 1);
    raw.close();

    const attempts: number[] = [];
    scheduler.register({ name: 'crash', handler: async (job) => void attempts.push(job.attempt) });
    await scheduler.start();
    await waitFor(async () => (await scheduler.status('crash', 'j')) === 'completed');
    expect(attempts).toEqual([2]);
  });

  it('marks failed a job whose last attempt lost its lease', async () => {
    const file = tempFile();
    const scheduler = open(file);
    await scheduler.schedule('crash', 'j', {});
    const raw = new Database(file);
    raw
      .prepare("UPDATE jobs SET status = 'running', attempts = 2, locked_until = ?, lock_token = 'dead' WHERE id = 'j'")
      .run(Date.now() - 1);
    raw.close();

    let runs = 0;
    scheduler.register({ name: 'crash', attempts: 2, handler: async () => void runs++ });
    await scheduler.start();
    await waitFor(async () => (await scheduler.status('crash', 'j')) === 'failed');
    expect(runs).toBe(0);
    expect(jobRow(file, 'crash', 'j')?.last_error).toMatch(/lease expired/);
  });

  it('does not hand a job to a second worker while the heartbeat renews the lease', async () => {
    const file = tempFile();
    const runs: string[] = [];
    const slow = async (worker: string): Promise<void> => {
      runs.push(worker);
      await sleep(300);
    };
    const a = open(file, { leaseMs: 60 });
    const b = open(file, { leaseMs: 60 });
    a.register({ name: 'slow', handler: () => slow('a') });
    b.register({ name: 'slow', handler: () => slow('b') });
    await a.schedule('slow', 'j', {});
    await a.start();
    await waitFor(() => runs.length === 1);
    await b.start();
    await waitFor(async () => (await a.status('slow', 'j')) === 'completed', { timeoutMs: 2000 });
    expect(runs).toEqual(['a']);
  });

  it('shares work between two workers on one file without running a job twice', async () => {
    const file = tempFile();
    const runs: string[] = [];
    const a = open(file, { concurrency: 2 });
    const b = open(file, { concurrency: 2 });
    for (const s of [a, b]) s.register<Payload>({ name: 'bulk', handler: async (job) => void runs.push(job.id) });
    for (let i = 0; i < 30; i++) await a.schedule('bulk', `j${i}`, {});
    await Promise.all([a.start(), b.start()]);
    await waitFor(() => runs.length >= 30);
    await sleep(100);
    expect([...runs].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `j${i}`).sort());
  });

  it('keeps the last error of a failed job', async () => {
    const file = tempFile();
    const scheduler = open(file);
    scheduler.register({
      name: 'boom',
      attempts: 2,
      backoffMs: 10,
      handler: async (job) => {
        throw new Error(`boom on attempt ${job.attempt}`);
      },
    });
    await scheduler.start();
    await scheduler.schedule('boom', 'j', {});
    await waitFor(async () => (await scheduler.status('boom', 'j')) === 'failed');
    const row = jobRow(file, 'boom', 'j');
    expect(row?.attempts).toBe(2);
    expect(row?.last_error).toMatch(/boom on attempt 2/);
  });

  it('runs a replacement scheduled while the job was running after the running attempt', async () => {
    const file = tempFile();
    const scheduler = open(file);
    const payloads: unknown[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    scheduler.register<Payload>({
      name: 'r',
      handler: async (job: JobContext<Payload>) => {
        payloads.push(job.payload);
        if (payloads.length === 1) await released;
      },
    });
    await scheduler.start();
    await scheduler.schedule('r', 'j', { v: 1 });
    await waitFor(() => payloads.length === 1);
    await scheduler.schedule('r', 'j', { v: 2 }, { replace: true });
    expect(await scheduler.status('r', 'j')).toBe('running');
    release();
    await waitFor(() => payloads.length === 2);
    expect(payloads).toEqual([{ v: 1 }, { v: 2 }]);
    await waitFor(async () => (await scheduler.status('r', 'j')) === 'completed');
  });

  it('follows the injected clock for due times', async () => {
    const file = tempFile();
    let clock = Date.parse('2025-09-01T08:00:00Z');
    const scheduler = open(file, { now: () => clock });
    let runs = 0;
    scheduler.register({ name: 'clock', handler: async () => void runs++ });
    await scheduler.start();
    await scheduler.schedule('clock', 'j', {}, { runAt: new Date('2025-09-01T09:00:00Z') });
    await sleep(100);
    expect(runs).toBe(0);
    clock = Date.parse('2025-09-01T09:00:00Z');
    await waitFor(() => runs === 1, { timeoutMs: 1000 });
  });

  it('keeps scheduled jobs across a restart', async () => {
    const file = tempFile();
    const first = open(file);
    await first.schedule('persisted', 'j', { n: 7 });
    await first.close();
    const second = open(file);
    const payloads: unknown[] = [];
    second.register<Payload>({ name: 'persisted', handler: async (job) => void payloads.push(job.payload) });
    await second.start();
    await waitFor(() => payloads.length === 1);
    expect(payloads).toEqual([{ n: 7 }]);
  });
});
