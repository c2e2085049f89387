import { DynamicModule, Global, Module } from '@nestjs/common';
import Redis from 'ioredis';

import { AUTHENTICATOR, Authenticator } from '../../platform/auth/authenticator.port';
import type { AppConfig } from '../../platform/config/config';
import { APP_CONFIG } from '../../platform/tokens';
import { AccountMails } from './account-mails';
import { Accounts } from './accounts';
import { AccountsController } from './accounts/accounts.controller';
import { CreateAccount } from './accounts/create-account';
import { DisableAccount } from './accounts/disable-account';
import { EnableAccount } from './accounts/enable-account';
import { ReachableAccounts } from './accounts/reachable-accounts';
import { ResendActivation } from './accounts/resend-activation';
import { ActivateAccount } from './activation/activate-account';
import { AuthController } from './auth/auth.controller';
import { Login } from './login/login';
import { LOGIN_THROTTLE, LoginThrottle } from './login/login-throttle';
import { ChangePassword } from './passwords/change-password';
import { ForgotPassword } from './passwords/forgot-password';
import { NewPasswords } from './passwords/new-passwords';
import { ResetPassword } from './passwords/reset-password';
import { SessionAuthenticator } from './sessions/session.authenticator';
import { SessionStore } from './sessions/session-store';

/**
 * Bounded context "identity": accounts, sessions, passwords. Global: it provides the AUTHENTICATOR the
 * platform's guard uses (sessions; a benchmark may pass its own) and account creation (families register
 * a guardian's login with the family).
 */
@Global()
@Module({})
export class IdentityModule {
  static forRoot(options: { authenticator?: Authenticator } = {}): DynamicModule {
    return {
      module: IdentityModule,
      controllers: [AuthController, AccountsController],
      providers: [
        ...USE_CASES,
        Accounts,
        AccountMails,
        NewPasswords,
        ReachableAccounts,
        SessionStore,
        SessionAuthenticator,
        {
          provide: LOGIN_THROTTLE,
          inject: [APP_CONFIG],
          // Server mode: counts shared by every API process, in Redis. Embedded: one process, in memory.
          useFactory: (config: AppConfig) =>
            new LoginThrottle(config.mode === 'server' ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined),
        },
        options.authenticator
          ? { provide: AUTHENTICATOR, useValue: options.authenticator }
          : { provide: AUTHENTICATOR, useExisting: SessionAuthenticator },
      ],
      exports: [AUTHENTICATOR, SessionStore, CreateAccount],
    };
  }
}

const USE_CASES = [
  Login,
  ChangePassword,
  ForgotPassword,
  ResetPassword,
  ActivateAccount,
  CreateAccount,
  ResendActivation,
  DisableAccount,
  EnableAccount,
];
