import { Inject, Injectable } from '@nestjs/common';

import type { Clock } from '../../../platform/clock/clock';
import { DomainError } from '../../../platform/domain/domain-error';
import { PASSWORD_HASHER, PasswordHasher } from '../../../platform/security/password-hasher';
import { CLOCK } from '../../../platform/tokens';
import { Accounts } from '../accounts';
import { canLogin } from '../identity.decider';
import type { AccountRole } from '../identity.types';
import { normalizeLogin } from '../identity.types';
import { OpenedSession, SessionStore } from '../sessions/session-store';
import { LOGIN_THROTTLE, LoginThrottle } from './login-throttle';

export interface LoginResult extends OpenedSession {
  account: { login: string; role: AccountRole; familyId?: string; displayName: string };
}

export function invalidCredentials(): DomainError {
  return new DomainError('INVALID_CREDENTIALS', 'Identifiant ou mot de passe incorrect.', 'unauthenticated');
}

/** « Compte famille » : log in with an identifiant and a password; a server-side session is opened. */
@Injectable()
export class Login {
  constructor(
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly accounts: Accounts,
    private readonly sessions: SessionStore,
  ) {}

  async execute(loginInput: string, password: string, source: string): Promise<LoginResult> {
    const accountId = normalizeLogin(loginInput);
    await this.throttle.assertAllowed(accountId, source);
    const account = await this.accounts.load(accountId);
    const allowed = canLogin(account, this.clock.now().toISOString());
    // The same work, and the same answer, whether the identifiant exists or not.
    const valid =
      allowed.ok && account?.passwordHash
        ? await this.hasher.verify(account.passwordHash, password)
        : (await this.hasher.dummyVerify(password), false);
    if (!valid || !account) {
      await this.throttle.recordFailure(accountId, source);
      throw invalidCredentials();
    }
    await this.throttle.recordSuccess(accountId, source);
    const session = await this.sessions.open({ accountId, credentialsVersion: account.credentialsVersion }, source);
    return {
      ...session,
      account: {
        login: account.login,
        role: account.role,
        ...(account.familyId ? { familyId: account.familyId } : {}),
        displayName: account.displayName,
      },
    };
  }
}
