import { Injectable } from '@nestjs/common';

import { FamilyAccessPolicy } from '../../platform/auth/family-access';
import { Commands } from '../../platform/commands/stream-command';
import type { PayloadOf } from '../../platform/domain/command-target';
import { AuthenticatedRequest, commandContext, type HttpResponse, setRevision } from '../../platform/http/command-http';
import { familyCommands } from './families.commands';

/** What every family write endpoint does: check access, send the command, answer with the new revision. */
@Injectable()
export class FamilyEndpoint {
  constructor(
    private readonly commands: Commands,
    private readonly access: FamilyAccessPolicy,
  ) {}

  async send(request: AuthenticatedRequest, response: HttpResponse, familyId: string, command: PayloadOf<typeof familyCommands>) {
    if (command.type === 'RegisterFamily') this.access.assertCanRegisterIn(request.principal, command.commune);
    else await this.access.assertCanReach(request.principal, familyId);
    if ('childId' in command && typeof command.childId === 'string') this.access.assertCanReachChild(request.principal, command.childId);
    const result = await this.commands.send(familyCommands, familyId, command, commandContext(request));
    setRevision(response, result.revision);
    // Read the request id back from the events: a replayed Idempotency-Key returns the events stored the first time.
    const requestId = result.events.map((e) => (e.data as { requestId?: string }).requestId).find(Boolean);
    return {
      familyId,
      revision: result.revision,
      position: result.position,
      ...(requestId ? { requestId } : {}),
      events: result.events.map((e) => e.type),
    };
  }
}
