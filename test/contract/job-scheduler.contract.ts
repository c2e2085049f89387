/**
 * Contract suite every JobScheduler adapter must pass (SQLite, BullMQ).
 *
 * Each test gets its own scheduler from the factory (handlers are registered before start()) and uses job
 * names unique to it, so the suite can run against a shared Redis. Timings are short (tens to hundreds of
 * milliseconds) and every wait is a polling wait with a deadline.
 */
import { randomUUID } from 'node:crypto';

import { JobContext, JobScheduler } from '../../src/platform/jobs/job-scheduler.port';
import { sleep, waitFor } from '../support/wait-for';

type Payload = Record<string, unknown>;

export function jobSchedulerContract(
  adapterName: string,
  factory: () => Promise<{ scheduler: JobScheduler; cleanup: () => Promise<void> }>,
): void {
  describe(`JobScheduler contract: ${adapterName}`, () => {
    let teardowns: (() => Promise<void>)[] = [];

    afterEach(async () => {
      for (const teardown of teardowns) await teardown();
      teardowns = [];
    });

    async function newScheduler(): Promise<JobScheduler> {
      const { scheduler, cleanup } = await factory();
      teardowns.push(async () => {
        await scheduler.stop(); // idempotent, and valid on a scheduler that was never started
        await cleanup();
      });
      return scheduler;
    }

    const newName = (): string => `test.job-${randomUUID()}`;

    interface Run {
      context: JobContext<Payload>;
      at: number;
    }

    /** Registers a handler that records its runs; `behaviour` may throw to make an attempt fail. */
    function recordingHandler(
      scheduler: JobScheduler,
      name: string,
      options: { attempts?: number; backoffMs?: number; behaviour?: (context: JobContext<Payload>) => Promise<void> } = {},
    ): Run[] {
      const runs: Run[] = [];
      scheduler.register<Payload>({
        name,
        attempts: options.attempts,
        backoffMs: options.backoffMs,
        handler: async (context) => {
          runs.push({ context, at: Date.now() });
          await options.behaviour?.(context);
        },
      });
      return runs;
    }

    it('runs a job with its payload and reports it completed', async () => {
      const scheduler = await newScheduler();
      const name = newName();
      const runs = recordingHandler(scheduler, name);
      await scheduler.start();

      const payload = { childId: 'c-1', places: 2, nested: { label: 'Cantine — mardi' } };
      await scheduler.schedule(name, 'job-1', payload);
      await waitFor(() => runs.length === 1, { message: 'the job to run' });
      expect(runs[0].context).toEqual({ name, id: 'job-1', payload, attempt: 1 });
      await waitFor(async () => (await scheduler.status(name, 'job-1')) === 'completed', { message: 'completed' });
    });

    it('goes through unknown, scheduled, running and completed', async () => {
      const scheduler = await newScheduler();
      const name = newName();
      let statusWhileRunning: string | undefined;
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const runs = recordingHandler(scheduler, name, {
        behaviour: async () => {
          statusWhileRunning = await scheduler.status(name, 'j');
          await released;
        },
      });

      expect(await scheduler.status(name, 'j')).toBe('unknown');
      await scheduler.schedule(name, 'j', {}, { runAt: new Date(Date.now() + 150) });
      expect(await scheduler.status(name, 'j')).toBe('scheduled');

      await scheduler.start();
      await waitFor(() => statusWhileRunning !== undefined, { message: 'the handler to start' });
      expect(statusWhileRunning).toBe('running');
      expect(await scheduler.status(name, 'j')).toBe('running');
      release();
      await waitFor(async () => (await scheduler.status(name, 'j')) === 'completed', { message: 'completed' });
      expect(runs).toHaveLength(1);
    });

    it('does not run a job before its time', async () => {
      const scheduler = await newScheduler();
      const name = newName();
      const runs = recordingHandler(scheduler, name);
      await scheduler.start();

      const runAt = new Date(Date.now() + 400);
      await scheduler.schedule(name, 'later', { n: 1 }, { runAt });
      await sleep(200);
      expect(runs).toHaveLength(0);
      expect(await scheduler.status(name, 'later')).toBe('scheduled');

      await waitFor(() => runs.length === 1, { timeoutMs: 3000, message: 'the delayed job' });
      expect(runs[0].at).toBeGreaterThanOrEqual(runAt.getTime() - 20);
    });

    it('runs a job scheduled twice under one id once, keeping the first schedule', async () => {
      const scheduler = await newScheduler();
      const name = newName();
      const runs = recordingHandler(scheduler, name);
      await scheduler.start();

      const firstRunAt = new Date(Date.now() + 200);
      await scheduler.schedule(name, 'once', { v: 1 }, { runAt: firstRunAt });
      await scheduler.schedule(name, 'once', { v: 2 });
      await scheduler.schedule(name, 'once', { v: 3 }, { runAt: new Date(Date.now() + 50) });

      // completed is final: once there, the job runs no more
      await waitFor(async () => (await scheduler.status(name, 'once')) === 'completed', { message: 'the job to complete' });
      expect(runs).toHaveLength(1);
      expect(runs[0].context.payload).toEqual({ v: 1 });
      expect(runs[0].at).toBeGreaterThanOrEqual(firstRunAt.getTime() - 20);
    });

    it('reschedules with replace: the new payload and time win, the old job does not run', async () => {
      const scheduler = await newScheduler();
      const name = newName();
      const runs = recordingHandler(scheduler, name);
      await scheduler.start();

      const start = Date.now();
      await scheduler.schedule(name, 'offer-expiry', { v: 1 }, { runAt: new Date(start + 400) });
      await scheduler.schedule(name, 'offer-expiry', { v: 2 }, { runAt: new Date(start + 50), replace: true });

      await waitFor(() => runs.length === 1, { message: 'the replaced job' });
      expect(runs[0].context.payload).toEqual({ v: 2 });
      expect(runs[0].at).toBeLessThan(start + 400);
      // past the first schedule's time: it must not run
      await sleep(Math.max(0, start + 600 - Date.now()));
      expect(runs).toHaveLength(1);
    });

    it('cancels a scheduled job', async () => {
      const scheduler = await newScheduler();
      const name = newName();
      const runs = recordingHandler(scheduler, name);
      await scheduler.start();

      await scheduler.schedule(name, 'c', { v: 1 }, { runAt: new Date(Date.now() + 200) });
      expect(await scheduler.cancel(name, 'c')).toBe(true);
      expect(await scheduler.status(name, 'c')).toBe('unknown');
      expect(await scheduler.cancel(name, 'c')).toBe(false);
      expect(await scheduler.cancel(name, 'never-scheduled')).toBe(false);
      await sleep(400);
      expect(runs).toHaveLength(0);
    });

    it('retries a failing job with exponential backoff, then marks it failed', async () => {
      const scheduler = await newScheduler();
      const name = newName();
      const runs = recordingHandler(scheduler, name, {
        attempts: 3,
        backoffMs: 100,
        behaviour: async (context) => {
          throw new Error(`attempt ${context.attempt} failed`);
        },
      });
      await scheduler.start();

      await scheduler.schedule(name, 'flaky', { v: 1 });
      await waitFor(async () => (await scheduler.status(name, 'flaky')) === 'failed', {
        timeoutMs: 5000,
        message: 'the job to fail',
      });
      expect(runs.map((r) => r.context.attempt)).toEqual([1, 2, 3]);
      expect(runs.every((r) => r.context.id === 'flaky' && r.context.payload.v === 1)).toBe(true);
      const gap1 = runs[1].at - runs[0].at;
      const gap2 = runs[2].at - runs[1].at;
      expect(gap1).toBeGreaterThanOrEqual(100 - 15);
      expect(gap2).toBeGreaterThanOrEqual(200 - 15);
      expect(gap2).toBeGreaterThan(gap1);
      // failed is final: no attempt follows
      expect(runs).toHaveLength(3);
    });

    it('completes a job that succeeds on a retry', async () => {
      const scheduler = await newScheduler();
      const name = newName();
      const runs = recordingHandler(scheduler, name, {
        attempts: 4,
        backoffMs: 50,
        behaviour: async (context) => {
          if (context.attempt < 3) throw new Error('not yet');
        },
      });
      await scheduler.start();

      await scheduler.schedule(name, 'eventually', {});
      await waitFor(async () => (await scheduler.status(name, 'eventually')) === 'completed', {
        message: 'the job to complete',
      });
      expect(runs.map((r) => r.context.attempt)).toEqual([1, 2, 3]);
    });

    it('keeps a completed job: scheduling its id again does nothing unless replace is set', async () => {
      const scheduler = await newScheduler();
      const name = newName();
      const runs = recordingHandler(scheduler, name);
      await scheduler.start();

      await scheduler.schedule(name, 'done', { v: 1 });
      await waitFor(async () => (await scheduler.status(name, 'done')) === 'completed');

      await scheduler.schedule(name, 'done', { v: 2 });
      await sleep(300);
      expect(runs.map((r) => r.context.payload)).toEqual([{ v: 1 }]);
      expect(await scheduler.status(name, 'done')).toBe('completed');

      await scheduler.schedule(name, 'done', { v: 3 }, { replace: true });
      await waitFor(() => runs.length === 2, { message: 'the job to run again' });
      expect(runs[1].context.payload).toEqual({ v: 3 });
      expect(runs[1].context.attempt).toBe(1);
    });

    it('runs many jobs, each exactly once', async () => {
      const scheduler = await newScheduler();
      const name = newName();
      const runs = recordingHandler(scheduler, name, { behaviour: () => sleep(5) });
      await scheduler.start();

      const ids = Array.from({ length: 20 }, (_, i) => `bulk-${i}`);
      await Promise.all(ids.map((id) => scheduler.schedule(name, id, { id })));
      // completed is final: once every job is there, none runs again
      await waitFor(async () => (await Promise.all(ids.map((id) => scheduler.status(name, id)))).every((s) => s === 'completed'), {
        message: 'all jobs to complete',
      });
      expect(runs.map((r) => r.context.id).sort()).toEqual([...ids].sort());
    });

    it('waits for running handlers on stop()', async () => {
      const scheduler = await newScheduler();
      const name = newName();
      let finished = false;
      const runs = recordingHandler(scheduler, name, {
        behaviour: async () => {
          await sleep(150);
          finished = true;
        },
      });
      await scheduler.start();
      await scheduler.schedule(name, 'slow', {});
      await waitFor(() => runs.length === 1);
      await scheduler.stop();
      expect(finished).toBe(true);
    });

    it('answers ping', async () => {
      const scheduler = await newScheduler();
      await expect(scheduler.ping()).resolves.toBeUndefined();
    });
  });
}
