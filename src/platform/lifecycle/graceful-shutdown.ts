/**
 * SIGTERM / SIGINT for the portal and projector processes:
 *
 * 1. stop accepting: the HTTP server closes its listener and idle sockets; requests arriving on kept-alive
 *    sockets are answered 503 with `Connection: close` (see HttpDrain);
 * 2. finish the requests in flight (every acknowledged command is already appended);
 * 3. `app.close()`: workflows, projections and job workers stop after their current item, the stores close,
 *    the data folder's owner lock is released;
 * 4. exit 0.
 *
 * All of it within SHUTDOWN_TIMEOUT_MS; past that the process exits anyway with code 70 and one log line
 * saying what was cut (the stage it was in, the requests still in flight, the connections still open).
 */
import type { Server } from 'node:http';

import type { INestApplicationContext, LoggerService } from '@nestjs/common';

import type { HttpDrain } from '../http/http-drain';

/** sysexits EX_SOFTWARE: the shutdown did not finish in time and work was cut. */
export const EXIT_SHUTDOWN_TIMEOUT = 70;

export interface ShutdownTarget {
  app: INestApplicationContext;
  logger: LoggerService;
  timeoutMs: number;
  /** the HTTP side, absent in the projector */
  http?: { server: Server; drain: HttpDrain };
  /** other listeners to close with the HTTP server (the metrics listener) */
  extraServers?: Server[];
  /** what background work is doing while `app.close()` runs (PlatformLifecycle.shutdownStage) */
  stage?: () => string;
  exit?: (code: number) => void;
}

export function installGracefulShutdown(target: ShutdownTarget): void {
  let started = false;
  const handler = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    void shutdown(target, signal);
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}

export async function shutdown(target: ShutdownTarget, signal: string): Promise<void> {
  const exit = target.exit ?? ((code: number) => process.exit(code));
  const started = performance.now();
  let stage = 'draining HTTP requests';
  const openConnections = (): Promise<number> =>
    new Promise((resolve) => (target.http ? target.http.server.getConnections((_e, n) => resolve(n ?? 0)) : resolve(0)));
  const timer = setTimeout(() => {
    void openConnections().then((connections) => {
      const inFlight = target.http?.drain.describeInFlight() ?? [];
      const background = target.stage?.() ?? '';
      target.logger.error(
        `shutdown timed out after ${target.timeoutMs} ms (SHUTDOWN_TIMEOUT_MS) while ${stage}${background ? ` (${background})` : ''}; ` +
          `cut: ${inFlight.length} request(s) in flight [${inFlight.join(', ')}], ${connections} open connection(s); exiting with ${EXIT_SHUTDOWN_TIMEOUT}`,
        'Shutdown',
      );
      exit(EXIT_SHUTDOWN_TIMEOUT);
    });
  }, target.timeoutMs);
  try {
    target.logger.log(
      `${signal} received: draining (${target.http?.drain.describeInFlight().length ?? 0} request(s) in flight, timeout ${target.timeoutMs} ms)`,
      'Shutdown',
    );
    for (const server of target.extraServers ?? []) server.close();
    if (target.http) {
      target.http.drain.start(target.http.server);
      await target.http.drain.idle();
    }
    stage = 'stopping background work and closing the stores';
    await target.app.close();
    clearTimeout(timer);
    target.logger.log(`shutdown complete in ${Math.round(performance.now() - started)} ms`, 'Shutdown');
    exit(0);
  } catch (error) {
    clearTimeout(timer);
    target.logger.error(`shutdown failed while ${stage}: ${error instanceof Error ? error.stack : String(error)}`, 'Shutdown');
    exit(1);
  }
}
