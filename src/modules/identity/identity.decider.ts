import type { Actor, CommandMeta } from '../../platform/domain/command-target';
import type { Decider } from '../../platform/domain/decider';
import { DomainError } from '../../platform/domain/domain-error';
import { assertNever } from '../../platform/domain/exhaustive';
import type { AccountCreatedData, AccountScopeChangedData, IdentityEvent, PasswordSet, PasswordSetVia } from './identity.events';
import {
  type Account,
  ACCOUNT_ROLES,
  type AccountRole,
  ALL_COMMUNES,
  isValidLogin,
  normalizeLogin,
  type OneTimeToken,
} from './identity.types';

/*
 * The identity decider: accounts, their activation, passwords and reset links, their role and scope.
 *
 * Pure: the handler brings the time (`at`), generates the random tokens and passes their SHA-256 hex digest,
 * and hashes passwords with argon2id before calling `decide`. Nothing secret in clear ever reaches this file.
 */

// ---------------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------------

/**
 * Filled by the server for every command: the account concerned (its normalized login), when, and who
 * (a session's userId is the accountId of its account; 'system' for jobs and CLIs).
 */
export type IdentityCommandMeta = CommandMeta & { accountId: string };

export type CreateAccount = IdentityCommandMeta & {
  type: 'CreateAccount';
  login: string;
  role: AccountRole;
  familyId?: string;
  childIds?: string[];
  scope?: string[];
  email?: string;
  displayName: string;
  /** SHA-256 hex digest of the activation token sent by e-mail */
  activationTokenHash: string;
  activationExpiresAt: string;
};

/** Staff or an admin send a new activation link (the previous one stops working). */
export type IssueActivation = IdentityCommandMeta & {
  type: 'IssueActivation';
  activationTokenHash: string;
  activationExpiresAt: string;
};

/** The account holder follows the activation link and chooses a password. */
export type Activate = IdentityCommandMeta & {
  type: 'Activate';
  /** SHA-256 hex digest of the token presented */
  tokenHash: string;
  /** argon2id hash of the chosen password (already checked against the password policy) */
  passwordHash: string;
};

/** « Mot de passe oublié » — anonymous: never reveals whether the identifiant exists. */
export type RequestPasswordReset = IdentityCommandMeta & {
  type: 'RequestPasswordReset';
  tokenHash: string;
  expiresAt: string;
};

export type ResetPassword = IdentityCommandMeta & {
  type: 'ResetPassword';
  tokenHash: string;
  passwordHash: string;
};

/** The handler has verified the current password (or the actor is an admin setting it for someone else). */
export type ChangePassword = IdentityCommandMeta & {
  type: 'ChangePassword';
  passwordHash: string;
};

export type DisableAccount = IdentityCommandMeta & {
  type: 'DisableAccount';
  /** French, 1 to 500 characters */
  reason: string;
};

export type EnableAccount = IdentityCommandMeta & {
  type: 'EnableAccount';
};

/**
 * An admin changes the role or what the account reaches. With the same role, an absent field keeps its
 * value (`childIds: null` lifts a parent's restriction to some children); with a new role, the fields of
 * the old role are dropped and the new role's fields must be given.
 */
export type ChangeAccountScope = IdentityCommandMeta & {
  type: 'ChangeAccountScope';
  role?: AccountRole;
  scope?: string[];
  familyId?: string;
  childIds?: string[] | null;
};

export type IdentityCommand =
  | CreateAccount
  | IssueActivation
  | Activate
  | RequestPasswordReset
  | ResetPassword
  | ChangePassword
  | DisableAccount
  | EnableAccount
  | ChangeAccountScope;

// ---------------------------------------------------------------------------------------------------
// State and limits
// ---------------------------------------------------------------------------------------------------

export type IdentityState = { account: Account | null };

export const DISABLE_REASON_MAX_LENGTH = 500;
export const DISPLAY_NAME_MAX_LENGTH = 200;
export const EMAIL_MAX_LENGTH = 254;

/** A token hash as the handler computes it: the SHA-256 digest in lower-case hex. */
export const TOKEN_HASH_PATTERN = /^[0-9a-f]{64}$/;
/**
 * An argon2id hash in PHC format, as the `argon2` package writes it
 * ($argon2id$v=19$m=65536,p=4,t=3$<salt>$<hash>). Checked so that a plain password can never be written
 * to the log by mistake.
 */
export const PASSWORD_HASH_PATTERN = /^\$argon2id\$v=\d+\$[a-z]+=\d+(,[a-z]+=[^$,\s]+)*\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

// ---------------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------------

/**
 * The one refusal for every problem with an activation or reset link: unknown account, wrong token,
 * expired, already used, account disabled or not in the right state. The caller learns nothing about
 * the account from it.
 */
export const INVALID_OR_EXPIRED_TOKEN = 'INVALID_OR_EXPIRED_TOKEN';

function invalidToken(): DomainError {
  return new DomainError(INVALID_OR_EXPIRED_TOKEN, "Ce lien n'est plus valide. Demandez un nouveau lien.", 'invalid');
}

function accountNotFound(): DomainError {
  return new DomainError('ACCOUNT_NOT_FOUND', 'Compte introuvable.', 'not_found');
}

function forbidden(message: string): DomainError {
  return new DomainError('FORBIDDEN_ROLE', message, 'forbidden');
}

// ---------------------------------------------------------------------------------------------------
// Helpers the HTTP layer needs
// ---------------------------------------------------------------------------------------------------

export type CanLoginRefusal = 'ACCOUNT_NOT_FOUND' | 'ACCOUNT_NOT_ACTIVATED' | 'ACCOUNT_DISABLED' | 'PASSWORD_NOT_SET';

/**
 * Whether the account may open a session (the handler then verifies the password against `passwordHash`).
 * The codes are for logs and tests: the HTTP answer to a failed sign-in must be the same whatever the
 * cause (and take the same time: verify a dummy hash when there is no account), so that nobody can
 * learn which identifiants exist.
 *
 * `_at` is part of the signature for time-bound rules (a temporary lock after failed attempts); no such
 * rule is decided here yet.
 */
export function canLogin(account: Account | null, _at: string): { ok: true } | { ok: false; code: CanLoginRefusal } {
  if (!account) return { ok: false, code: 'ACCOUNT_NOT_FOUND' };
  switch (account.status) {
    case 'disabled':
      return { ok: false, code: 'ACCOUNT_DISABLED' };
    case 'pending_activation':
      return { ok: false, code: 'ACCOUNT_NOT_ACTIVATED' };
    case 'active':
      return account.passwordHash ? { ok: true } : { ok: false, code: 'PASSWORD_NOT_SET' };
    default:
      return assertNever(account.status);
  }
}

/**
 * Whether a session opened under `sessionCredentialsVersion` is still valid: the account is active and
 * its password has not been set since (nor the account disabled since, which moves the version on too).
 * Role, scope and family must be read from the account at each request, not from the session.
 */
export function sessionIsCurrent(account: Account | null, sessionCredentialsVersion: number): boolean {
  return (
    account !== null &&
    account.status === 'active' &&
    account.passwordHash !== undefined &&
    account.credentialsVersion === sessionCredentialsVersion
  );
}

// ---------------------------------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------------------------------

export const identityDecider: Decider<IdentityCommand, IdentityEvent, IdentityState> = {
  initialState: () => ({ account: null }),
  evolve,
  decide,
};

function evolve(state: IdentityState, event: IdentityEvent): IdentityState {
  switch (event.type) {
    case 'AccountCreated':
      return { account: accountFromCreation(event.data) };
    case 'ActivationTokenIssued': {
      const { tokenHash, expiresAt } = event.data;
      return update(state, (account) => ({ ...account, activation: { tokenHash, expiresAt, used: false } }));
    }
    case 'AccountActivated':
      return update(state, (account) => ({
        ...account,
        status: 'active',
        ...(account.activation ? { activation: { ...account.activation, used: true } } : {}),
      }));
    case 'PasswordSet':
      // A reset link sent before the password was set (by any path) must not work afterwards.
      return update(state, (account) => ({
        ...account,
        passwordHash: event.data.passwordHash,
        passwordSetAt: event.data.setAt,
        credentialsVersion: event.data.credentialsVersion,
        ...(account.reset ? { reset: { ...account.reset, used: true } } : {}),
      }));
    case 'PasswordResetRequested': {
      const { tokenHash, expiresAt } = event.data;
      return update(state, (account) => ({ ...account, reset: { tokenHash, expiresAt, used: false } }));
    }
    case 'PasswordResetCompleted':
      return update(state, (account) => (account.reset ? { ...account, reset: { ...account.reset, used: true } } : account));
    case 'AccountDisabled':
      // Disabling ends every session (the version moves on) and voids the links already sent: a link
      // must not come back to life when the account is enabled again.
      return update(state, ({ activation, reset, ...account }) => ({
        ...account,
        status: 'disabled',
        disabledReason: event.data.reason,
        credentialsVersion: account.credentialsVersion + 1,
      }));
    case 'AccountEnabled':
      return update(state, ({ disabledReason, ...account }) => ({
        ...account,
        status: account.passwordHash ? 'active' : 'pending_activation',
      }));
    case 'AccountScopeChanged': {
      const { role, scope, familyId, childIds } = event.data;
      return update(state, ({ scope: _scope, familyId: _familyId, childIds: _childIds, ...account }) => ({
        ...account,
        role,
        ...(scope ? { scope } : {}),
        ...(familyId ? { familyId } : {}),
        ...(childIds ? { childIds } : {}),
      }));
    }
    default:
      return assertNever(event);
  }
}

function update(state: IdentityState, change: (account: Account) => Account): IdentityState {
  return state.account ? { account: change(state.account) } : state;
}

function accountFromCreation(data: AccountCreatedData): Account {
  return {
    accountId: data.accountId,
    login: data.login,
    role: data.role,
    ...(data.familyId ? { familyId: data.familyId } : {}),
    ...(data.childIds ? { childIds: data.childIds } : {}),
    ...(data.scope ? { scope: data.scope } : {}),
    ...(data.email ? { email: data.email } : {}),
    displayName: data.displayName,
    status: 'pending_activation',
    credentialsVersion: 0,
  };
}

function decide(command: IdentityCommand, state: IdentityState): IdentityEvent[] {
  // Checks of the command itself come before any look at the state, so that they cannot reveal it.
  requireInstant(command.at);
  switch (command.type) {
    case 'CreateAccount':
      return createAccount(command, state);
    case 'IssueActivation':
      return issueActivation(command, state);
    case 'Activate':
      return activate(command, state);
    case 'RequestPasswordReset':
      return requestPasswordReset(command, state);
    case 'ResetPassword':
      return resetPassword(command, state);
    case 'ChangePassword':
      return changePassword(command, state);
    case 'DisableAccount':
      return disableAccount(command, state);
    case 'EnableAccount':
      return enableAccount(command, state);
    case 'ChangeAccountScope':
      return changeAccountScope(command, state);
    default:
      return assertNever(command);
  }
}

// --- staff and admins: accounts ----------------------------------------------------------------------

function createAccount(command: CreateAccount, state: IdentityState): IdentityEvent[] {
  requireRole(command.role);
  if (!mayManage(command.actor, command.role)) {
    throw forbidden(
      command.role === 'parent'
        ? 'Seuls les agents de la mairie et les administrateurs peuvent créer un compte parent.'
        : 'Seul un administrateur peut créer un compte agent, auditeur ou administrateur.',
    );
  }
  const login = command.login.trim();
  if (!isValidLogin(login)) {
    throw new DomainError(
      'INVALID_LOGIN',
      "L'identifiant doit comporter de 3 à 64 caractères : lettres sans accent, chiffres, point, tiret, tiret bas ou @.",
      'invalid',
    );
  }
  if (normalizeLogin(login) !== command.accountId) {
    throw new DomainError('ACCOUNT_ID_MISMATCH', "L'identifiant du compte ne correspond pas à l'identifiant de connexion.", 'invalid');
  }
  if (state.account) {
    throw new DomainError('ACCOUNT_ALREADY_EXISTS', 'Un compte existe déjà avec cet identifiant.', 'conflict');
  }
  const assignment = validateAssignment({
    role: command.role,
    scope: command.scope,
    familyId: command.familyId,
    childIds: command.childIds,
  });
  const email = validateEmail(command.email, command.role);
  const displayName = validateDisplayName(command.displayName);
  requireTokenHash(command.activationTokenHash);
  requireExpiry(command.activationExpiresAt, command.at);
  return [
    {
      type: 'AccountCreated',
      data: {
        accountId: command.accountId,
        login,
        role: assignment.role,
        ...(assignment.familyId ? { familyId: assignment.familyId } : {}),
        ...(assignment.childIds ? { childIds: assignment.childIds } : {}),
        ...(assignment.scope ? { scope: assignment.scope } : {}),
        ...(email ? { email } : {}),
        displayName,
        createdAt: command.at,
        createdBy: command.actor.userId,
      },
    },
    {
      type: 'ActivationTokenIssued',
      data: {
        tokenHash: command.activationTokenHash,
        expiresAt: command.activationExpiresAt,
        issuedAt: command.at,
        issuedBy: command.actor.userId,
      },
    },
  ];
}

function issueActivation(command: IssueActivation, state: IdentityState): IdentityEvent[] {
  requireTokenHash(command.activationTokenHash);
  requireExpiry(command.activationExpiresAt, command.at);
  const account = requireManagedAccount(command, state);
  if (account.status === 'active') {
    throw new DomainError(
      'ACCOUNT_ALREADY_ACTIVE',
      'Ce compte est déjà activé : le titulaire peut utiliser « Mot de passe oublié ? ».',
      'conflict',
    );
  }
  if (account.status === 'disabled') {
    throw new DomainError('ACCOUNT_DISABLED', "Ce compte est désactivé : réactivez-le avant d'envoyer un lien d'activation.", 'conflict');
  }
  return [
    {
      type: 'ActivationTokenIssued',
      data: {
        tokenHash: command.activationTokenHash,
        expiresAt: command.activationExpiresAt,
        issuedAt: command.at,
        issuedBy: command.actor.userId,
      },
    },
  ];
}

function disableAccount(command: DisableAccount, state: IdentityState): IdentityEvent[] {
  const account = requireManagedAccount(command, state);
  if (command.actor.userId === account.accountId) {
    throw new DomainError('CANNOT_MANAGE_OWN_ACCOUNT', 'Vous ne pouvez pas désactiver votre propre compte.', 'forbidden');
  }
  if (account.status === 'disabled') {
    throw new DomainError('ACCOUNT_ALREADY_DISABLED', 'Ce compte est déjà désactivé.', 'conflict');
  }
  const reason = command.reason.trim();
  const length = [...reason].length;
  if (length < 1 || length > DISABLE_REASON_MAX_LENGTH) {
    throw new DomainError(
      'INVALID_REASON',
      `Indiquez le motif de la désactivation (${DISABLE_REASON_MAX_LENGTH} caractères au plus).`,
      'invalid',
    );
  }
  return [{ type: 'AccountDisabled', data: { reason, disabledAt: command.at, disabledBy: command.actor.userId } }];
}

function enableAccount(command: EnableAccount, state: IdentityState): IdentityEvent[] {
  const account = requireManagedAccount(command, state);
  if (account.status !== 'disabled') {
    throw new DomainError('ACCOUNT_NOT_DISABLED', "Ce compte n'est pas désactivé.", 'conflict');
  }
  return [{ type: 'AccountEnabled', data: { enabledAt: command.at, enabledBy: command.actor.userId } }];
}

function changeAccountScope(command: ChangeAccountScope, state: IdentityState): IdentityEvent[] {
  if (!isAdmin(command.actor)) {
    throw forbidden("Seul un administrateur peut modifier le rôle ou le périmètre d'un compte.");
  }
  const account = state.account;
  if (!account) throw accountNotFound();
  const role = command.role ?? account.role;
  requireRole(role);
  if (role !== account.role && command.actor.userId === account.accountId) {
    throw new DomainError('CANNOT_MANAGE_OWN_ACCOUNT', 'Vous ne pouvez pas modifier le rôle de votre propre compte.', 'forbidden');
  }
  const sameRole = role === account.role;
  const assignment = validateAssignment({
    role,
    scope: command.scope ?? (sameRole ? account.scope : undefined),
    familyId: command.familyId ?? (sameRole ? account.familyId : undefined),
    childIds: command.childIds === null ? undefined : (command.childIds ?? (sameRole ? account.childIds : undefined)),
  });
  if (role === 'parent' && !account.email) {
    throw new DomainError(
      'EMAIL_REQUIRED',
      "Un compte parent doit avoir une adresse e-mail : les liens d'activation et de réinitialisation y sont envoyés.",
      'invalid',
    );
  }
  if (sameAssignment(account, assignment)) return [];
  const data: AccountScopeChangedData = {
    role: assignment.role,
    ...(assignment.scope ? { scope: assignment.scope } : {}),
    ...(assignment.familyId ? { familyId: assignment.familyId } : {}),
    ...(assignment.childIds ? { childIds: assignment.childIds } : {}),
    changedAt: command.at,
    changedBy: command.actor.userId,
  };
  return [{ type: 'AccountScopeChanged', data }];
}

// --- the account holder: links and passwords ---------------------------------------------------------

function activate(command: Activate, state: IdentityState): IdentityEvent[] {
  requirePasswordHash(command.passwordHash);
  const account = state.account;
  if (!account || account.status !== 'pending_activation' || !tokenAccepts(account.activation, command.tokenHash, command.at)) {
    throw invalidToken();
  }
  return [
    { type: 'AccountActivated', data: { activatedAt: command.at } },
    passwordSet(account, command.passwordHash, 'activation', command.at),
  ];
}

function requestPasswordReset(command: RequestPasswordReset, state: IdentityState): IdentityEvent[] {
  requireTokenHash(command.tokenHash);
  requireExpiry(command.expiresAt, command.at);
  const account = state.account;
  // No error and no event for an unknown, pending or disabled account: the answer must be the same
  // whether the identifiant exists or not.
  if (!account || account.status !== 'active') return [];
  return [
    {
      type: 'PasswordResetRequested',
      data: { tokenHash: command.tokenHash, expiresAt: command.expiresAt, requestedAt: command.at },
    },
  ];
}

function resetPassword(command: ResetPassword, state: IdentityState): IdentityEvent[] {
  requirePasswordHash(command.passwordHash);
  const account = state.account;
  if (!account || account.status !== 'active' || !tokenAccepts(account.reset, command.tokenHash, command.at)) {
    throw invalidToken();
  }
  return [
    { type: 'PasswordResetCompleted', data: { completedAt: command.at } },
    passwordSet(account, command.passwordHash, 'reset', command.at),
  ];
}

function changePassword(command: ChangePassword, state: IdentityState): IdentityEvent[] {
  requirePasswordHash(command.passwordHash);
  const own = command.actor.userId === command.accountId;
  if (!own && !isAdmin(command.actor)) {
    throw forbidden('Vous ne pouvez modifier que votre propre mot de passe.');
  }
  const account = state.account;
  if (!account) throw accountNotFound();
  if (account.status !== 'active') {
    throw new DomainError('ACCOUNT_NOT_ACTIVE', "Ce compte n'est pas actif : son mot de passe ne peut pas être modifié.", 'conflict');
  }
  return [passwordSet(account, command.passwordHash, own ? 'change' : 'admin', command.at)];
}

function passwordSet(account: Account, passwordHash: string, via: PasswordSetVia, at: string): PasswordSet {
  return {
    type: 'PasswordSet',
    data: { passwordHash, via, setAt: at, credentialsVersion: account.credentialsVersion + 1 },
  };
}

/** An unused link, for this token, not expired at `at` (expired from `expiresAt` on, inclusive). */
function tokenAccepts(token: OneTimeToken | undefined, presentedHash: string, at: string): boolean {
  if (!token || token.used) return false;
  if (!sameHash(token.tokenHash, presentedHash)) return false;
  // Written so that an unreadable instant counts as expired.
  return Date.parse(at) < Date.parse(token.expiresAt);
}

/**
 * Compares two hashes without stopping at the first difference. The values are SHA-256 digests of random
 * tokens, so timing could not be exploited anyway (nobody can choose a digest's prefix); constant time
 * is kept by habit for anything secret.
 */
function sameHash(expected: string, presented: string): boolean {
  if (typeof presented !== 'string' || expected.length !== presented.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ presented.charCodeAt(i);
  return difference === 0;
}

// --- rules shared by the commands --------------------------------------------------------------------

type Assignment = { role: AccountRole; scope?: string[]; familyId?: string; childIds?: string[] };

function isAdmin(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'system';
}

/** Staff manage parent accounts; admins (and system jobs) manage every account. */
function mayManage(actor: Actor, accountRole: AccountRole): boolean {
  return isAdmin(actor) || (actor.role === 'staff' && accountRole === 'parent');
}

/** The account of a staff/admin command, once the actor may manage accounts at all and this one in particular. */
function requireManagedAccount(command: IssueActivation | DisableAccount | EnableAccount, state: IdentityState): Account {
  // Checked before looking the account up, so that parents and auditors cannot probe which accounts exist.
  if (!isAdmin(command.actor) && command.actor.role !== 'staff') {
    throw forbidden('Seuls les agents de la mairie et les administrateurs peuvent gérer les comptes.');
  }
  const account = state.account;
  if (!account) throw accountNotFound();
  if (!mayManage(command.actor, account.role)) {
    throw forbidden('Seul un administrateur peut gérer un compte agent, auditeur ou administrateur.');
  }
  return account;
}

function requireRole(role: string): asserts role is AccountRole {
  if (!(ACCOUNT_ROLES as readonly string[]).includes(role)) {
    throw new DomainError('INVALID_ROLE', 'Le rôle doit être parent, agent (staff), auditeur ou administrateur.', 'invalid');
  }
}

function invalidAssignment(message: string): DomainError {
  return new DomainError('INVALID_ROLE_ASSIGNMENT', message, 'invalid');
}

/** The fields a role carries: a parent a family (and maybe some children), staff and auditors communes. */
function validateAssignment(input: Assignment): Assignment {
  const { role, scope, familyId, childIds } = input;
  switch (role) {
    case 'parent': {
      if (scope !== undefined) throw invalidAssignment("Un compte parent n'a pas de périmètre de communes.");
      const family = familyId?.trim();
      if (!family) {
        throw new DomainError('FAMILY_REQUIRED', 'Un compte parent doit être rattaché à une famille.', 'invalid');
      }
      if (childIds === undefined) return { role, familyId: family };
      const children = distinctTrimmed(childIds);
      if (!children || children.length === 0) {
        throw invalidAssignment(
          'La liste des enfants accessibles ne peut pas être vide ni contenir un identifiant vide (sans liste : tous les enfants de la famille).',
        );
      }
      return { role, familyId: family, childIds: children };
    }
    case 'staff':
    case 'auditor': {
      if (familyId !== undefined || childIds !== undefined) {
        throw invalidAssignment('Seul un compte parent est rattaché à une famille ou à des enfants.');
      }
      if (!scope || scope.length === 0) {
        throw new DomainError('SCOPE_REQUIRED', 'Indiquez au moins une commune gérée par ce compte (ou « * » pour toutes).', 'invalid');
      }
      const communes = distinctTrimmed(scope);
      if (!communes) throw invalidAssignment('Le nom de commune ne peut pas être vide.');
      return { role, scope: communes.includes(ALL_COMMUNES) ? [ALL_COMMUNES] : communes };
    }
    case 'admin':
      if (scope !== undefined || familyId !== undefined || childIds !== undefined) {
        throw invalidAssignment("Un compte administrateur a accès à tout : il n'a ni famille ni périmètre de communes.");
      }
      return { role };
    default:
      return assertNever(role);
  }
}

/** The values trimmed, without repeats, in their order; null when one of them is blank. */
function distinctTrimmed(values: string[]): string[] | null {
  const trimmed = values.map((value) => value.trim());
  if (trimmed.some((value) => value.length === 0)) return null;
  return [...new Set(trimmed)];
}

function sameAssignment(account: Account, assignment: Assignment): boolean {
  return (
    account.role === assignment.role &&
    account.familyId === assignment.familyId &&
    sameList(account.scope, assignment.scope) &&
    sameList(account.childIds, assignment.childIds)
  );
}

function sameList(a: string[] | undefined, b: string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function validateEmail(email: string | undefined, role: AccountRole): string | undefined {
  const trimmed = email?.trim();
  if (!trimmed) {
    if (role === 'parent') {
      throw new DomainError(
        'EMAIL_REQUIRED',
        "Un compte parent doit avoir une adresse e-mail : le lien d'activation y est envoyé.",
        'invalid',
      );
    }
    return undefined;
  }
  if (trimmed.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(trimmed)) {
    throw new DomainError('INVALID_EMAIL', "L'adresse e-mail n'est pas valide.", 'invalid');
  }
  return trimmed;
}

function validateDisplayName(displayName: string): string {
  const trimmed = displayName.trim();
  if (trimmed.length === 0 || [...trimmed].length > DISPLAY_NAME_MAX_LENGTH) {
    throw new DomainError(
      'INVALID_DISPLAY_NAME',
      `Indiquez le nom affiché du compte (${DISPLAY_NAME_MAX_LENGTH} caractères au plus).`,
      'invalid',
    );
  }
  return trimmed;
}

function isInstant(value: string): boolean {
  return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

function requireInstant(at: string): void {
  if (!isInstant(at)) {
    throw new DomainError('INVALID_INSTANT', "L'horodatage de la demande est invalide.", 'invalid');
  }
}

/** A link's expiry: a readable instant after `at`. */
function requireExpiry(expiresAt: string, at: string): void {
  if (!isInstant(expiresAt) || !(Date.parse(expiresAt) > Date.parse(at))) {
    throw new DomainError('INVALID_EXPIRY', "La date d'expiration du lien doit être postérieure à sa création.", 'invalid');
  }
}

function requireTokenHash(tokenHash: string): void {
  if (typeof tokenHash !== 'string' || !TOKEN_HASH_PATTERN.test(tokenHash)) {
    throw new DomainError(
      'INVALID_TOKEN_HASH',
      "L'empreinte du lien doit être un condensat SHA-256 en hexadécimal (jamais le jeton lui-même).",
      'invalid',
    );
  }
}

function requirePasswordHash(passwordHash: string): void {
  if (typeof passwordHash !== 'string' || !PASSWORD_HASH_PATTERN.test(passwordHash)) {
    throw new DomainError(
      'INVALID_PASSWORD_HASH',
      "Le mot de passe doit être transmis sous forme d'empreinte argon2id (jamais en clair).",
      'invalid',
    );
  }
}
