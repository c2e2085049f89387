import type { CommandContext } from '../../platform/commands/command-context';
import { StreamCommand } from '../../platform/commands/stream-command';
import { IdentityCommand, IdentityState, identityDecider } from './identity.decider';
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
