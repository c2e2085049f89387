import { Inject, Injectable } from '@nestjs/common';

import type { Clock } from '../../../platform/clock/clock';
import type { CommandContext } from '../../../platform/commands/command-context';
import { Commands } from '../../../platform/commands/stream-command';
import { hashSecretToken } from '../../../platform/security/secret-token';
import { CLOCK } from '../../../platform/tokens';
import { AccountMails } from '../account-mails';
import { accountCommands } from '../identity.commands';
import { SessionStore } from '../sessions/session-store';
import { NewPasswords } from './new-passwords';

/** A new password chosen with the link of « Mot de passe oublié » : every session ends, and the holder is told by e-mail. */
@Injectable()
export class ResetPassword {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly passwords: NewPasswords,
    private readonly mails: AccountMails,
    private readonly sessions: SessionStore,
    private readonly commands: Commands,
  ) {}

  async execute(loginInput: string, token: string, password: string, context: CommandContext): Promise<void> {
    const account = await this.passwords.tokenAccount(loginInput, token, password);
    const passwordHash = await this.passwords.acceptableHash(password, account);
    await this.commands.send(
      accountCommands,
      account.accountId,
      { type: 'ResetPassword', tokenHash: hashSecretToken(token), passwordHash },
      context,
    );
    await this.sessions.revokeAll(account.accountId);
    await this.mails.resetDone(account, this.clock.now().toISOString(), context.correlationId);
  }
}
