import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { internalError, toErrorBody } from './error-response';

/** Every error leaves as { statusCode, code, message, correlationId }; unexpected ones are logged and answered 500. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const response = http.getResponse<FastifyReply>();
    let body = toErrorBody(exception);
    if (!body) {
      this.logger.error({ err: exception, path: request.url, correlationId: request.id }, 'unexpected error');
      body = internalError();
    }
    if (response.sent) return;
    const retryAfter = (body.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (body.statusCode === 429 && retryAfter) void response.header('Retry-After', String(retryAfter));
    // JSON even when the handler had declared another type (@Header on /metrics)
    void response
      .status(body.statusCode)
      .header('Content-Type', 'application/json; charset=utf-8')
      .send({ ...body, correlationId: request.id });
  }
}
