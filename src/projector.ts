import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

import { AppModule } from './app.module';
import { checkDataFolder } from './bootstrap';
import { ConfigError, loadConfig } from './platform/config/config';
import { EXIT, StartupError } from './platform/lifecycle/exit-codes';
import { installGracefulShutdown } from './platform/lifecycle/graceful-shutdown';
import { PlatformLifecycle } from './platform/platform.module';

/**
 * The projector process: runs the projections, workflows and jobs without serving HTTP, beside API
 * processes started with RUN_PROJECTIONS=false. One owner at a time: in server mode the projector holding
 * the Redis lease runs projections and workflows while the others wait in standby (redis-lease.ts); in
 * embedded mode the data folder's owner lock refuses a second one (data-folder.ts).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = { ...loadConfig(process.env), runProjections: true };
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(EXIT.CONFIG);
    }
    throw error;
  }
  const dataFolder = checkDataFolder(config);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, {}, dataFolder), {
    bufferLogs: true,
    abortOnError: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  const lifecycle = app.get(PlatformLifecycle);
  installGracefulShutdown({ app, logger, timeoutMs: config.shutdownTimeoutMs, stage: () => lifecycle.shutdownStage });
  await app.init();
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    console.error(`Portail Famille (projector): ${error.message} (exit ${error.exitCode})`);
    process.exit(error.exitCode);
  }
  console.error(error);
  process.exit(EXIT.UNEXPECTED);
});
