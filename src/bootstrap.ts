import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc, ZodValidationPipe } from 'nestjs-zod';
import { z } from 'zod';

import { AppModule, AppOverrides } from './app.module';
import { SystemClock } from './platform/clock/clock';
import type { AppConfig } from './platform/config/config';
import { type DataFolder, openDataFolder, SERVER_DATA_FOLDER } from './platform/data-folder/data-folder';
import { correlationId } from './platform/http/correlation-id.middleware';
import { HttpDrain } from './platform/http/http-drain';
import { PortalExpressAdapter } from './platform/http/http-server';
import { jsonBody } from './platform/http/json-body.middleware';
import { noStore, securityHeaders } from './platform/http/security-headers';
import { HttpMetricsMiddleware } from './platform/observability/http-metrics.middleware';
import { MetricsService } from './platform/observability/metrics.service';

// Validation messages in French: parents and staff read them.
z.config(z.locales.fr());

/**
 * The start-up checks of the data folder (embedded mode), and its owner lock when this process runs the
 * projections: before anything opens a store. Throws a StartupError an operator can act on.
 */
export function checkDataFolder(config: AppConfig): DataFolder {
  if (config.mode === 'server') return SERVER_DATA_FOLDER;
  // when this process started: operational metadata of the folder, not business time
  const startedAt = new SystemClock().now().toISOString();
  return openDataFolder({ dataDir: config.dataDir, own: config.runProjections, startedAt });
}

/** Build the application (not listening yet): shared by main.ts, the e2e tests and the benchmark. */
export async function createApp(config: AppConfig, overrides: AppOverrides = {}): Promise<NestExpressApplication> {
  const dataFolder = checkDataFolder(config);
  try {
    return await buildApp(config, overrides, dataFolder);
  } catch (error) {
    dataFolder.release();
    throw error;
  }
}

async function buildApp(config: AppConfig, overrides: AppOverrides, dataFolder: DataFolder): Promise<NestExpressApplication> {
  const module = AppModule.forRoot(config, overrides, dataFolder);
  const app = await NestFactory.create<NestExpressApplication>(module, new PortalExpressAdapter(), {
    // errors while building the application are thrown to the caller, not turned into process.abort()
    abortOnError: false,
    bodyParser: false,
    // Start-up lines go to pino (JSON, at the configured level) once it is ready.
    bufferLogs: true,
    forceCloseConnections: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // first: once SIGTERM arrived, nothing else runs for a new request (see http-drain.ts)
  app.use(app.get(HttpDrain).middleware());
  app.use(securityHeaders());
  app.use(noStore());
  app.use(correlationId());
  app.use(new HttpMetricsMiddleware(app.get(MetricsService)).handler());
  app.use(jsonBody(config.bodyLimit));
  app.useGlobalPipes(new ZodValidationPipe());
  // SIGTERM / SIGINT are handled by main.ts (graceful-shutdown.ts), not by Nest's shutdown hooks.
  // HTTP timeouts: see http-server.ts.

  const document = SwaggerModule.createDocument(app, openApiConfig());
  SwaggerModule.setup('docs', app, cleanupOpenApiDoc(document), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

function openApiConfig() {
  return new DocumentBuilder()
    .setTitle('Portail Famille — API')
    .setDescription(
      'API du Portail Famille : dossier famille (« Mon compte »), demandes de modification et leur traitement par les agents, ' +
        'liste des demandes. Les erreurs ont la forme { statusCode, code, message, correlationId } avec un message en français.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
}
