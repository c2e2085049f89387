import { type EventOf, eventTable } from '../../platform/domain/event-table';
import type { AccountRole } from './identity.types';

/** One stream per account, named by the normalized login. */
export function accountStream(accountId: string): string {
  return `account-${accountId}`;
}

const ACCOUNT_STREAM_PREFIX = 'account-';

/** The accountId of an account stream name, or null when the stream is not an account stream. */
export function accountIdFromStream(streamId: string): string | null {
  return streamId.startsWith(ACCOUNT_STREAM_PREFIX) && streamId.length > ACCOUNT_STREAM_PREFIX.length
    ? streamId.slice(ACCOUNT_STREAM_PREFIX.length)
    : null;
}

export type AccountCreatedData = {
  accountId: string;
  login: string;
  role: AccountRole;
  familyId?: string;
  childIds?: string[];
  scope?: string[];
  email?: string;
  displayName: string;
  createdAt: string;
  /** userId of the staff member, admin or system job that created the account */
  createdBy: string;
};

export type ActivationTokenIssuedData = {
  /** SHA-256 of the token sent in the activation link (never the token itself) */
  tokenHash: string;
  expiresAt: string;
  issuedAt: string;
  issuedBy: string;
};

export type AccountActivatedData = { activatedAt: string };

export type PasswordSetVia = 'activation' | 'reset' | 'change' | 'admin';

export type PasswordSetData = {
  /** argon2id hash, PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash) */
  passwordHash: string;
  via: PasswordSetVia;
  setAt: string;
  /** the account's credentials version from this event on: older sessions are invalid */
  credentialsVersion: number;
};

export type PasswordResetRequestedData = {
  /** SHA-256 of the token sent in the reset link */
  tokenHash: string;
  expiresAt: string;
  requestedAt: string;
};

export type PasswordResetCompletedData = { completedAt: string };

export type AccountDisabledData = {
  /** French, free text written by staff */
  reason: string;
  disabledAt: string;
  disabledBy: string;
};

export type AccountEnabledData = { enabledAt: string; enabledBy: string };

/** The account's whole assignment after the change: an absent field is removed from the account. */
export type AccountScopeChangedData = {
  role: AccountRole;
  scope?: string[];
  familyId?: string;
  childIds?: string[];
  changedAt: string;
  changedBy: string;
};

/** The events of this file's streams, by type. */
type IdentityEventData = {
  AccountCreated: AccountCreatedData;
  ActivationTokenIssued: ActivationTokenIssuedData;
  AccountActivated: AccountActivatedData;
  PasswordSet: PasswordSetData;
  PasswordResetRequested: PasswordResetRequestedData;
  PasswordResetCompleted: PasswordResetCompletedData;
  AccountDisabled: AccountDisabledData;
  AccountEnabled: AccountEnabledData;
  AccountScopeChanged: AccountScopeChangedData;
};

/**
 * Personal data and secrets, encrypted by the serializer under the account's key (crypto-shredding).
 *
 * Password hashes are stored in the event log on purpose: setting a password is then one atomic append
 * (no second store to keep in step), it is auditable (who set it, when, through which path) and a replay
 * rebuilds the exact credentials. What is stored is an argon2id hash (salted, memory-hard), never the
 * password; and because the hash and the one-time token hashes are marked as personal data, erasing the
 * account's key destroys them with the e-mail and the name, although the log itself never forgets.
 *
 * In clear, so that streams can be routed and projected: ids (accountId is the normalized login, which
 * also names the stream), role, scope, instants and authors. The free-text disabling reason is written
 * about the person and is marked too.
 */
export const identityEvents = eventTable<IdentityEventData>({
  AccountCreated: { version: 1, personalData: ['email', 'displayName'] },
  ActivationTokenIssued: { version: 1, personalData: ['tokenHash'] },
  AccountActivated: { version: 1, personalData: [] },
  PasswordSet: { version: 1, personalData: ['passwordHash'] },
  PasswordResetRequested: { version: 1, personalData: ['tokenHash'] },
  PasswordResetCompleted: { version: 1, personalData: [] },
  AccountDisabled: { version: 1, personalData: ['reason'] },
  AccountEnabled: { version: 1, personalData: [] },
  AccountScopeChanged: { version: 1, personalData: [] },
});

export type IdentityEvent = EventOf<IdentityEventData>;
export type AccountCreated = EventOf<IdentityEventData, 'AccountCreated'>;
export type ActivationTokenIssued = EventOf<IdentityEventData, 'ActivationTokenIssued'>;
export type AccountActivated = EventOf<IdentityEventData, 'AccountActivated'>;
export type PasswordSet = EventOf<IdentityEventData, 'PasswordSet'>;
export type PasswordResetRequested = EventOf<IdentityEventData, 'PasswordResetRequested'>;
export type PasswordResetCompleted = EventOf<IdentityEventData, 'PasswordResetCompleted'>;
export type AccountDisabled = EventOf<IdentityEventData, 'AccountDisabled'>;
export type AccountEnabled = EventOf<IdentityEventData, 'AccountEnabled'>;
export type AccountScopeChanged = EventOf<IdentityEventData, 'AccountScopeChanged'>;
