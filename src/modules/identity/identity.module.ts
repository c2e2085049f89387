import { DynamicModule, Global, Module } from '@nestjs/common';
import Redis from 'ioredis';

import { AUTHENTICATOR, Authenticator } from '../../platform/auth/authenticator.port';
import type { AppConfig } from '../../platform/config/config';
import { APP_CONFIG } from '../../platform/tokens';
import { AccountRepository } from './account-repository';
import { AccountsController } from './accounts/accounts.controller';
import { AuthController } from './auth/auth.controller';
import { IdentityService, LOGIN_THROTTLE } from './identity.service';
import { LoginThrottle } from './login/login-throttle';
import { OutboxController } from './outbox/outbox.controller';
import { SessionAuthenticator } from './sessions/session.authenticator';
import { SessionStore } from './sessions/session-store';

/**
 * Bounded context "identity": accounts, sessions, passwords. Global: it provides the AUTHENTICATOR the
 * platform's guard uses (sessions; a benchmark may pass its own).
 */
@Global()
@Module({})
export class IdentityModule {
  static forRoot(options: { authenticator?: Authenticator } = {}): DynamicModule {
    return {
      module: IdentityModule,
      controllers: [AuthController, AccountsController, OutboxController],
      providers: [
        ...PROVIDERS,
        SessionAuthenticator,
        options.authenticator
          ? { provide: AUTHENTICATOR, useValue: options.authenticator }
          : { provide: AUTHENTICATOR, useExisting: SessionAuthenticator },
      ],
      exports: [AUTHENTICATOR, SessionStore, AccountRepository, IdentityService],
    };
  }
}

const PROVIDERS = [
  AccountRepository,
  SessionStore,
  IdentityService,
  {
    provide: LOGIN_THROTTLE,
    inject: [APP_CONFIG],
    // Server mode: counts shared by every API process, in Redis. Embedded: one process, in memory.
    useFactory: (config: AppConfig) =>
      new LoginThrottle(config.mode === 'server' ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined),
  },
];
