import { randomUUID } from 'node:crypto';

import type { NextFunction, Request, Response } from 'express';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * First middleware of the chain: the correlation id is the caller's X-Correlation-Id when well-formed,
 * else a new UUID. It is echoed in the response, carried by every log line of the request (pino-http
 * reuses it), returned in error bodies and written in the metadata of the events the request appends.
 */
export function correlationId() {
  return (request: Request & { id?: string }, response: Response, next: NextFunction): void => {
    const given = request.headers['x-correlation-id'];
    const id = typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
    request.id = id;
    response.setHeader('X-Correlation-Id', id);
    next();
  };
}
