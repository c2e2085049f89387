import 'reflect-metadata';

import { BeforeApplicationShutdown, Inject, Injectable, Logger as NestLogger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

import { AppModule } from './app.module';
import { type AppConfig, ConfigError, loadConfig } from './platform/config/config';
import { HealthController } from './platform/health/health.controller';
import { HealthListener } from './platform/health/health-listener';
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
  static forRoot(config: AppConfig) {
    return { module: ProjectorModule, imports: [AppModule.forRoot(config)], providers: [ProjectorHealth] };
  }
}

/**
 * The projector process of the server runtime: runs the projections, workflows and jobs without serving the API,
 * beside API processes started with RUN_PROJECTIONS=false; it carries out the rebuilds requested from the admin
 * endpoint or the CLI. Its health listener (PROJECTOR_HEALTH_PORT, default 3001) answers liveness, readiness and
 * metrics probes.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = { ...loadConfig(process.env), runProjections: true };
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const app = await NestFactory.createApplicationContext(ProjectorModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
}

void main();
