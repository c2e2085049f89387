/**
 * Keeps count of the requests being served, and on shutdown stops serving new ones.
 *
 * `server.close()` stops new connections and closes idle kept-alive sockets, but Node keeps reading new
 * requests on kept-alive sockets that were busy at that moment: without this, a client that keeps its
 * socket busy is served until it goes away. Once draining, a request that arrives anyway is answered 503
 * `SHUTTING_DOWN` with `Connection: close` (nothing of it is executed), and the answers of the requests
 * still in flight carry `Connection: close`, so every socket closes after its last answer.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

import type { onRequestHookHandler } from 'fastify';

interface InFlight {
  method: string;
  url: string;
  startedAt: number;
  response: ServerResponse;
}

export class HttpDrain {
  private draining = false;
  private readonly inFlight = new Set<InFlight>();
  private idleWaiters: (() => void)[] = [];

  get isDraining(): boolean {
    return this.draining;
  }

  /** First onRequest hook (http-server.ts). */
  hook(): onRequestHookHandler {
    return (request, reply, done) => {
      if (this.draining) {
        void reply.code(503).header('Connection', 'close').header('Retry-After', '5').header('Cache-Control', 'no-store').send({
          statusCode: 503,
          code: 'SHUTTING_DOWN',
          message: 'Le service redémarre. Veuillez réessayer dans quelques instants.',
          correlationId: request.id,
        });
        return;
      }
      this.track(request.raw, reply.raw);
      done();
    };
  }

  private track(req: IncomingMessage, res: ServerResponse): void {
    const entry: InFlight = { method: req.method ?? '?', url: req.url ?? '?', startedAt: performance.now(), response: res };
    this.inFlight.add(entry);
    res.once('close', () => {
      this.inFlight.delete(entry);
      if (this.inFlight.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    });
  }

  /** Stop accepting connections and requests; in-flight answers will close their sockets. */
  start(server: Server): void {
    this.draining = true;
    for (const { response } of this.inFlight) {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    }
    server.close();
    server.closeIdleConnections();
  }

  /** Resolves once every request in flight has been answered (or its client went away). */
  idle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** What is still being served, for the shutdown timeout's log line. */
  describeInFlight(): string[] {
    const now = performance.now();
    return [...this.inFlight].map((r) => `${r.method} ${r.url} (${Math.round(now - r.startedAt)} ms)`);
  }
}
