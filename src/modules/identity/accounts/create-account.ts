import { Inject, Injectable } from '@nestjs/common';

import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import type { Clock } from '../../../platform/clock/clock';
import type { CommandContext, Principal } from '../../../platform/commands/command-context';
import { Commands } from '../../../platform/commands/stream-command';
import { newSecretToken } from '../../../platform/security/secret-token';
import { CLOCK } from '../../../platform/tokens';
import { AccountMails } from '../account-mails';
import { accountCommands } from '../identity.commands';
import type { AccountRole } from '../identity.types';
import { normalizeLogin } from '../identity.types';

/** An activation link is valid a week (the parent may not read mail every day). */
export const ACTIVATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface CreatedAccount {
  accountId: string;
  activationMailSent: boolean;
}

type FamilyAccountBody = { login: string; email: string; displayName: string; childIds?: string[] };
type StaffAccountBody = { login: string; role: 'staff' | 'auditor' | 'admin'; email: string; displayName: string; scope?: string[] };

/**
 * Accounts are created by staff (a family's logins) and administrators (staff, auditors, administrators);
 * the holder receives an activation link and chooses their password.
 */
@Injectable()
export class CreateAccount {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: FamilyAccessPolicy,
    private readonly mails: AccountMails,
    private readonly commands: Commands,
  ) {}

  /** A login of a family the caller reaches. */
  async forFamily(principal: Principal, familyId: string, body: FamilyAccountBody, context: CommandContext): Promise<CreatedAccount> {
    await this.access.assertCanReach(principal, familyId);
    return this.forNewFamily(familyId, body, context);
  }

  /** For a family the caller has just registered in their scope (its read model may not show it yet). */
  forNewFamily(familyId: string, body: FamilyAccountBody, context: CommandContext): Promise<CreatedAccount> {
    return this.create(
      body.login,
      { role: 'parent', familyId, email: body.email, displayName: body.displayName, childIds: body.childIds },
      context,
    );
  }

  /** A staff member, an auditor or an administrator (administrators only, checked by the decider). */
  forStaff(body: StaffAccountBody, context: CommandContext): Promise<CreatedAccount> {
    return this.create(body.login, { role: body.role, email: body.email, displayName: body.displayName, scope: body.scope }, context);
  }

  private async create(
    login: string,
    fields: { role: AccountRole; familyId?: string; email: string; displayName: string; childIds?: string[]; scope?: string[] },
    context: CommandContext,
  ): Promise<CreatedAccount> {
    const accountId = normalizeLogin(login);
    const { token, hash } = newSecretToken();
    const activationExpiresAt = new Date(this.clock.now().getTime() + ACTIVATION_TTL_MS).toISOString();
    const result = await this.commands.send(
      accountCommands,
      accountId,
      {
        type: 'CreateAccount',
        login: login.trim(),
        role: fields.role,
        ...(fields.familyId ? { familyId: fields.familyId } : {}),
        ...(fields.childIds ? { childIds: fields.childIds } : {}),
        ...(fields.scope ? { scope: fields.scope } : {}),
        email: fields.email,
        displayName: fields.displayName,
        activationTokenHash: hash,
        activationExpiresAt,
      },
      context,
    );
    const account = result.state.account!;
    return { accountId, activationMailSent: await this.mails.activation(account, token, activationExpiresAt, context.correlationId) };
  }
}
