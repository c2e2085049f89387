import { json, NextFunction, Request, Response } from 'express';

import { bodyParserError } from './error-response';

/**
 * JSON body parsing with a size limit, whose failures (malformed JSON, oversized body) are answered here
 * with the same error shape as everything else, before routing.
 */
export function jsonBody(limitBytes: number) {
  const parse = json({ limit: limitBytes, strict: true });
  return (request: Request & { id?: string }, response: Response, next: NextFunction): void => {
    parse(request, response, (error?: unknown) => {
      if (!error) return next();
      const body = bodyParserError(error) ?? { statusCode: 400, code: 'BAD_REQUEST', message: 'La requête est invalide.' };
      response.status(body.statusCode).json({ ...body, correlationId: request.id });
    });
  };
}
