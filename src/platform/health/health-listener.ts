import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { HealthController } from './health.controller';

/** What the listener serves: the same answers as the API's /health/live, /health/ready and /metrics. */
export type HealthSource = Pick<HealthController, 'live' | 'readiness' | 'prometheus'>;

/**
 * A small HTTP listener for a process that serves no API (the projector): liveness, readiness (stores, projection
 * and workflow lag) and Prometheus metrics, for the orchestrator's probes and the scraper. Nothing else: every
 * other path is 404, every other method 405. Node's own http server, no framework: it must answer while the
 * process is busy projecting, and it exposes no personal data.
 */
export class HealthListener {
  private server?: Server;

  constructor(private readonly health: HealthSource) {}

  async listen(port: number, host: string): Promise<AddressInfo> {
    const server = createServer((request, response) => void this.handle(request, response));
    server.requestTimeout = 10_000;
    server.headersTimeout = 5_000;
    server.keepAliveTimeout = 5_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return send(
          response,
          405,
          { statusCode: 405, code: 'METHOD_NOT_ALLOWED', message: 'Méthode non autorisée.' },
          { Allow: 'GET, HEAD' },
        );
      }
      if (path === '/health/live') return send(response, 200, this.health.live());
      if (path === '/health' || path === '/health/ready') {
        const { ok, body } = await this.health.readiness();
        return send(response, ok ? 200 : 503, body);
      }
      if (path === '/metrics') {
        const text = await this.health.prometheus();
        response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
        response.end(request.method === 'HEAD' ? undefined : text);
        return;
      }
      send(response, 404, { statusCode: 404, code: 'NOT_FOUND', message: 'Ressource introuvable.' });
    } catch {
      send(response, 503, { status: 'unavailable', statusCode: 503, code: 'HEALTH_CHECK_FAILED', message: 'Vérification impossible.' });
    }
  }
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}
