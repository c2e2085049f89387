import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';

import { ALL_PROJECTIONS } from '../projections';
import { ALL_EVENT_TYPES } from './app.events';
import { DemoModule } from './demo/demo.module';
import { AuditModule } from './modules/audit/audit.module';
import { BillingModule } from './modules/billing';
import { DocumentsModule } from './modules/documents';
import { FamiliesModule } from './modules/families';
import { IdentityModule } from './modules/identity';
import { MessagingModule } from './modules/messaging';
import { PlanningModule } from './modules/planning';
import type { Authenticator } from './platform/auth/authenticator.port';
import type { Clock } from './platform/clock/clock';
import type { AppConfig } from './platform/config/config';
import type { DataFolder } from './platform/data-folder/data-folder';
import { createRootLogger } from './platform/observability/root-logger';
import { PlatformModule } from './platform/platform.module';
import { ROOT_LOGGER } from './platform/tokens';

export interface AppOverrides {
  /** replaces the configured authenticator (the benchmark's parents of many families) */
  authenticator?: Authenticator;
  /** replaces the configured clock (tests run at fixed instants) */
  clock?: Clock;
}

/** Root module; the configuration picks the adapters (embedded SQLite, or EventStoreDB + MongoDB + Redis). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, overrides: AppOverrides = {}, dataFolder?: DataFolder): DynamicModule {
    const rootLogger = createRootLogger(config.logLevel);
    return {
      module: AppModule,
      imports: [
        // Nest's lines through the root logger; no per-request middleware (request lines: request-log.ts)
        LoggerModule.forRoot({ pinoHttp: { logger: rootLogger }, forRoutes: [] }),
        CqrsModule.forRoot(),
        PlatformModule.forRoot({
          config,
          clock: overrides.clock,
          eventTypes: ALL_EVENT_TYPES,
          projections: ALL_PROJECTIONS,
          dataFolder,
        }),
        IdentityModule.forRoot({ authenticator: overrides.authenticator }),
        AuditModule,
        FamiliesModule,
        PlanningModule,
        MessagingModule,
        DocumentsModule,
        BillingModule,
        // demo data only in a brand-new embedded data folder (see DemoModule); the demo-password warning always
        DemoModule.forRoot({ seed: config.demoData && config.mode === 'embedded' && dataFolder?.brandNew === true }),
      ],
      providers: [{ provide: ROOT_LOGGER, useValue: rootLogger }],
      exports: [ROOT_LOGGER],
    };
  }
}
