/**
 * The process's one pino logger: JSON lines on stdout at LOG_LEVEL, written through an asynchronous
 * destination (sonic-boom: lines written while a write is in flight leave together; pino flushes what is
 * left synchronously when the process exits). Nest's own lines (nestjs-pino's Logger) and the request lines
 * (request-log.ts) go through it. No per-request child logger: request lines carry their correlation id
 * themselves.
 */
import pino, { type Logger } from 'pino';

import type { LogLevel } from '../config/config';

export function createRootLogger(level: LogLevel): Logger {
  return pino(
    {
      level,
      // an error logged as { err } keeps its message and stack
      serializers: { err: pino.stdSerializers.err },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'],
    },
    pino.destination({ dest: 1, sync: false }),
  );
}
