/**
 * JobScheduler contract against Redis with BullMQ (the server runtime's adapter).
 *
 * Runs when REDIS_URL is set (e.g. redis://127.0.0.1:6379). Unlike the EventStoreDB and MongoDB suites it is
 * never silently skipped in CI: a Redis server is cheap to provide, so CI=true without REDIS_URL is a failure.
 * Outside CI, a missing REDIS_URL skips the suite with a loud warning. When REDIS_URL is set but Redis cannot
 * be reached, the factory's ping fails the tests.
 *
 * Every scheduler gets its own BullMQ key prefix, and its keys are deleted afterwards.
 */
import { randomUUID } from 'node:crypto';

import IORedis from 'ioredis';

import { BullmqJobScheduler } from '../../src/platform/jobs/bullmq-job-scheduler';
import { jobSchedulerContract } from './job-scheduler.contract';

const url = process.env.REDIS_URL;
const runPrefix = `test-bullmq-${randomUUID().slice(0, 8)}`;
let schedulers = 0;

/** Deletes every key under `prefix:` (SCAN, not KEYS: the Redis may be shared). */
async function deleteKeys(prefix: string): Promise<void> {
  const redis = new IORedis(url!, { maxRetriesPerRequest: 3 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

if (url) {
  jobSchedulerContract('BullMQ', async () => {
    const prefix = `${runPrefix}-${++schedulers}`;
    const scheduler = new BullmqJobScheduler({ connection: url, prefix });
    try {
      await scheduler.ping();
    } catch (error) {
      await scheduler.stop();
      throw new Error(`REDIS_URL is set (${url}) but Redis cannot be reached: ${(error as Error).message}`);
    }
    return {
      scheduler,
      cleanup: async () => {
        await scheduler.stop();
        await deleteKeys(prefix);
      },
    };
  });
} else if (process.env.CI === 'true') {
  describe('JobScheduler contract: BullMQ', () => {
    it('runs in CI', () => {
      throw new Error('REDIS_URL must be set in CI (e.g. redis://localhost:6379): the BullMQ job scheduler would go untested');
    });
  });
} else {
  // process.stderr, not console.warn: Jest drops the console output of a test file whose tests are all skipped
  // when it runs several files (as `npm test` does), and this warning must be seen.
  process.stderr.write(
    '\n⚠️  BullMQ contract suite NOT RUN: REDIS_URL is not set.\n' +
      '   The BullmqJobScheduler adapter is untested in this run. Set REDIS_URL (e.g. redis://127.0.0.1:6379) to run it;\n' +
      '   in CI (CI=true) a missing REDIS_URL fails this suite.\n',
  );
  describe.skip('JobScheduler contract: BullMQ (REDIS_URL not set)', () => {
    it('needs REDIS_URL', () => undefined);
  });
}
