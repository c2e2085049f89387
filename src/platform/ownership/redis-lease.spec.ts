import Redis from 'ioredis';

import { waitFor } from '../../../test/support/wait-for';
import { LeaseOwnership, RedisLease } from './redis-lease';

/**
 * Two projectors against one Redis: only one runs projections and workflows at a time; the other takes
 * over when the owner releases the lease (shutdown) or stops renewing it (a crashed process).
 */
function describeLease(redisUrl: string) {
  describe('server-mode ownership through a Redis lease', () => {
    const clients: Redis[] = [];
    const client = () => {
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      clients.push(redis);
      return redis;
    };
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.quit()));
    });
    const silent = { log: () => undefined, warn: () => undefined };

    function projector(key: string, name: string, log: string[]) {
      let running = false;
      const ownership = new LeaseOwnership(
        new RedisLease(client(), { key, ttlMs: 300, holder: name }),
        {
          start: async () => {
            running = true;
            log.push(`${name} started`);
          },
          stop: async () => {
            running = false;
            log.push(`${name} stopped`);
          },
        },
        silent,
      );
      return { ownership, running: () => running };
    }

    it('runs the work in one process at a time and hands it over on release', async () => {
      const key = `portail:test:owner:${Math.random()}`;
      const log: string[] = [];
      const a = projector(key, 'a', log);
      const b = projector(key, 'b', log);
      await a.ownership.start();
      await b.ownership.start();
      await new Promise((r) => setTimeout(r, 700)); // several renewals
      expect([a.running(), b.running()]).toEqual([true, false]);
      expect(await client().get(key)).toBe('a');
      await a.ownership.stop();
      await waitFor(() => b.running(), { timeoutMs: 2000 });
      expect(log).toEqual(['a started', 'a stopped', 'b started']);
      await b.ownership.stop();
      expect(await client().get(key)).toBeNull();
    });

    it('takes over from a process that died holding the lease once its time to live is over', async () => {
      const key = `portail:test:owner:${Math.random()}`;
      // a dead owner: the lease was taken and is never renewed
      expect(await new RedisLease(client(), { key, ttlMs: 300, holder: 'dead' }).tryAcquire()).toBe(true);
      const log: string[] = [];
      const b = projector(key, 'b', log);
      const started = performance.now();
      await b.ownership.start();
      expect(b.running()).toBe(false);
      await waitFor(() => b.running(), { timeoutMs: 2000 });
      expect(performance.now() - started).toBeGreaterThanOrEqual(200);
      await b.ownership.stop();
    });

    it('stops the work when the lease was lost (taken by another holder after an expiry)', async () => {
      const key = `portail:test:owner:${Math.random()}`;
      const log: string[] = [];
      const a = projector(key, 'a', log);
      await a.ownership.start();
      expect(a.running()).toBe(true);
      await client().set(key, 'intruder', 'PX', 5000); // as if a's lease had expired and another took it
      await waitFor(() => !a.running(), { timeoutMs: 2000 });
      expect(a.ownership.isOwner).toBe(false);
      await a.ownership.stop();
      expect(await client().get(key)).toBe('intruder');
    });
  });
}

const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  describeLease(redisUrl);
} else if (process.env.CI === 'true') {
  it('runs the Redis lease suite in CI', () => {
    throw new Error('REDIS_URL must be set in CI: the server-mode ownership lease was not tested');
  });
}
