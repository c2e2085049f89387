import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';

import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import { AuthenticatedRequest, commandContext, setRevision } from '../../../platform/http/command-http';
import type { FamilyCommand } from '../families.decider';
import { FamilyCommandMessage } from './family-command';

type WithoutMeta<C> = C extends unknown ? Omit<C, 'familyId' | 'at' | 'actor'> : never;

/** What every family write endpoint does: check access, send the command, answer with the new revision. */
@Injectable()
export class FamilyEndpoint {
  constructor(
    private readonly commands: CommandBus,
    private readonly access: FamilyAccessPolicy,
  ) {}

  async send(request: AuthenticatedRequest, response: Response, familyId: string, command: WithoutMeta<FamilyCommand>) {
    if (command.type === 'RegisterFamily') this.access.assertCanRegisterIn(request.principal, command.commune);
    else await this.access.assertCanReach(request.principal, familyId);
    if ('childId' in command && typeof command.childId === 'string') this.access.assertCanReachChild(request.principal, command.childId);
    const { principal } = request;
    const result = await this.commands.execute(
      new FamilyCommandMessage(
        familyId,
        (at) => ({ ...command, familyId, at, actor: { userId: principal.userId, role: principal.role } }) as FamilyCommand,
        commandContext(request),
      ),
    );
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
