import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './platform/config/config';

/**
 * The projector process of the server runtime: runs the projections (and jobs) without serving HTTP,
 * beside API processes started with RUN_PROJECTIONS=false. Several projectors may run: every batch is
 * committed with a version-guarded write and the checkpoint, so a second one only wastes work.
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
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
}

void main();
