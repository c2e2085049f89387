/**
 * What is kept of each request: one log line (method, path without its query, route, status, duration,
 * correlation id) and the duration histogram by route pattern (bounded label cardinality). Written once the
 * answer is sent (Fastify's onResponse hook), through the root logger's asynchronous destination: no child
 * logger, no header set, no serializer per request. Liveness and metrics probes are not logged.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

import type { MetricsService } from './metrics.service';

const NOT_LOGGED = new Set(['/health/live', '/metrics']);

export function installRequestLog(instance: FastifyInstance, logger: Logger, metrics: MetricsService): void {
  const logs = logger.isLevelEnabled('info');
  instance.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    metrics.httpDuration.observe({ method: request.method, route, status: String(status) }, ms / 1000);
    if (logs) {
      const path = pathOf(request.url);
      if (!NOT_LOGGED.has(path)) {
        logger.info({ correlationId: request.id, method: request.method, path, route, status, ms: Math.round(ms * 10) / 10 }, 'request');
      }
    }
    done();
  });
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
