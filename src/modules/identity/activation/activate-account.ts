import { Injectable } from '@nestjs/common';

import type { CommandContext } from '../../../platform/commands/command-context';
import { Commands } from '../../../platform/commands/stream-command';
import { hashSecretToken } from '../../../platform/security/secret-token';
import { accountCommands } from '../identity.commands';
import { NewPasswords } from '../passwords/new-passwords';

/** The holder of an activation link chooses their password: the account becomes active. */
@Injectable()
export class ActivateAccount {
  constructor(
    private readonly passwords: NewPasswords,
    private readonly commands: Commands,
  ) {}

  async execute(loginInput: string, token: string, password: string, context: CommandContext): Promise<void> {
    const account = await this.passwords.tokenAccount(loginInput, token, password);
    const passwordHash = await this.passwords.acceptableHash(password, account);
    await this.commands.send(
      accountCommands,
      account.accountId,
      { type: 'Activate', tokenHash: hashSecretToken(token), passwordHash },
      context,
    );
  }
}
