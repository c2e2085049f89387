import Redis from 'ioredis';

import { LIMITS, LoginThrottle } from './login-throttle';

async function fail(throttle: LoginThrottle, account: string, source: string, times: number) {
  for (let i = 0; i < times; i++) await throttle.recordFailure(account, source);
}

function describeThrottle(name: string, make: () => { throttle: LoginThrottle; close: () => Promise<void> }) {
  describe(`LoginThrottle (${name})`, () => {
    let throttle: LoginThrottle;
    let close: () => Promise<void>;
    const id = () => `acc-${Math.random().toString(36).slice(2)}`;
    beforeEach(() => ({ throttle, close } = make()));
    afterEach(() => close());

    it('locks one account from one source after 5 failures, with a retry delay, and not from another source', async () => {
      const account = id();
      await fail(throttle, account, '203.0.113.1', LIMITS.accountAndSource.points - 1);
      await expect(throttle.assertAllowed(account, '203.0.113.1')).resolves.toBeUndefined();
      await throttle.recordFailure(account, '203.0.113.1');
      const error = await throttle.assertAllowed(account, '203.0.113.1').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', kind: 'too_many_requests' });
      const retry = (error as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds;
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(LIMITS.accountAndSource.duration);
      await expect(throttle.assertAllowed(account, '198.51.100.7')).resolves.toBeUndefined();
    });

    it('forgets the failures of a pair after a successful login', async () => {
      const account = id();
      await fail(throttle, account, 's1', 4);
      await throttle.recordSuccess(account, 's1');
      await fail(throttle, account, 's1', 4);
      await expect(throttle.assertAllowed(account, 's1')).resolves.toBeUndefined();
    });

    it('refuses every source once an account has had 100 failures in the hour', async () => {
      const account = id();
      for (let source = 0; source < 25; source++) await fail(throttle, account, `10.0.0.${source}`, 4);
      await expect(throttle.assertAllowed(account, 'fresh-source')).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    });

    it('locks a source that sprays passwords over many accounts', async () => {
      const source = `spray-${Math.random()}`;
      for (let i = 0; i < 25; i++) await fail(throttle, id(), source, 4);
      await expect(throttle.assertAllowed(id(), source)).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    });
  });
}

describeThrottle('in memory, embedded runtime', () => ({ throttle: new LoginThrottle(), close: async () => undefined }));

const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  describeThrottle('Redis, server runtime', () => {
    const redis = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 });
    return { throttle: new LoginThrottle(redis), close: async () => void (await redis.quit()) };
  });
} else if (process.env.CI === 'true') {
  it('runs the Redis login throttle in CI', () => {
    throw new Error('REDIS_URL must be set in CI: the Redis-backed login throttle was not tested');
  });
}
