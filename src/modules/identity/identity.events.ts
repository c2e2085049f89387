import type { DomainEvent, EventTypeDefinition } from '../../platform/domain/decider';
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
export type AccountCreated = DomainEvent<'AccountCreated', AccountCreatedData>;

export type ActivationTokenIssuedData = {
  /** SHA-256 of the token sent in the activation link (never the token itself) */
  tokenHash: string;
  expiresAt: string;
  issuedAt: string;
  issuedBy: string;
};
export type ActivationTokenIssued = DomainEvent<'ActivationTokenIssued', ActivationTokenIssuedData>;

export type AccountActivatedData = { activatedAt: string };
export type AccountActivated = DomainEvent<'AccountActivated', AccountActivatedData>;

export type PasswordSetVia = 'activation' | 'reset' | 'change' | 'admin';

export type PasswordSetData = {
  /** argon2id hash, PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash) */
  passwordHash: string;
  via: PasswordSetVia;
  setAt: string;
  /** the account's credentials version from this event on: older sessions are invalid */
  credentialsVersion: number;
};
export type PasswordSet = DomainEvent<'PasswordSet', PasswordSetData>;

export type PasswordResetRequestedData = {
  /** SHA-256 of the token sent in the reset link */
  tokenHash: string;
  expiresAt: string;
  requestedAt: string;
};
export type PasswordResetRequested = DomainEvent<'PasswordResetRequested', PasswordResetRequestedData>;

export type PasswordResetCompletedData = { completedAt: string };
export type PasswordResetCompleted = DomainEvent<'PasswordResetCompleted', PasswordResetCompletedData>;

export type AccountDisabledData = {
  /** French, free text written by staff */
  reason: string;
  disabledAt: string;
  disabledBy: string;
};
export type AccountDisabled = DomainEvent<'AccountDisabled', AccountDisabledData>;

export type AccountEnabledData = { enabledAt: string; enabledBy: string };
export type AccountEnabled = DomainEvent<'AccountEnabled', AccountEnabledData>;

/** The account's whole assignment after the change: an absent field is removed from the account. */
export type AccountScopeChangedData = {
  role: AccountRole;
  scope?: string[];
  familyId?: string;
  childIds?: string[];
  changedAt: string;
  changedBy: string;
};
export type AccountScopeChanged = DomainEvent<'AccountScopeChanged', AccountScopeChangedData>;

export type IdentityEvent =
  | AccountCreated
  | ActivationTokenIssued
  | AccountActivated
  | PasswordSet
  | PasswordResetRequested
  | PasswordResetCompleted
  | AccountDisabled
  | AccountEnabled
  | AccountScopeChanged;
export type IdentityEventType = IdentityEvent['type'];

export const IDENTITY_EVENT_TYPES: readonly IdentityEventType[] = [
  'AccountCreated',
  'ActivationTokenIssued',
  'AccountActivated',
  'PasswordSet',
  'PasswordResetRequested',
  'PasswordResetCompleted',
  'AccountDisabled',
  'AccountEnabled',
  'AccountScopeChanged',
];

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
export const identityEventTypes: EventTypeDefinition[] = [
  { type: 'AccountCreated', version: 1, personalData: ['email', 'displayName'] },
  { type: 'ActivationTokenIssued', version: 1, personalData: ['tokenHash'] },
  { type: 'AccountActivated', version: 1, personalData: [] },
  { type: 'PasswordSet', version: 1, personalData: ['passwordHash'] },
  { type: 'PasswordResetRequested', version: 1, personalData: ['tokenHash'] },
  { type: 'PasswordResetCompleted', version: 1, personalData: [] },
  { type: 'AccountDisabled', version: 1, personalData: ['reason'] },
  { type: 'AccountEnabled', version: 1, personalData: [] },
  { type: 'AccountScopeChanged', version: 1, personalData: [] },
];

/** Narrows a stored event (type + plain JSON data, already upcast) to an identity event, or null. */
export function asIdentityEvent(event: { type: string; data: Record<string, unknown> }): IdentityEvent | null {
  return (IDENTITY_EVENT_TYPES as readonly string[]).includes(event.type)
    ? ({ type: event.type, data: event.data } as unknown as IdentityEvent)
    : null;
}
