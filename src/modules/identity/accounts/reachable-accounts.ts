import { Injectable } from '@nestjs/common';

import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import type { Principal } from '../../../platform/commands/command-context';
import { DomainError } from '../../../platform/domain/domain-error';
import { Accounts } from '../accounts';
import type { Account } from '../identity.types';
import { normalizeLogin } from '../identity.types';

/** The accounts a staff member may manage: parent accounts of the families in their scope (admins: any). */
@Injectable()
export class ReachableAccounts {
  constructor(
    private readonly accounts: Accounts,
    private readonly access: FamilyAccessPolicy,
  ) {}

  /** The account, or 404 ACCOUNT_NOT_FOUND when it does not exist or is out of the caller's reach. */
  async get(principal: Principal, accountId: string): Promise<Account> {
    const account = await this.accounts.load(normalizeLogin(accountId));
    const notFound = new DomainError('ACCOUNT_NOT_FOUND', 'Compte introuvable.', 'not_found');
    if (!account) throw notFound;
    if (principal.role === 'admin' || principal.role === 'system') return account;
    if (principal.role === 'staff' && account.role === 'parent' && account.familyId) {
      await this.access.assertCanReach(principal, account.familyId).catch(() => {
        throw notFound;
      });
      return account;
    }
    throw notFound;
  }
}
