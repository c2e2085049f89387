import { Injectable } from '@nestjs/common';

import type { CommandContext, Principal } from '../../../platform/commands/command-context';
import { Commands } from '../../../platform/commands/stream-command';
import { accountCommands } from '../identity.commands';
import { SessionStore } from '../sessions/session-store';
import { ReachableAccounts } from './reachable-accounts';

/** Disable an account: its sessions end at once. */
@Injectable()
export class DisableAccount {
  constructor(
    private readonly reachable: ReachableAccounts,
    private readonly sessions: SessionStore,
    private readonly commands: Commands,
  ) {}

  async execute(principal: Principal, accountId: string, reason: string, context: CommandContext): Promise<void> {
    const account = await this.reachable.get(principal, accountId);
    await this.commands.send(accountCommands, account.accountId, { type: 'DisableAccount', reason }, context);
    await this.sessions.revokeAll(account.accountId);
  }
}
