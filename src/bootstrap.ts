import type { Server } from 'node:http';

import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc, ZodValidationPipe } from 'nestjs-zod';
import { z } from 'zod';

import { AppModule, AppOverrides } from './app.module';
import type { AppConfig } from './platform/config/config';
import { correlationId } from './platform/http/correlation-id.middleware';
import { jsonBody } from './platform/http/json-body.middleware';
import { HttpMetricsMiddleware } from './platform/observability/http-metrics.middleware';
import { MetricsService } from './platform/observability/metrics.service';

// Validation messages in French: parents and staff read them.
z.config(z.locales.fr());

/** Build the application (not listening yet): shared by main.ts, the e2e tests and the benchmark. */
export async function createApp(config: AppConfig, overrides: AppOverrides = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config, overrides), {
    bodyParser: false,
    // Start-up lines go to pino (JSON, at the configured level) once it is ready.
    bufferLogs: true,
    forceCloseConnections: false,
  });
  app.useLogger(app.get(Logger));
  app.use(correlationId());
  app.use(new HttpMetricsMiddleware(app.get(MetricsService)).handler());
  app.use(jsonBody(config.bodyLimit));
  app.useGlobalPipes(new ZodValidationPipe());
  app.enableShutdownHooks();
  // Longer than the usual load balancer's idle timeout (60 s), so the proxy, not Node, closes idle
  // keep-alive connections (Node's 5 s default resets sockets a busy client is about to reuse).
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

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
