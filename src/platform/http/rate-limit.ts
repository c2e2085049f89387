/**
 * Rate limits (OWASP API4, unrestricted resource consumption), in a Fastify preHandler hook that runs
 * after authentication (the caller is known) and before the idempotency replay and Nest's routing.
 *
 * - An authenticated call counts against its **account**, never against its address: on opening morning
 *   many parents share a school's wifi or a mobile operator's NAT address, and a per-address limit would
 *   refuse them. An anonymous call (login, password pages, a bad or expired token) counts against its
 *   **address**.
 * - Downloads (PDFs, exports, attachments: routes whose pattern names them) have their own, lower limit.
 * - Health probes and /metrics are never limited.
 * - Counters: rate-limiter-flexible, in memory in the embedded runtime (one process), in Redis in the
 *   server runtime (shared by every API process), with an in-memory limiter standing in while Redis
 *   cannot be reached, so that an outage of Redis does not refuse every request.
 *
 * Every limited answer carries the IETF draft's RateLimit-Limit / -Remaining / -Reset and
 * RateLimit-Policy headers; a refusal is 429 RATE_LIMITED with Retry-After and a French message.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import type { Principal } from '../commands/command-context';
import type { RateLimit } from '../config/config';

export type RateLimitKind = 'account' | 'anonymous' | 'downloads';

export interface RateLimitSettings {
  account: RateLimit;
  anonymous: RateLimit;
  downloads: RateLimit;
}

/** What one counted request leaves. */
export interface RateLimitOutcome {
  allowed: boolean;
  limit: number;
  window: number;
  remaining: number;
  /** seconds until the window ends (at least 1) */
  resetSeconds: number;
}

/** Routes with their own limit: whatever sends a file or a whole export. */
const DOWNLOAD_ROUTE = /(?:^|\/)(?:pdf|export|exports|download|attachments?)(?:\/|$)|\.(?:pdf|csv|jsonl)$/i;
/** Never limited: probes of the orchestrator and the metrics scraper. */
const EXEMPT = /^\/(?:health(?:\/|$|\?)|metrics(?:$|\?))/;

export class RequestRateLimiter {
  private readonly limiters: Record<RateLimitKind, RateLimiterAbstract>;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly redis?: Redis,
  ) {
    const make = (kind: RateLimitKind): RateLimiterAbstract => {
      const options = { keyPrefix: `rl_${kind}`, points: settings[kind].points, duration: settings[kind].seconds };
      if (!redis) return new RateLimiterMemory(options);
      return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) });
    };
    this.limiters = { account: make('account'), anonymous: make('anonymous'), downloads: make('downloads') };
  }

  /** Which limit a request falls under, and the key it counts against. */
  static classify(routePattern: string, principal: Principal | undefined, address: string): { kind: RateLimitKind; key: string } {
    const caller = principal ? `account:${principal.userId}` : `address:${address}`;
    if (DOWNLOAD_ROUTE.test(routePattern)) return { kind: 'downloads', key: caller };
    return principal ? { kind: 'account', key: caller } : { kind: 'anonymous', key: caller };
  }

  static isExempt(url: string): boolean {
    return EXEMPT.test(url);
  }

  async consume(kind: RateLimitKind, key: string): Promise<RateLimitOutcome> {
    const { points, seconds } = this.settings[kind];
    const outcome = (res: RateLimiterRes, allowed: boolean): RateLimitOutcome => ({
      allowed,
      limit: points,
      window: seconds,
      remaining: Math.max(0, res.remainingPoints),
      resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    });
    try {
      return outcome(await this.limiters[kind].consume(key), true);
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return outcome(refusal, false);
      throw refusal;
    }
  }

  /** Nest calls it on shutdown: the server runtime's Redis connection is closed. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}

function setHeaders(reply: FastifyReply, outcome: RateLimitOutcome): void {
  void reply
    .header('RateLimit-Limit', String(outcome.limit))
    .header('RateLimit-Remaining', String(outcome.remaining))
    .header('RateLimit-Reset', String(outcome.resetSeconds))
    .header('RateLimit-Policy', `${outcome.limit};w=${outcome.window}`);
}

export function installRateLimits(instance: FastifyInstance, limiter: RequestRateLimiter): void {
  instance.addHook('preHandler', async (request: FastifyRequest & { principal?: Principal }, reply) => {
    if (RequestRateLimiter.isExempt(request.url)) return;
    const { kind, key } = RequestRateLimiter.classify(request.routeOptions.url ?? request.url, request.principal, request.ip);
    const outcome = await limiter.consume(kind, key);
    setHeaders(reply, outcome);
    if (outcome.allowed) return;
    const seconds = outcome.resetSeconds;
    return reply
      .code(429)
      .header('Retry-After', String(seconds))
      .header('Cache-Control', 'no-store')
      .send({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: `Trop de requêtes en peu de temps. Réessayez dans ${seconds} seconde${seconds > 1 ? 's' : ''}.`,
        correlationId: request.id,
      });
  });
}
