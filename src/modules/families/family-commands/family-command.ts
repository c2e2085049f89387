import type { CommandContext } from '../../../platform/commands/command-context';
import { StreamCommand } from '../../../platform/commands/stream-command';
import { familiesDecider, FamilyCommand, FamilyState } from '../families.decider';
import { FamilyEvent, familyStream } from '../families.events';

/** A command on a family's stream (RegisterFamily, RequestAddressChange, AcceptChangeRequest...). */
export class FamilyCommandMessage extends StreamCommand<FamilyCommand, FamilyEvent, FamilyState> {
  constructor(
    readonly familyId: string,
    build: (at: string) => FamilyCommand,
    context: CommandContext,
  ) {
    super(familyStream(familyId), familiesDecider, build, { ...context, familyId });
  }
}
