import { identityDecider } from '../../src/modules/identity/identity.decider';
import { accountIdFromStream, identityEvents } from '../../src/modules/identity/identity.events';
import type { Account } from '../../src/modules/identity/identity.types';
import type { ProjectionDefinition } from '../../src/platform/projections/projection';

/**
 * Accounts as sessions and staff screens need them: role, family or scope, status and the credentials
 * version a session must match. Built with the decider's own evolve (so it cannot drift from the rules),
 * without the secrets: password and token hashes stay in the event log, read only by the login and token
 * handlers from the account's stream.
 */
export type AccountDocument = Omit<Account, 'passwordHash' | 'activation' | 'reset'> & {
  hasPassword: boolean;
  activationPending: boolean;
  updatedAt: string;
};

type StoredAccount = Omit<Account, 'passwordHash' | 'activation' | 'reset'> & { hasPassword: boolean };

function stateOf(document: AccountDocument | null): { account: Account | null } {
  if (!document) return { account: null };
  const { hasPassword, activationPending: _a, updatedAt: _u, ...rest } = document;
  // The decider's evolve only needs to know that a password exists; the hash itself is never stored here.
  return { account: { ...rest, ...(hasPassword ? { passwordHash: '(kept in the event log)' } : {}) } };
}

export const accountsProjection: ProjectionDefinition<AccountDocument> = {
  name: 'accounts',
  version: 1,
  eventTypes: [...identityEvents.types],
  indexedFields: ['familyId', 'role', 'status'],

  documentIds(event) {
    const accountId = accountIdFromStream(event.streamId);
    return accountId ? [accountId] : [];
  },

  evolve(document, event) {
    const identityEvent = identityEvents.narrow(event);
    if (!identityEvent) return document;
    const { account } = identityDecider.evolve(stateOf(document), identityEvent);
    if (!account) return document;
    const { passwordHash, activation, reset: _reset, ...visible } = account;
    const stored: StoredAccount = { ...visible, hasPassword: passwordHash !== undefined };
    return {
      ...stored,
      activationPending: account.status === 'pending_activation' && activation !== undefined && !activation.used,
      updatedAt: event.recordedAt,
    };
  },
};
