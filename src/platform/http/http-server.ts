/**
 * The HTTP server: Fastify under Nest (`@nestjs/platform-fastify`), and what runs around every request.
 *
 * Why Fastify: measured on these 2 cores (issue 9), a bare Express hello-world answers ~8,600 req/s and a
 * bare Fastify one ~58,000; Express alone capped the portal far below what its own code costs. Everything
 * around a request is a Fastify hook, not an Express-style middleware (no `app.use`, no middie):
 *
 * - onRequest, in order: draining on shutdown (HttpDrain, first: nothing else runs for a refused request),
 *   the correlation id echoed, `Cache-Control: no-store`, helmet's headers;
 * - JSON bodies: Fastify's parser with BODY_LIMIT; its errors reach AllExceptionsFilter (error-response.ts);
 * - onResponse: one log line and the duration histogram (request-log.ts).
 *
 * Timeouts (node:http server created here, so Node's own checks apply):
 * - keep-alive: longer than the usual load balancer's idle timeout (60 s), so the proxy, not Node, closes
 *   idle kept-alive connections (Node's 5 s default resets sockets a busy client is about to reuse);
 * - headers: a client has 10 s from the first byte of a request to the end of its headers (Node's default
 *   is 60 s, checked every 30 s: slow-header clients held a connection for 66 s);
 * - request: 30 s for the whole request, body included (bodies are at most BODY_LIMIT bytes of JSON);
 * - the timeouts above are checked every second instead of every 30 s.
 *
 * Since Node 18 the headers timer starts with the request, not when the socket goes idle, so a short
 * headers timeout does not cut idle kept-alive sockets (the keep-alive timeout does).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';

import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

import { MalformedJsonError } from './error-response';
import type { HttpDrain } from './http-drain';

export const HTTP_TIMEOUTS = {
  keepAliveMs: 65_000,
  headersMs: 10_000,
  requestMs: 30_000,
  checkIntervalMs: 1_000,
} as const;

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The correlation id of a request: the caller's X-Correlation-Id when well-formed, else a new UUID. Fastify
 * keeps it as `request.id`; it is echoed in the response, carried by the request's log line, returned in
 * error bodies and written in the metadata of the events the request appends.
 */
export function correlationIdOf(request: IncomingMessage): string {
  const given = request.headers['x-correlation-id'];
  return typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
}

export interface HttpServerOptions {
  bodyLimit: number;
  /** Fastify's trustProxy: a hop count, or the proxies' addresses and CIDR ranges */
  trustProxy?: number | string[];
}

/** The adapter Nest runs on, with the server created here (timeouts above). */
export function createHttpAdapter(options: HttpServerOptions): FastifyAdapter {
  return new FastifyAdapter({
    serverFactory: (handler: RequestListener) => {
      const server: Server = createServer(
        {
          headersTimeout: HTTP_TIMEOUTS.headersMs,
          requestTimeout: HTTP_TIMEOUTS.requestMs,
          connectionsCheckingInterval: HTTP_TIMEOUTS.checkIntervalMs,
        },
        handler,
      );
      server.keepAliveTimeout = HTTP_TIMEOUTS.keepAliveMs;
      return server;
    },
    keepAliveTimeout: HTTP_TIMEOUTS.keepAliveMs,
    requestTimeout: HTTP_TIMEOUTS.requestMs,
    bodyLimit: options.bodyLimit,
    // Behind a reverse proxy, the caller's address (anonymous rate limits, logs) comes from
    // X-Forwarded-For, trusted only from the proxies named by TRUST_PROXY.
    trustProxy: options.trustProxy ?? false,
    genReqId: correlationIdOf,
    // the correlation id comes from genReqId (X-Correlation-Id, checked), never from a request-id header as is
    requestIdHeader: false,
    // logging is ours: one line per request (request-log.ts), not Fastify's two
    logger: false,
    // shutdown is HttpDrain's: it answers 503 SHUTTING_DOWN in our error shape, then closes the sockets
    return503OnClosing: false,
    forceCloseConnections: false,
    // `/families/x/` is `/families/x`, as it was under Express
    routerOptions: { ignoreTrailingSlash: true },
    // no Express-style middleware anywhere: every step is a Fastify hook
    skipMiddie: true,
  });
}

/** The hooks every request goes through, in the order they run (see the header of this file). */
export function installRequestHooks(instance: FastifyInstance, drain: HttpDrain): void {
  instance.addHook('onRequest', drain.hook());
  // helmet's middleware built once (its Fastify wrapper builds it again on every request)
  const securityHeaders = helmet(securityHeaderOptions());
  instance.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Correlation-Id', request.id);
    if (!isStaticDocsAsset(request.url)) reply.header('Cache-Control', 'no-store');
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  acceptJsonOnly(instance);
}

/**
 * Bodies are JSON (`application/json`, at most BODY_LIMIT bytes, prototype poisoning refused); any other
 * type is refused 415 (no form or text bodies: nothing here reads them, and they are what a cross-site form
 * can send). An empty JSON body is `{}`, as clients that send the header without a body expect.
 */
function acceptJsonOnly(instance: FastifyInstance): void {
  const parse = instance.getDefaultJsonParser('error', 'error');
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.length === 0) done(null, {});
    else parse(request, text, (error, value) => (error ? done(new MalformedJsonError(), undefined) : done(null, value)));
  });
}

/**
 * Standard security headers through helmet, and no caching of answers that may carry personal data.
 *
 * - helmet's defaults (nosniff, HSTS, Referrer-Policy no-referrer, frame and cross-origin policies…) and a
 *   Content-Security-Policy that forbids framing (`frame-ancestors 'none'`). The API answers JSON; the only
 *   HTML is the Swagger UI at /docs, whose scripts and styles are files served by this process (its
 *   inline `style` attributes need `'unsafe-inline'` for styles, as helmet's default allows). No
 *   `upgrade-insecure-requests`: the embedded runtime is also reached over plain http on a LAN.
 * - Fastify sends no `X-Powered-By`.
 * - `Cache-Control: no-store` on every answer but the static /docs assets: nearly every answer is about a
 *   family or an account, and none is meant to be cached by a browser or a proxy.
 */
function securityHeaderOptions(): Parameters<typeof helmet>[0] {
  return {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': null,
      },
    },
  };
}

function isStaticDocsAsset(url: string): boolean {
  return /^\/docs\/[^?]+\.(?:js|css|png|html|map)(?:\?|$)/.test(url);
}
