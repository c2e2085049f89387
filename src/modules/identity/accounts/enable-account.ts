import { Injectable } from '@nestjs/common';

import type { CommandContext, Principal } from '../../../platform/commands/command-context';
import { Commands } from '../../../platform/commands/stream-command';
import { accountCommands } from '../identity.commands';
import { ReachableAccounts } from './reachable-accounts';

/** Enable an account again. */
@Injectable()
export class EnableAccount {
  constructor(
    private readonly reachable: ReachableAccounts,
    private readonly commands: Commands,
  ) {}

  async execute(principal: Principal, accountId: string, context: CommandContext): Promise<void> {
    const account = await this.reachable.get(principal, accountId);
    await this.commands.send(accountCommands, account.accountId, { type: 'EnableAccount' }, context);
  }
}
