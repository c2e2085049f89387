import 'reflect-metadata';

import type { Server } from 'node:http';

import { Logger } from 'nestjs-pino';

import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './platform/config/config';
import { HealthController } from './platform/health/health.controller';
import { HttpDrain } from './platform/http/http-drain';
import { EXIT, StartupError } from './platform/lifecycle/exit-codes';
import { installGracefulShutdown } from './platform/lifecycle/graceful-shutdown';
import { startMetricsListener } from './platform/observability/metrics-listener';
import { PlatformLifecycle } from './platform/platform.module';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(EXIT.CONFIG);
    }
    throw error;
  }
  const app = await createApp(config);
  const logger = app.get(Logger);
  const lifecycle = app.get(PlatformLifecycle);
  const extraServers: Server[] = [];
  // signals are handled from here on: a SIGTERM during start-up still closes the stores and the lock
  installGracefulShutdown({
    app,
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    http: { server: app.getHttpServer() as Server, drain: app.get(HttpDrain) },
    extraServers,
    stage: () => lifecycle.shutdownStage,
  });
  await app.listen(config.port, config.host);
  if (config.metricsPort !== undefined) {
    const health = app.get(HealthController);
    extraServers.push(await startMetricsListener(config.metricsPort, config.metricsHost, () => health.metricsText()));
    logger.log(`metrics on http://${config.metricsHost}:${config.metricsPort}/metrics only`, 'Main');
  }
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  console.log(`Portail Famille (${config.mode}) sur ${url} — documentation ${url}/docs, santé ${url}/health`);
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    console.error(`Portail Famille: ${error.message} (exit ${error.exitCode})`);
    process.exit(error.exitCode);
  }
  console.error(error);
  process.exit(EXIT.UNEXPECTED);
});
