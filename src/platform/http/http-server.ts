/**
 * The HTTP server's timeouts, and the adapter that creates the server with them.
 *
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
import { createServer } from 'node:http';

import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';

export const HTTP_TIMEOUTS = {
  keepAliveMs: 65_000,
  headersMs: 10_000,
  requestMs: 30_000,
  checkIntervalMs: 1_000,
} as const;

export class PortalExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.forceCloseConnections) {
      super.initHttpServer(options);
      return;
    }
    const server = createServer(
      {
        headersTimeout: HTTP_TIMEOUTS.headersMs,
        requestTimeout: HTTP_TIMEOUTS.requestMs,
        connectionsCheckingInterval: HTTP_TIMEOUTS.checkIntervalMs,
      },
      this.getInstance(),
    );
    server.keepAliveTimeout = HTTP_TIMEOUTS.keepAliveMs;
    this.httpServer = server;
  }
}
