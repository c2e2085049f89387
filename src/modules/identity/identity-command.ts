import type { CommandContext } from '../../platform/commands/command-context';
import { StreamCommand } from '../../platform/commands/stream-command';
import { IdentityCommand, identityDecider, IdentityState } from './identity.decider';
import { accountStream, IdentityEvent } from './identity.events';

/** A command on an account's stream. */
export class IdentityCommandMessage extends StreamCommand<IdentityCommand, IdentityEvent, IdentityState> {
  constructor(
    readonly accountId: string,
    build: (at: string) => IdentityCommand,
    context: CommandContext,
  ) {
    super(accountStream(accountId), identityDecider, build, context);
  }
}
