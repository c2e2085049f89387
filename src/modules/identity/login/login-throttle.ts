import type Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import { DomainError } from '../../../platform/domain/domain-error';

/**
 * Brute-force limits on login (and on the current-password check of a password change), counted on
 * failures only, with rate-limiter-flexible (in memory in the embedded runtime, in Redis in the server
 * runtime so every API process shares the counts):
 * - one account from one source: 5 failures in 15 minutes lock that pair until the 15 minutes are over. The attacker's
 *   source is locked, not the parent, who still logs in from elsewhere;
 * - one source: 100 failures an hour (password spraying over many accounts) lock the source for an hour;
 * - one account, from every source: at most 100 failures an hour (the ceiling); past it the
 *   account refuses attempts until the hour is over. That is the only lockout an attacker can impose
 *   on a parent, and it lasts at most an hour.
 */
export const LIMITS = {
  accountAndSource: { points: 5, duration: 15 * 60 },
  source: { points: 100, duration: 60 * 60 },
  account: { points: 100, duration: 60 * 60 },
} as const;

export class LoginThrottle {
  private readonly accountAndSource: RateLimiterAbstract;
  private readonly source: RateLimiterAbstract;
  private readonly account: RateLimiterAbstract;

  constructor(private readonly redis?: Redis) {
    // Failures are counted with penalty() and a limit holds until its window (started by the first failure)
    // ends: a fixed window, so a lock never outlasts the window's duration.
    const make = (keyPrefix: string, opts: { points: number; duration: number }) =>
      redis ? new RateLimiterRedis({ storeClient: redis, keyPrefix, ...opts }) : new RateLimiterMemory({ keyPrefix, ...opts });
    this.accountAndSource = make('login_fail_account_source', LIMITS.accountAndSource);
    this.source = make('login_fail_source', LIMITS.source);
    this.account = make('login_fail_account', LIMITS.account);
  }

  /** Refuse (429) before checking the password when any limit is reached. */
  async assertAllowed(accountId: string, source: string): Promise<void> {
    const [pair, bySource, byAccount] = await Promise.all([
      this.accountAndSource.get(`${accountId}|${source}`),
      this.source.get(source),
      this.account.get(accountId),
    ]);
    const blocked = [
      [pair, LIMITS.accountAndSource.points],
      [bySource, LIMITS.source.points],
      [byAccount, LIMITS.account.points],
    ] as const;
    const waits = blocked.filter(([res, points]) => res !== null && res.consumedPoints >= points).map(([res]) => res!.msBeforeNext);
    if (waits.length > 0) throw tooManyAttempts(Math.max(...waits));
  }

  async recordFailure(accountId: string, source: string): Promise<void> {
    await Promise.all([
      this.accountAndSource.penalty(`${accountId}|${source}`, 1),
      this.source.penalty(source, 1),
      this.account.penalty(accountId, 1),
    ]);
  }

  /** Nest calls it on shutdown: the Redis connection of the server runtime is closed. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }

  async recordSuccess(accountId: string, source: string): Promise<void> {
    await this.accountAndSource.delete(`${accountId}|${source}`);
  }
}

export function tooManyAttempts(msBeforeNext: number): DomainError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new DomainError(
    'TOO_MANY_ATTEMPTS',
    `Trop de tentatives de connexion. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`,
    'too_many_requests',
    { retryAfterSeconds: seconds },
  );
}

export type { RateLimiterRes };

/** Injection token of the LoginThrottle (in memory when embedded, in Redis in server mode). */
export const LOGIN_THROTTLE = Symbol('LOGIN_THROTTLE');
