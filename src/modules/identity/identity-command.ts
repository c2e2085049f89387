import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../platform/commands/command-context';
import { CommandExecutor, ExecuteResult } from '../../platform/commands/command-executor';
import { MetricsService } from '../../platform/observability/metrics.service';
import { IdentityCommand, IdentityState, identityDecider } from './identity.decider';
import { accountStream, IdentityEvent } from './identity.events';

/** Bus message for every command on an account stream; built with the instant the pipeline accepts it. */
export class IdentityCommandMessage extends Command<ExecuteResult<IdentityEvent, IdentityState>> {
  constructor(
    readonly accountId: string,
    readonly build: (at: string) => IdentityCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(IdentityCommandMessage)
export class IdentityCommandHandler implements ICommandHandler<IdentityCommandMessage> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly metrics: MetricsService,
  ) {}

  async execute(message: IdentityCommandMessage): Promise<ExecuteResult<IdentityEvent, IdentityState>> {
    let type = 'unknown';
    try {
      const result = await this.executor.execute({
        streamId: accountStream(message.accountId),
        decider: identityDecider,
        command: (at) => {
          const command = message.build(at);
          type = command.type;
          return command;
        },
        context: message.context,
      });
      this.metrics.commands.inc({ command: type, outcome: 'accepted' });
      return result;
    } catch (error) {
      this.metrics.commands.inc({ command: type, outcome: 'refused' });
      throw error;
    }
  }
}
