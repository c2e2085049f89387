import { Inject, Injectable } from '@nestjs/common';

import type { CommandContext, Principal } from '../../../platform/commands/command-context';
import { Commands } from '../../../platform/commands/stream-command';
import { DomainError } from '../../../platform/domain/domain-error';
import { PASSWORD_HASHER, PasswordHasher } from '../../../platform/security/password-hasher';
import { Accounts } from '../accounts';
import { accountCommands } from '../identity.commands';
import { invalidCredentials } from '../login/login';
import { LOGIN_THROTTLE, LoginThrottle } from '../login/login-throttle';
import { SessionStore } from '../sessions/session-store';
import { NewPasswords } from './new-passwords';

/** A logged-in person changes their password: the other sessions end (a changed password is often a suspected leak). */
@Injectable()
export class ChangePassword {
  constructor(
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
    private readonly accounts: Accounts,
    private readonly passwords: NewPasswords,
    private readonly sessions: SessionStore,
    private readonly commands: Commands,
  ) {}

  async execute(principal: Principal, current: string, next: string, source: string, context: CommandContext): Promise<void> {
    const account = await this.accounts.load(principal.userId);
    if (!account) throw invalidCredentials();
    await this.throttle.assertAllowed(account.accountId, source);
    if (!account.passwordHash || !(await this.hasher.verify(account.passwordHash, current))) {
      await this.throttle.recordFailure(account.accountId, source);
      throw new DomainError('INVALID_CURRENT_PASSWORD', 'Le mot de passe actuel est incorrect.', 'invalid');
    }
    const passwordHash = await this.passwords.acceptableHash(next, account);
    const result = await this.commands.send(accountCommands, account.accountId, { type: 'ChangePassword', passwordHash }, context);
    const version = result.state.account?.credentialsVersion;
    // The other sessions end; this one continues.
    if (principal.sessionId && version !== undefined) await this.sessions.adoptCredentials(principal.sessionId, version);
    await this.sessions.revokeAll(account.accountId, principal.sessionId);
  }
}
