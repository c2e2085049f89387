import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';

import { internalError, toErrorBody } from './error-response';

/** Every error leaves as { statusCode, code, message, correlationId }; unexpected ones are logged and answered 500. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    let body = toErrorBody(exception);
    if (!body) {
      this.logger.error({ err: exception, path: request.url }, 'unexpected error');
      body = internalError();
    }
    if (response.headersSent) return;
    const retryAfter = (body.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (body.statusCode === 429 && retryAfter) response.setHeader('Retry-After', String(retryAfter));
    response.status(body.statusCode).json({ ...body, correlationId: request.id });
  }
}
