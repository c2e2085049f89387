/**
 * Accounts of the Portail Famille: who may sign in, with which role and over which families or communes.
 * Pure types and helpers: no framework, no crypto (hashes arrive already computed).
 */

/** The role an account holds. 'system' is not an account role: it is the actor of workflows and CLIs. */
export type AccountRole = 'parent' | 'staff' | 'auditor' | 'admin';
export const ACCOUNT_ROLES: readonly AccountRole[] = ['parent', 'staff', 'auditor', 'admin'];

export type AccountStatus = 'pending_activation' | 'active' | 'disabled';

/**
 * A one-time link (activation or password reset). Only the SHA-256 hash of the random token is kept: the
 * token itself is in the e-mail, never in the log.
 */
export type OneTimeToken = {
  tokenHash: string;
  /** ISO instant from which the link no longer works */
  expiresAt: string;
  used: boolean;
};

/** The communes scope of every commune. */
export const ALL_COMMUNES = '*';

export type Account = {
  /** the normalized login (trimmed, lower-case): the account's id and the end of its stream name */
  accountId: string;
  /** the login as it was given (trimmed), for display */
  login: string;
  role: AccountRole;
  /** parents: their family */
  familyId?: string;
  /** parents: the only children of the family they reach (separated parents); absent = all the children */
  childIds?: string[];
  /** staff and auditors: the communes they manage, e.g. ['PEAUGRES'], or ['*'] for all */
  scope?: string[];
  email?: string;
  displayName: string;
  status: AccountStatus;
  /** argon2id hash (PHC string) of the current password */
  passwordHash?: string;
  passwordSetAt?: string;
  activation?: OneTimeToken;
  reset?: OneTimeToken;
  /**
   * Incremented every time the password is set, and when the account is disabled: a session records the
   * version it was opened under and is invalid once the account has moved on (see `sessionIsCurrent`).
   */
  credentialsVersion: number;
  disabledReason?: string;
};

/**
 * An identifiant: ASCII letters, digits and . _ - @, 3 to 64 characters. ASCII only on purpose: no
 * look-alike letters (Cyrillic « а » for Latin « a ») and no composed/decomposed accents that would
 * make two logins that look the same.
 */
export const LOGIN_PATTERN = /^[A-Za-z0-9._@-]{3,64}$/;

/** The account id of a login: trimmed and lower-case, so that « Jean.Dupont » and « jean.dupont » are one account. */
export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase();
}

/** True when the login (after trimming) is a valid identifiant. */
export function isValidLogin(login: string): boolean {
  return LOGIN_PATTERN.test(login.trim());
}
