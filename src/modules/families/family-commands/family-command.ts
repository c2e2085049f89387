import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../platform/commands/command-context';
import type { FamilyCommand, FamilyState } from '../families.decider';
import type { FamilyEvent } from '../families.events';
import type { ExecuteResult } from '../../../platform/commands/command-executor';

/**
 * Bus message for every command on a family stream (RegisterFamily, RequestAddressChange, AcceptChangeRequest...).
 * The domain command is built with the instant the pipeline accepts it: deciders read no clock.
 */
export class FamilyCommandMessage extends Command<ExecuteResult<FamilyEvent, FamilyState>> {
  constructor(
    readonly familyId: string,
    readonly build: (at: string) => FamilyCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}
