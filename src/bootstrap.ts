import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc, ZodValidationPipe } from 'nestjs-zod';
import { z } from 'zod';

import { AppModule, AppOverrides } from './app.module';
import { installAuthentication } from './platform/auth/authentication';
import { AUTHENTICATOR, type Authenticator } from './platform/auth/authenticator.port';
import { type Clock, SystemClock } from './platform/clock/clock';
import type { AppConfig } from './platform/config/config';
import { type DataFolder, openDataFolder, SERVER_DATA_FOLDER } from './platform/data-folder/data-folder';
import type { DocumentStore } from './platform/document-store/document-store.port';
import { HttpDrain } from './platform/http/http-drain';
import { createHttpAdapter, installRequestHooks } from './platform/http/http-server';
import { installIdempotency } from './platform/http/idempotency';
import { completeOpenApiDocument } from './platform/http/openapi';
import { installRateLimits, RequestRateLimiter } from './platform/http/rate-limit';
import { MetricsService } from './platform/observability/metrics.service';
import { installRequestLog } from './platform/observability/request-log';
import { CLOCK, DOCUMENT_STORE, ROOT_LOGGER } from './platform/tokens';
import { installWeb } from './web';

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
export async function createApp(config: AppConfig, overrides: AppOverrides = {}): Promise<NestFastifyApplication> {
  const dataFolder = checkDataFolder(config);
  try {
    return await buildApp(config, overrides, dataFolder);
  } catch (error) {
    dataFolder.release();
    throw error;
  }
}

async function buildApp(config: AppConfig, overrides: AppOverrides, dataFolder: DataFolder): Promise<NestFastifyApplication> {
  const module = AppModule.forRoot(config, overrides, dataFolder);
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    createHttpAdapter({ bodyLimit: config.bodyLimit, trustProxy: config.trustProxy }),
    {
      // errors while building the application are thrown to the caller, not turned into process.abort()
      abortOnError: false,
      // bodies: http-server.ts (JSON only)
      bodyParser: false,
      // Start-up lines go to pino (JSON, at the configured level) once it is ready.
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  // hooks around every request, the drain first (http-server.ts); SIGTERM / SIGINT: graceful-shutdown.ts
  const fastify = app.getHttpAdapter().getInstance();
  installRequestHooks(fastify, app.get(HttpDrain));
  // the caller, its rate limit, then a write's stored answer for its Idempotency-Key, before Nest routes the request
  installAuthentication(fastify, app.get<Authenticator>(AUTHENTICATOR));
  installRateLimits(fastify, app.get(RequestRateLimiter));
  installIdempotency(fastify, app.get<DocumentStore>(DOCUMENT_STORE), app.get<Clock>(CLOCK));
  installRequestLog(fastify, app.get(ROOT_LOGGER), app.get(MetricsService));
  // the web portal under / (its own CSP, form parser, session cookie and CSRF: src/web/portal.ts)
  installWeb(app, config);
  app.useGlobalPipes(new ZodValidationPipe());

  const document = SwaggerModule.createDocument(app, openApiConfig());
  completeOpenApiDocument(document as unknown as Parameters<typeof completeOpenApiDocument>[0], config.publicBaseUrl);
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
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'opaque',
      description:
        'Jeton de session opaque (pas un JWT) rendu par POST /auth/login : 32 octets aléatoires en base64url, ' +
        'dont le serveur ne garde que le hachage SHA-256 ; la session expire après 30 min sans activité et 12 h au plus, ' +
        'et se termine à la déconnexion, au changement de mot de passe ou à la désactivation du compte.',
    })
    .build();
}
