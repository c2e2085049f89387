import { Inject, Injectable } from '@nestjs/common';

import { DomainError } from '../../../platform/domain/domain-error';
import { PASSWORD_HASHER, PasswordHasher } from '../../../platform/security/password-hasher';
import { isWellFormedSecretToken } from '../../../platform/security/secret-token';
import { Accounts } from '../accounts';
import { INVALID_OR_EXPIRED_TOKEN } from '../identity.decider';
import type { Account } from '../identity.types';
import { normalizeLogin } from '../identity.types';
import { checkPassword, PasswordContext } from '../password-policy.rules';

/** Refuses a password that breaks the rules, with every rule it breaks (422 WEAK_PASSWORD). */
export function assertAcceptable(password: string, context: PasswordContext): void {
  const violations = checkPassword(password, context);
  if (violations.length > 0) {
    throw new DomainError('WEAK_PASSWORD', violations.map((v) => v.message).join(' '), 'invalid', { violations });
  }
}

/** What setting a new password needs: the rules, the hash, and the account a link's token is for. */
@Injectable()
export class NewPasswords {
  constructor(
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    private readonly accounts: Accounts,
  ) {}

  /** The hash of a password the rules accept for this account. */
  async acceptableHash(password: string, account: Account): Promise<string> {
    assertAcceptable(password, { login: account.login, displayName: account.displayName, email: account.email });
    return this.hasher.hash(password);
  }

  /**
   * The account a token is presented for; one answer for every token problem (see the decider). The new
   * password is judged first for unknown identifiants too, so the answer never tells whether one exists.
   */
  async tokenAccount(loginInput: string, token: string, password: string): Promise<Account> {
    const invalid = new DomainError(INVALID_OR_EXPIRED_TOKEN, "Ce lien n'est plus valide. Demandez un nouveau lien.", 'invalid');
    const account = await this.accounts.load(normalizeLogin(loginInput));
    if (!account) {
      assertAcceptable(password, { login: loginInput.trim() });
      throw invalid;
    }
    if (!isWellFormedSecretToken(token)) {
      assertAcceptable(password, { login: account.login });
      throw invalid;
    }
    return account;
  }
}
