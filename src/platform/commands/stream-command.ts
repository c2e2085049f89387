import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';

import type { Decider, DomainEvent } from '../domain/decider';
import { MetricsService } from '../observability/metrics.service';
import type { CommandContext } from './command-context';
import { CommandExecutor, ExecuteResult } from './command-executor';

/**
 * The bus message of every command on an event stream: which stream, which decider, the domain command
 * (built with the instant the pipeline accepts it: deciders read no clock) and who sends it.
 * Contexts subclass it to name their streams (FamilyCommandMessage, IdentityCommandMessage...); one
 * handler serves them all.
 */
export class StreamCommand<C extends { type: string } = { type: string }, E extends DomainEvent = DomainEvent, S = unknown> extends Command<
  ExecuteResult<E, S>
> {
  constructor(
    readonly streamId: string,
    readonly decider: Decider<C, E, S>,
    readonly build: (at: string) => C,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Read the stream, decide, append with the revision read (retried on conflict by the executor); count it. */
@CommandHandler(StreamCommand)
export class StreamCommandHandler implements ICommandHandler<StreamCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly metrics: MetricsService,
  ) {}

  async execute(message: StreamCommand): Promise<ExecuteResult<DomainEvent, unknown>> {
    let type = 'unknown';
    try {
      const result = await this.executor.execute({
        streamId: message.streamId,
        decider: message.decider,
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
