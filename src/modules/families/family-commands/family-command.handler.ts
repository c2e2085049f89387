import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, ExecuteResult } from '../../../platform/commands/command-executor';
import { MetricsService } from '../../../platform/observability/metrics.service';
import { FamilyState, familiesDecider } from '../families.decider';
import { FamilyEvent, familyStream } from '../families.events';
import { FamilyCommandMessage } from './family-command';

/** Read the family stream, decide, append with the revision read (retried on conflict by the executor). */
@CommandHandler(FamilyCommandMessage)
export class FamilyCommandHandler implements ICommandHandler<FamilyCommandMessage> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly metrics: MetricsService,
  ) {}

  async execute(message: FamilyCommandMessage): Promise<ExecuteResult<FamilyEvent, FamilyState>> {
    let type = 'unknown';
    try {
      const result = await this.executor.execute({
        streamId: familyStream(message.familyId),
        decider: familiesDecider,
        command: (at) => {
          const command = message.build(at);
          type = command.type;
          return command;
        },
        context: { ...message.context, familyId: message.familyId },
      });
      this.metrics.commands.inc({ command: type, outcome: 'accepted' });
      return result;
    } catch (error) {
      this.metrics.commands.inc({ command: type, outcome: 'refused' });
      throw error;
    }
  }
}
