import { Inject, Injectable } from '@nestjs/common';

import type { Clock } from '../../../platform/clock/clock';
import type { CommandContext, Principal } from '../../../platform/commands/command-context';
import { Commands } from '../../../platform/commands/stream-command';
import { newSecretToken } from '../../../platform/security/secret-token';
import { CLOCK } from '../../../platform/tokens';
import { AccountMails } from '../account-mails';
import { accountCommands } from '../identity.commands';
import { ACTIVATION_TTL_MS } from './create-account';
import { ReachableAccounts } from './reachable-accounts';

/** A new activation link (the previous one stops working). */
@Injectable()
export class ResendActivation {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly reachable: ReachableAccounts,
    private readonly mails: AccountMails,
    private readonly commands: Commands,
  ) {}

  async execute(principal: Principal, accountId: string, context: CommandContext): Promise<{ activationMailSent: boolean }> {
    const account = await this.reachable.get(principal, accountId);
    const { token, hash } = newSecretToken();
    const activationExpiresAt = new Date(this.clock.now().getTime() + ACTIVATION_TTL_MS).toISOString();
    await this.commands.send(
      accountCommands,
      account.accountId,
      { type: 'IssueActivation', activationTokenHash: hash, activationExpiresAt },
      context,
    );
    return { activationMailSent: await this.mails.activation(account, token, activationExpiresAt, context.correlationId) };
  }
}
