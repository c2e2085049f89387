import 'reflect-metadata';

import { BeforeApplicationShutdown, Inject, Injectable, Logger as NestLogger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

import { AppModule } from './app.module';
import { checkDataFolder } from './bootstrap';
import { type AppConfig, ConfigError, loadConfig } from './platform/config/config';
import type { DataFolder } from './platform/data-folder/data-folder';
import { HealthController } from './platform/health/health.controller';
import { HealthListener } from './platform/health/health-listener';
import { EXIT, StartupError } from './platform/lifecycle/exit-codes';
import { installGracefulShutdown } from './platform/lifecycle/graceful-shutdown';
import { PlatformLifecycle } from './platform/platform.module';
import { APP_CONFIG } from './platform/tokens';

/**
 * The projector's health listener on PROJECTOR_HEALTH_PORT: /health/live, /health/ready (stores, projection and
 * workflow lag) and /metrics, as the API serves them. Closed first on shutdown.
 */
@Injectable()
class ProjectorHealth implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private listener?: HealthListener;
  private readonly logger = new NestLogger('Projector');

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.listener = new HealthListener(this.moduleRef.get(HealthController, { strict: false }));
    const address = await this.listener.listen(this.config.projectorHealthPort, this.config.host);
    this.logger.log(`health on http://${address.address}:${address.port}/health (live, ready, /metrics)`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.listener?.close();
  }
}

@Module({})
class ProjectorModule {
  static forRoot(config: AppConfig, dataFolder: DataFolder) {
    return { module: ProjectorModule, imports: [AppModule.forRoot(config, {}, dataFolder)], providers: [ProjectorHealth] };
  }
}

/**
 * The projector process: runs the projections, workflows and jobs without serving the API, beside API
 * processes started with RUN_PROJECTIONS=false; it carries out the rebuilds requested from the admin endpoint
 * or the CLI. One owner at a time: in server mode the projector holding the Redis lease runs projections and
 * workflows while the others wait in standby (redis-lease.ts); in embedded mode the data folder's owner lock
 * refuses a second one (data-folder.ts). Its health listener (PROJECTOR_HEALTH_PORT, default 3001) answers
 * liveness, readiness and metrics probes. SIGTERM: graceful-shutdown.ts.
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
  const app = await NestFactory.createApplicationContext(ProjectorModule.forRoot(config, dataFolder), {
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
