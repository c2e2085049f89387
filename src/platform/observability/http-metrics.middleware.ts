import type { NextFunction, Request, Response } from 'express';

import type { MetricsService } from './metrics.service';

/** Records each request's duration by route pattern (not raw path, to keep label cardinality bounded). */
export class HttpMetricsMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  handler() {
    return (request: Request, response: Response, next: NextFunction): void => {
      const stop = this.metrics.httpDuration.startTimer();
      response.on('finish', () => {
        const route = (request.route?.path as string | undefined) ?? 'unmatched';
        stop({ method: request.method, route, status: String(response.statusCode) });
      });
      next();
    };
  }
}
