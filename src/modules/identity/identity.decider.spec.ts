import { DeciderSpecification } from '../../../test/support/decider-specification';
import type { Actor } from '../../platform/domain/command-target';
import { fold } from '../../platform/domain/decider';
import {
  canLogin,
  type ChangeAccountScope,
  type CreateAccount,
  type IdentityCommand,
  identityDecider,
  type IdentityState,
  sessionIsCurrent,
} from './identity.decider';
import {
  type AccountCreated,
  accountIdFromStream,
  accountStream,
  type IdentityEvent,
  identityEvents,
  type PasswordSetVia,
} from './identity.events';
import { type Account, LOGIN_PATTERN, normalizeLogin } from './identity.types';

const spec = DeciderSpecification.for(identityDecider);

// --- instants ----------------------------------------------------------------------------------------
const CREATED_AT = '2026-03-02T09:00:00.000Z';
const ACTIVATION_EXPIRES = '2026-03-09T09:00:00.000Z';
const ACTIVATED_AT = '2026-03-03T18:30:00.000Z';
const LATER = '2026-04-10T07:45:00.000Z';
const RESET_EXPIRES = '2026-04-10T08:45:00.000Z';
const MUCH_LATER = '2026-05-01T12:00:00.000Z';

// --- actors ------------------------------------------------------------------------------------------
const ADMIN: Actor = { userId: 'admin.siej', role: 'admin' };
const STAFF: Actor = { userId: 'agent.peaugres', role: 'staff' };
const AUDITOR: Actor = { userId: 'auditeur.cc', role: 'auditor' };
const SYSTEM: Actor = { userId: 'seed', role: 'system' };
const JEAN: Actor = { userId: 'jean.dupont', role: 'parent' };
/** The actor of a request from someone not signed in (activation and reset links). */
const ANONYMOUS: Actor = { userId: 'anonymous', role: 'anonymous' };

// --- secrets as the handler passes them (SHA-256 hex digests, argon2id hashes) ----------------------
const ACTIVATION_HASH = 'a1'.repeat(32);
const NEW_ACTIVATION_HASH = 'a2'.repeat(32);
const RESET_HASH = 'b1'.repeat(32);
const NEW_RESET_HASH = 'b2'.repeat(32);
const WRONG_HASH = 'ff'.repeat(32);
const PASSWORD_HASH_1 = '$argon2id$v=19$m=65536,p=4,t=3$SG8Qn3lhQVZxqHp+NhGFgw$XcssUhT4fiMupbz7BOU9U5+n5xO1YLlC4lOPNVNlaQo';
const PASSWORD_HASH_2 = '$argon2id$v=19$m=65536,p=4,t=3$c2FsdHNhbHRzYWx0c2FsdA$0Nnmnu5Uh+OhFQtUqgkU1xzy2fZBlrKcDD4gZ5UeZKs';
const PASSWORD_HASH_3 = '$argon2id$v=19$m=65536,t=3,p=4$bm91dmVhdXNlbA$Jc4kR3Yo3aEd8qVjDCbD1pWuU8GoN2O7kQzS0b6CmBk';

const JEAN_ID = 'jean.dupont';
const FAMILY_ID = 'fam-1001001818331';

// --- commands ----------------------------------------------------------------------------------------

function createJean(overrides: Partial<CreateAccount> = {}): CreateAccount {
  return {
    type: 'CreateAccount',
    accountId: JEAN_ID,
    at: CREATED_AT,
    actor: STAFF,
    login: 'Jean.Dupont',
    role: 'parent',
    familyId: FAMILY_ID,
    email: 'jean.dupont@example.fr',
    displayName: 'DUPONT JEAN',
    activationTokenHash: ACTIVATION_HASH,
    activationExpiresAt: ACTIVATION_EXPIRES,
    ...overrides,
  };
}

function createStaff(overrides: Partial<CreateAccount> = {}): CreateAccount {
  return {
    type: 'CreateAccount',
    accountId: 'agent.peaugres',
    at: CREATED_AT,
    actor: ADMIN,
    login: 'agent.peaugres',
    role: 'staff',
    scope: ['PEAUGRES'],
    email: 'accueil@mairie-peaugres.fr',
    displayName: 'Accueil mairie de Peaugres',
    activationTokenHash: ACTIVATION_HASH,
    activationExpiresAt: ACTIVATION_EXPIRES,
    ...overrides,
  };
}

/** A command without the metadata the server fills in. */
type CommandBody<C> = C extends IdentityCommand ? Omit<C, 'accountId' | 'at' | 'actor'> : never;

/** A command on Jean's account, by `actor`, at `at`. */
function onJean(command: CommandBody<IdentityCommand>, actor: Actor, at: string): IdentityCommand {
  return { accountId: JEAN_ID, at, actor, ...command } as IdentityCommand;
}

const activate = (tokenHash = ACTIVATION_HASH, at = ACTIVATED_AT, passwordHash = PASSWORD_HASH_1): IdentityCommand =>
  onJean({ type: 'Activate', tokenHash, passwordHash }, ANONYMOUS, at);
const requestReset = (tokenHash = RESET_HASH, at = LATER, expiresAt = RESET_EXPIRES): IdentityCommand =>
  onJean({ type: 'RequestPasswordReset', tokenHash, expiresAt }, ANONYMOUS, at);
const resetPassword = (tokenHash = RESET_HASH, at = LATER, passwordHash = PASSWORD_HASH_2): IdentityCommand =>
  onJean({ type: 'ResetPassword', tokenHash, passwordHash }, ANONYMOUS, at);
const changePassword = (actor: Actor = JEAN, passwordHash = PASSWORD_HASH_3, at = LATER): IdentityCommand =>
  onJean({ type: 'ChangePassword', passwordHash }, actor, at);
const disableJean = (actor: Actor = STAFF, reason = 'Famille partie de la commune', at = LATER): IdentityCommand =>
  onJean({ type: 'DisableAccount', reason }, actor, at);
const enableJean = (actor: Actor = STAFF, at = MUCH_LATER): IdentityCommand => onJean({ type: 'EnableAccount' }, actor, at);
const issueActivation = (
  actor: Actor = STAFF,
  tokenHash = NEW_ACTIVATION_HASH,
  at = LATER,
  expiresAt = '2026-04-17T07:45:00.000Z',
): IdentityCommand => onJean({ type: 'IssueActivation', activationTokenHash: tokenHash, activationExpiresAt: expiresAt }, actor, at);

// --- events ------------------------------------------------------------------------------------------

const jeanCreated: AccountCreated = {
  type: 'AccountCreated',
  data: {
    accountId: JEAN_ID,
    login: 'Jean.Dupont',
    role: 'parent',
    familyId: FAMILY_ID,
    email: 'jean.dupont@example.fr',
    displayName: 'DUPONT JEAN',
    createdAt: CREATED_AT,
    createdBy: STAFF.userId,
  },
};

function activationIssued(
  tokenHash = ACTIVATION_HASH,
  expiresAt = ACTIVATION_EXPIRES,
  issuedAt = CREATED_AT,
  issuedBy = STAFF.userId,
): IdentityEvent {
  return { type: 'ActivationTokenIssued', data: { tokenHash, expiresAt, issuedAt, issuedBy } };
}

function passwordSet(passwordHash: string, via: PasswordSetVia, setAt: string, credentialsVersion: number): IdentityEvent {
  return { type: 'PasswordSet', data: { passwordHash, via, setAt, credentialsVersion } };
}

function resetRequested(tokenHash = RESET_HASH, requestedAt = LATER, expiresAt = RESET_EXPIRES): IdentityEvent {
  return { type: 'PasswordResetRequested', data: { tokenHash, expiresAt, requestedAt } };
}

const jeanActivated: IdentityEvent = { type: 'AccountActivated', data: { activatedAt: ACTIVATED_AT } };
const jeanPasswordSet = passwordSet(PASSWORD_HASH_1, 'activation', ACTIVATED_AT, 1);
/** Jean's account, created by staff and not yet activated. */
const pendingJean: IdentityEvent[] = [jeanCreated, activationIssued()];
/** Jean's account, activated with a first password (credentials version 1). */
const activeJean: IdentityEvent[] = [...pendingJean, jeanActivated, jeanPasswordSet];
const jeanDisabled: IdentityEvent = {
  type: 'AccountDisabled',
  data: { reason: 'Famille partie de la commune', disabledAt: LATER, disabledBy: STAFF.userId },
};

function accountAfter(events: IdentityEvent[]): Account {
  const state: IdentityState = fold(identityDecider, events);
  if (!state.account) throw new Error('no account');
  return state.account;
}

const TOKEN_MESSAGE = "Ce lien n'est plus valide. Demandez un nouveau lien.";

describe('identity decider', () => {
  describe('CreateAccount', () => {
    it('creates a parent account (by staff) and issues its activation link', () => {
      const state = spec.given([]).when(createJean()).then([jeanCreated, activationIssued()]);
      expect(state.account).toEqual({
        accountId: JEAN_ID,
        login: 'Jean.Dupont',
        role: 'parent',
        familyId: FAMILY_ID,
        email: 'jean.dupont@example.fr',
        displayName: 'DUPONT JEAN',
        status: 'pending_activation',
        activation: { tokenHash: ACTIVATION_HASH, expiresAt: ACTIVATION_EXPIRES, used: false },
        credentialsVersion: 0,
      });
    });

    it('keeps the login as given (trimmed) while the account id is the normalized login', () => {
      const [created] = identityDecider.decide(createJean({ login: '  Jean.Dupont ' }), identityDecider.initialState());
      expect(created).toMatchObject({ type: 'AccountCreated', data: { accountId: 'jean.dupont', login: 'Jean.Dupont' } });
    });

    it('restricts a separated parent to the children they share (repeats removed)', () => {
      const [created] = identityDecider.decide(
        createJean({ childIds: ['child-lucas', ' child-lucas', 'child-lea'] }),
        identityDecider.initialState(),
      );
      expect(created).toMatchObject({ data: { childIds: ['child-lucas', 'child-lea'] } });
    });

    it('creates staff, auditor and admin accounts by an admin or a system job', () => {
      const state = spec
        .given([])
        .when(createStaff())
        .then([
          {
            type: 'AccountCreated',
            data: {
              accountId: 'agent.peaugres',
              login: 'agent.peaugres',
              role: 'staff',
              scope: ['PEAUGRES'],
              email: 'accueil@mairie-peaugres.fr',
              displayName: 'Accueil mairie de Peaugres',
              createdAt: CREATED_AT,
              createdBy: ADMIN.userId,
            },
          },
          activationIssued(ACTIVATION_HASH, ACTIVATION_EXPIRES, CREATED_AT, ADMIN.userId),
        ]);
      expect(state.account).toMatchObject({ role: 'staff', scope: ['PEAUGRES'], status: 'pending_activation' });

      const [auditor] = identityDecider.decide(
        createStaff({ accountId: 'auditeur.cc', login: 'auditeur.cc', role: 'auditor', scope: ['*'], actor: SYSTEM, email: undefined }),
        identityDecider.initialState(),
      );
      expect(auditor).toMatchObject({ data: { role: 'auditor', scope: ['*'], createdBy: 'seed' } });
      expect(auditor.data).not.toHaveProperty('email');

      const [admin] = identityDecider.decide(
        createStaff({ accountId: 'admin.siej', login: 'admin.siej', role: 'admin', scope: undefined }),
        identityDecider.initialState(),
      );
      expect(admin).toMatchObject({ data: { role: 'admin' } });
      expect(admin.data).not.toHaveProperty('scope');
    });

    it('collapses a scope holding « * » to every commune, and trims commune names', () => {
      const [created] = identityDecider.decide(createStaff({ scope: [' PEAUGRES ', '*'] }), identityDecider.initialState());
      expect(created).toMatchObject({ data: { scope: ['*'] } });
      const [trimmed] = identityDecider.decide(
        createStaff({ scope: [' PEAUGRES ', 'ANNONAY', 'PEAUGRES'] }),
        identityDecider.initialState(),
      );
      expect(trimmed).toMatchObject({ data: { scope: ['PEAUGRES', 'ANNONAY'] } });
    });

    it('refuses a second account with the same identifiant (409 ACCOUNT_ALREADY_EXISTS)', () => {
      spec.given(pendingJean).when(createJean()).thenThrows('ACCOUNT_ALREADY_EXISTS', 'conflict');
      spec
        .given(activeJean)
        .when(createJean({ login: 'JEAN.DUPONT' }))
        .thenThrows('ACCOUNT_ALREADY_EXISTS', 'conflict');
    });

    it('requires an e-mail for a parent, where the activation link goes (422 EMAIL_REQUIRED)', () => {
      spec
        .given([])
        .when(createJean({ email: undefined }))
        .thenThrows('EMAIL_REQUIRED', 'invalid');
      const error = spec
        .given([])
        .when(createJean({ email: '   ' }))
        .thenThrows('EMAIL_REQUIRED', 'invalid');
      expect(error.message).toContain('adresse e-mail');
    });

    it('refuses a malformed e-mail (422 INVALID_EMAIL)', () => {
      spec
        .given([])
        .when(createJean({ email: 'jean.dupont' }))
        .thenThrows('INVALID_EMAIL', 'invalid');
      spec
        .given([])
        .when(createJean({ email: 'jean dupont@example.fr' }))
        .thenThrows('INVALID_EMAIL', 'invalid');
      spec
        .given([])
        .when(createStaff({ email: 'accueil@' }))
        .thenThrows('INVALID_EMAIL', 'invalid');
    });

    it('requires a family for a parent (422 FAMILY_REQUIRED)', () => {
      spec
        .given([])
        .when(createJean({ familyId: undefined }))
        .thenThrows('FAMILY_REQUIRED', 'invalid');
      spec
        .given([])
        .when(createJean({ familyId: ' ' }))
        .thenThrows('FAMILY_REQUIRED', 'invalid');
    });

    it('requires a non-empty scope for staff and auditors (422 SCOPE_REQUIRED)', () => {
      spec
        .given([])
        .when(createStaff({ scope: undefined }))
        .thenThrows('SCOPE_REQUIRED', 'invalid');
      spec
        .given([])
        .when(createStaff({ scope: [] }))
        .thenThrows('SCOPE_REQUIRED', 'invalid');
      spec
        .given([])
        .when(createStaff({ role: 'auditor', scope: [] }))
        .thenThrows('SCOPE_REQUIRED', 'invalid');
    });

    it('refuses fields that do not belong to the role (422 INVALID_ROLE_ASSIGNMENT)', () => {
      spec
        .given([])
        .when(createJean({ scope: ['PEAUGRES'] }))
        .thenThrows('INVALID_ROLE_ASSIGNMENT', 'invalid');
      spec
        .given([])
        .when(createJean({ childIds: [] }))
        .thenThrows('INVALID_ROLE_ASSIGNMENT', 'invalid');
      spec
        .given([])
        .when(createStaff({ familyId: FAMILY_ID }))
        .thenThrows('INVALID_ROLE_ASSIGNMENT', 'invalid');
      spec
        .given([])
        .when(createStaff({ scope: ['PEAUGRES', ' '] }))
        .thenThrows('INVALID_ROLE_ASSIGNMENT', 'invalid');
      spec
        .given([])
        .when(createStaff({ role: 'admin' }))
        .thenThrows('INVALID_ROLE_ASSIGNMENT', 'invalid');
    });

    it('lets staff create parent accounts only; staff, auditor and admin accounts are for admins (403 FORBIDDEN_ROLE)', () => {
      spec
        .given([])
        .when(createStaff({ actor: STAFF }))
        .thenThrows('FORBIDDEN_ROLE', 'forbidden');
      spec
        .given([])
        .when(createStaff({ actor: STAFF, role: 'auditor' }))
        .thenThrows('FORBIDDEN_ROLE', 'forbidden');
      spec
        .given([])
        .when(createStaff({ actor: STAFF, role: 'admin', scope: undefined }))
        .thenThrows('FORBIDDEN_ROLE', 'forbidden');
      spec
        .given([])
        .when(createJean({ actor: JEAN }))
        .thenThrows('FORBIDDEN_ROLE', 'forbidden');
      spec
        .given([])
        .when(createJean({ actor: AUDITOR }))
        .thenThrows('FORBIDDEN_ROLE', 'forbidden');
      spec
        .given([])
        .when(createJean({ actor: ANONYMOUS }))
        .thenThrows('FORBIDDEN_ROLE', 'forbidden');
      // admins and system jobs may create parent accounts too
      expect(identityDecider.decide(createJean({ actor: ADMIN }), identityDecider.initialState())).toHaveLength(2);
      expect(identityDecider.decide(createJean({ actor: SYSTEM }), identityDecider.initialState())).toHaveLength(2);
    });

    it('refuses an identifiant outside letters, digits and . _ - @, 3 to 64 characters (422 INVALID_LOGIN)', () => {
      for (const login of ['jd', 'jean dupont', 'jéan.dupont', 'jean/dupont', 'x'.repeat(65), '']) {
        spec
          .given([])
          .when(createJean({ login, accountId: normalizeLogin(login) }))
          .thenThrows('INVALID_LOGIN', 'invalid');
      }
      const longest = 'j'.repeat(60) + '@a.f';
      expect(identityDecider.decide(createJean({ login: longest, accountId: longest }), identityDecider.initialState())).toHaveLength(2);
    });

    it('refuses an account id that is not the normalized login (422 ACCOUNT_ID_MISMATCH)', () => {
      spec
        .given([])
        .when(createJean({ accountId: 'Jean.Dupont' }))
        .thenThrows('ACCOUNT_ID_MISMATCH', 'invalid');
      spec
        .given([])
        .when(createJean({ accountId: 'marie.dupont' }))
        .thenThrows('ACCOUNT_ID_MISMATCH', 'invalid');
    });

    it('refuses an unknown role (422 INVALID_ROLE)', () => {
      const command = { ...createJean(), role: 'superuser' } as unknown as CreateAccount;
      spec.given([]).when(command).thenThrows('INVALID_ROLE', 'invalid');
    });

    it('requires a display name of 1 to 200 characters (422 INVALID_DISPLAY_NAME)', () => {
      spec
        .given([])
        .when(createJean({ displayName: '  ' }))
        .thenThrows('INVALID_DISPLAY_NAME', 'invalid');
      spec
        .given([])
        .when(createJean({ displayName: 'D'.repeat(201) }))
        .thenThrows('INVALID_DISPLAY_NAME', 'invalid');
    });

    it('refuses a token that is not a SHA-256 hex digest, so that a raw token is never stored (422 INVALID_TOKEN_HASH)', () => {
      spec
        .given([])
        .when(createJean({ activationTokenHash: 'mQ3x9Jt0wZbq1m2n3o4p5q6r7s8t9u0v1w2x3y4z5a6' }))
        .thenThrows('INVALID_TOKEN_HASH', 'invalid');
      spec
        .given([])
        .when(createJean({ activationTokenHash: '' }))
        .thenThrows('INVALID_TOKEN_HASH', 'invalid');
    });

    it('refuses an activation link that would expire before it is sent (422 INVALID_EXPIRY)', () => {
      spec
        .given([])
        .when(createJean({ activationExpiresAt: CREATED_AT }))
        .thenThrows('INVALID_EXPIRY', 'invalid');
      spec
        .given([])
        .when(createJean({ activationExpiresAt: 'next week' }))
        .thenThrows('INVALID_EXPIRY', 'invalid');
    });

    it('refuses a command whose instant is not an ISO instant (422 INVALID_INSTANT)', () => {
      spec
        .given([])
        .when(createJean({ at: '02/03/2026' }))
        .thenThrows('INVALID_INSTANT', 'invalid');
    });
  });

  describe('IssueActivation (staff or admin resend the activation link)', () => {
    it('issues a new link; the previous one stops working and the new one activates', () => {
      const reissued = activationIssued(NEW_ACTIVATION_HASH, '2026-04-17T07:45:00.000Z', LATER, STAFF.userId);
      const state = spec.given(pendingJean).when(issueActivation()).then([reissued]);
      expect(state.account?.activation).toEqual({
        tokenHash: NEW_ACTIVATION_HASH,
        expiresAt: '2026-04-17T07:45:00.000Z',
        used: false,
      });
      spec
        .given([...pendingJean, reissued])
        .when(activate(ACTIVATION_HASH, LATER))
        .thenThrows('INVALID_OR_EXPIRED_TOKEN', 'invalid');
      spec
        .given([...pendingJean, reissued])
        .when(activate(NEW_ACTIVATION_HASH, LATER))
        .then([{ type: 'AccountActivated', data: { activatedAt: LATER } }, passwordSet(PASSWORD_HASH_1, 'activation', LATER, 1)]);
    });

    it('lets an admin resend a staff account’s link, but not staff (403 FORBIDDEN_ROLE)', () => {
      const staffPending = fold(identityDecider, []);
      const [created, issued] = identityDecider.decide(createStaff(), staffPending);
      const command: IdentityCommand = {
        type: 'IssueActivation',
        accountId: 'agent.peaugres',
        at: LATER,
        actor: STAFF,
        activationTokenHash: NEW_ACTIVATION_HASH,
        activationExpiresAt: '2026-04-17T07:45:00.000Z',
      };
      spec.given([created, issued]).when(command).thenThrows('FORBIDDEN_ROLE', 'forbidden');
      expect(identityDecider.decide({ ...command, actor: ADMIN }, fold(identityDecider, [created, issued]))).toHaveLength(1);
    });

    it('is refused once the account is active (409 ACCOUNT_ALREADY_ACTIVE)', () => {
      spec.given(activeJean).when(issueActivation()).thenThrows('ACCOUNT_ALREADY_ACTIVE', 'conflict');
    });

    it('is refused while the account is disabled (409 ACCOUNT_DISABLED)', () => {
      spec
        .given([...pendingJean, jeanDisabled])
        .when(issueActivation(STAFF, NEW_ACTIVATION_HASH, MUCH_LATER, '2026-05-08T12:00:00.000Z'))
        .thenThrows('ACCOUNT_DISABLED', 'conflict');
    });

    it('answers 404 ACCOUNT_NOT_FOUND for an unknown account', () => {
      spec.given([]).when(issueActivation()).thenThrows('ACCOUNT_NOT_FOUND', 'not_found');
    });

    it('is refused to parents and auditors before the account is even looked up (403 FORBIDDEN_ROLE)', () => {
      spec.given([]).when(issueActivation(JEAN)).thenThrows('FORBIDDEN_ROLE', 'forbidden');
      spec.given(pendingJean).when(issueActivation(AUDITOR)).thenThrows('FORBIDDEN_ROLE', 'forbidden');
    });

    it('refuses a raw token or a past expiry (422)', () => {
      spec.given(pendingJean).when(issueActivation(STAFF, 'not-a-digest')).thenThrows('INVALID_TOKEN_HASH', 'invalid');
      spec
        .given(pendingJean)
        .when(onJean({ type: 'IssueActivation', activationTokenHash: NEW_ACTIVATION_HASH, activationExpiresAt: CREATED_AT }, STAFF, LATER))
        .thenThrows('INVALID_EXPIRY', 'invalid');
    });
  });

  describe('Activate', () => {
    it('activates the account and sets its first password (credentials version 1)', () => {
      const state = spec.given(pendingJean).when(activate()).then([jeanActivated, jeanPasswordSet]);
      expect(state.account).toMatchObject({
        status: 'active',
        passwordHash: PASSWORD_HASH_1,
        passwordSetAt: ACTIVATED_AT,
        credentialsVersion: 1,
        activation: { tokenHash: ACTIVATION_HASH, used: true },
      });
    });

    it('works one millisecond before the expiry, and no longer at the exact expiry instant', () => {
      spec
        .given(pendingJean)
        .when(activate(ACTIVATION_HASH, '2026-03-09T08:59:59.999Z'))
        .then([
          { type: 'AccountActivated', data: { activatedAt: '2026-03-09T08:59:59.999Z' } },
          passwordSet(PASSWORD_HASH_1, 'activation', '2026-03-09T08:59:59.999Z', 1),
        ]);
      spec.given(pendingJean).when(activate(ACTIVATION_HASH, ACTIVATION_EXPIRES)).thenThrows('INVALID_OR_EXPIRED_TOKEN', 'invalid');
      spec.given(pendingJean).when(activate(ACTIVATION_HASH, MUCH_LATER)).thenThrows('INVALID_OR_EXPIRED_TOKEN', 'invalid');
    });

    it('compares instants, not strings: the same expiry written with an offset still expires on time', () => {
      // 10:00+01:00 is 09:00Z, the expiry
      spec
        .given(pendingJean)
        .when(activate(ACTIVATION_HASH, '2026-03-09T10:00:00+01:00'))
        .thenThrows('INVALID_OR_EXPIRED_TOKEN', 'invalid');
    });

    it('gives the same refusal, with the same French message, for every token problem', () => {
      const cases: Array<[string, IdentityEvent[], IdentityCommand]> = [
        ['unknown account', [], activate()],
        ['wrong token', pendingJean, activate(WRONG_HASH)],
        ['expired token', pendingJean, activate(ACTIVATION_HASH, ACTIVATION_EXPIRES)],
        ['already used', activeJean, activate(ACTIVATION_HASH, '2026-03-04T08:00:00.000Z')],
        ['disabled account', [...pendingJean, jeanDisabled], activate(ACTIVATION_HASH, '2026-03-04T08:00:00.000Z')],
        [
          'disabled then enabled: the old link stays void',
          [...pendingJean, jeanDisabled, { type: 'AccountEnabled', data: { enabledAt: LATER, enabledBy: STAFF.userId } }],
          activate(ACTIVATION_HASH, '2026-03-04T08:00:00.000Z'),
        ],
        ['a reset token used as an activation token', [...activeJean, resetRequested()], activate(RESET_HASH, LATER)],
      ];
      for (const [, given, command] of cases) {
        const error = spec.given(given).when(command).thenThrows('INVALID_OR_EXPIRED_TOKEN', 'invalid');
        expect(error.message).toBe(TOKEN_MESSAGE);
      }
    });

    it('refuses a password that is not an argon2id hash, so that no plain password reaches the log (422 INVALID_PASSWORD_HASH)', () => {
      spec
        .given(pendingJean)
        .when(activate(ACTIVATION_HASH, ACTIVATED_AT, 'Ch3val-Bleu-Lavande'))
        .thenThrows('INVALID_PASSWORD_HASH', 'invalid');
      spec
        .given(pendingJean)
        .when(activate(ACTIVATION_HASH, ACTIVATED_AT, '$2b$12$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012'))
        .thenThrows('INVALID_PASSWORD_HASH', 'invalid');
    });
  });

  describe('RequestPasswordReset (« Mot de passe oublié ? »)', () => {
    it('issues a reset link for an active account', () => {
      const state = spec.given(activeJean).when(requestReset()).then([resetRequested()]);
      expect(state.account?.reset).toEqual({ tokenHash: RESET_HASH, expiresAt: RESET_EXPIRES, used: false });
    });

    it('answers with no event and no error for an unknown, pending or disabled account', () => {
      spec.given([]).when(requestReset()).then([]);
      spec.given(pendingJean).when(requestReset()).then([]);
      spec
        .given([...activeJean, jeanDisabled])
        .when(requestReset(RESET_HASH, MUCH_LATER, '2026-05-01T13:00:00.000Z'))
        .then([]);
    });

    it('checks the command before the account, so that a malformed request is refused alike whether the account exists or not', () => {
      for (const given of [[], activeJean]) {
        spec.given(given).when(requestReset('raw-token')).thenThrows('INVALID_TOKEN_HASH', 'invalid');
        spec
          .given(given)
          .when(requestReset(RESET_HASH, LATER, LATER))
          .thenThrows('INVALID_EXPIRY', 'invalid');
      }
    });

    it('replaces the previous link: only the newest one resets the password', () => {
      const second = resetRequested(NEW_RESET_HASH, '2026-04-10T08:00:00.000Z', '2026-04-10T09:00:00.000Z');
      spec
        .given([...activeJean, resetRequested()])
        .when(requestReset(NEW_RESET_HASH, '2026-04-10T08:00:00.000Z', '2026-04-10T09:00:00.000Z'))
        .then([second]);
      spec
        .given([...activeJean, resetRequested(), second])
        .when(resetPassword(RESET_HASH, '2026-04-10T08:10:00.000Z'))
        .thenThrows('INVALID_OR_EXPIRED_TOKEN', 'invalid');
      spec
        .given([...activeJean, resetRequested(), second])
        .when(resetPassword(NEW_RESET_HASH, '2026-04-10T08:10:00.000Z'))
        .then([
          { type: 'PasswordResetCompleted', data: { completedAt: '2026-04-10T08:10:00.000Z' } },
          passwordSet(PASSWORD_HASH_2, 'reset', '2026-04-10T08:10:00.000Z', 2),
        ]);
    });
  });

  describe('ResetPassword', () => {
    const withReset = [...activeJean, resetRequested()];
    const resetCompleted: IdentityEvent = { type: 'PasswordResetCompleted', data: { completedAt: '2026-04-10T08:00:00.000Z' } };

    it('sets the new password and uses the link up (credentials version 2)', () => {
      const state = spec
        .given(withReset)
        .when(resetPassword(RESET_HASH, '2026-04-10T08:00:00.000Z'))
        .then([resetCompleted, passwordSet(PASSWORD_HASH_2, 'reset', '2026-04-10T08:00:00.000Z', 2)]);
      expect(state.account).toMatchObject({
        passwordHash: PASSWORD_HASH_2,
        credentialsVersion: 2,
        reset: { tokenHash: RESET_HASH, used: true },
      });
    });

    it('is single use', () => {
      spec
        .given([...withReset, resetCompleted, passwordSet(PASSWORD_HASH_2, 'reset', '2026-04-10T08:00:00.000Z', 2)])
        .when(resetPassword(RESET_HASH, '2026-04-10T08:05:00.000Z', PASSWORD_HASH_3))
        .thenThrows('INVALID_OR_EXPIRED_TOKEN', 'invalid');
    });

    it('works until just before the expiry and not at the exact expiry instant', () => {
      expect(identityDecider.decide(resetPassword(RESET_HASH, '2026-04-10T08:44:59.999Z'), fold(identityDecider, withReset))).toHaveLength(
        2,
      );
      spec.given(withReset).when(resetPassword(RESET_HASH, RESET_EXPIRES)).thenThrows('INVALID_OR_EXPIRED_TOKEN', 'invalid');
    });

    it('gives the same refusal for every token problem', () => {
      const cases: Array<[string, IdentityEvent[], IdentityCommand]> = [
        ['unknown account', [], resetPassword()],
        ['no reset requested', activeJean, resetPassword()],
        ['wrong token', withReset, resetPassword(WRONG_HASH)],
        ['expired', withReset, resetPassword(RESET_HASH, MUCH_LATER)],
        ['disabled account', [...withReset, jeanDisabled], resetPassword(RESET_HASH, '2026-04-10T08:00:00.000Z')],
        ['pending account, activation token', pendingJean, resetPassword(ACTIVATION_HASH, ACTIVATED_AT)],
        [
          'the password was changed after the link was sent',
          [...withReset, passwordSet(PASSWORD_HASH_3, 'change', '2026-04-10T07:50:00.000Z', 2)],
          resetPassword(RESET_HASH, '2026-04-10T08:00:00.000Z'),
        ],
      ];
      for (const [, given, command] of cases) {
        const error = spec.given(given).when(command).thenThrows('INVALID_OR_EXPIRED_TOKEN', 'invalid');
        expect(error.message).toBe(TOKEN_MESSAGE);
      }
    });

    it('refuses a plain password (422 INVALID_PASSWORD_HASH)', () => {
      spec
        .given(withReset)
        .when(resetPassword(RESET_HASH, LATER, 'NouveauMotDePasse1'))
        .thenThrows('INVALID_PASSWORD_HASH', 'invalid');
    });
  });

  describe('ChangePassword', () => {
    it('sets the password the account holder chose (via change, next credentials version)', () => {
      const state = spec
        .given(activeJean)
        .when(changePassword())
        .then([passwordSet(PASSWORD_HASH_3, 'change', LATER, 2)]);
      expect(state.account).toMatchObject({ passwordHash: PASSWORD_HASH_3, passwordSetAt: LATER, credentialsVersion: 2 });
    });

    it('lets an admin set another account’s password (via admin)', () => {
      spec
        .given(activeJean)
        .when(changePassword(ADMIN))
        .then([passwordSet(PASSWORD_HASH_3, 'admin', LATER, 2)]);
    });

    it('refuses anyone else: staff, auditors, another parent (403 FORBIDDEN_ROLE)', () => {
      spec.given(activeJean).when(changePassword(STAFF)).thenThrows('FORBIDDEN_ROLE', 'forbidden');
      spec.given(activeJean).when(changePassword(AUDITOR)).thenThrows('FORBIDDEN_ROLE', 'forbidden');
      spec
        .given(activeJean)
        .when(changePassword({ userId: 'marie.dupont', role: 'parent' }))
        .thenThrows('FORBIDDEN_ROLE', 'forbidden');
    });

    it('is refused for an account that is not active (409 ACCOUNT_NOT_ACTIVE)', () => {
      spec.given(pendingJean).when(changePassword()).thenThrows('ACCOUNT_NOT_ACTIVE', 'conflict');
      spec
        .given([...activeJean, jeanDisabled])
        .when(changePassword(ADMIN))
        .thenThrows('ACCOUNT_NOT_ACTIVE', 'conflict');
    });

    it('answers 404 ACCOUNT_NOT_FOUND for an unknown account', () => {
      spec.given([]).when(changePassword(ADMIN)).thenThrows('ACCOUNT_NOT_FOUND', 'not_found');
    });

    it('refuses a plain password (422 INVALID_PASSWORD_HASH)', () => {
      spec.given(activeJean).when(changePassword(JEAN, 'Ch3val-Bleu-Lavande')).thenThrows('INVALID_PASSWORD_HASH', 'invalid');
    });
  });

  describe('credentials version', () => {
    it('moves on with every password set, whatever the path, so that older sessions end', () => {
      const history: IdentityEvent[] = [
        ...activeJean,
        passwordSet(PASSWORD_HASH_3, 'change', LATER, 2),
        resetRequested(RESET_HASH, '2026-04-11T07:00:00.000Z', '2026-04-11T08:00:00.000Z'),
      ];
      expect(accountAfter(activeJean).credentialsVersion).toBe(1);
      expect(accountAfter(history).credentialsVersion).toBe(2);
      spec
        .given(history)
        .when(resetPassword(RESET_HASH, '2026-04-11T07:30:00.000Z'))
        .then([
          { type: 'PasswordResetCompleted', data: { completedAt: '2026-04-11T07:30:00.000Z' } },
          passwordSet(PASSWORD_HASH_2, 'reset', '2026-04-11T07:30:00.000Z', 3),
        ]);
    });

    it('also moves on when the account is disabled, so that re-enabling does not revive old sessions', () => {
      const disabled = accountAfter([...activeJean, jeanDisabled]);
      expect(disabled.credentialsVersion).toBe(2);
      const enabled = accountAfter([
        ...activeJean,
        jeanDisabled,
        { type: 'AccountEnabled', data: { enabledAt: MUCH_LATER, enabledBy: STAFF.userId } },
      ]);
      expect(sessionIsCurrent(enabled, 1)).toBe(false);
      expect(sessionIsCurrent(enabled, 2)).toBe(true);
      spec
        .given([...activeJean, jeanDisabled, { type: 'AccountEnabled', data: { enabledAt: MUCH_LATER, enabledBy: STAFF.userId } }])
        .when(changePassword(JEAN, PASSWORD_HASH_3, MUCH_LATER))
        .then([passwordSet(PASSWORD_HASH_3, 'change', MUCH_LATER, 3)]);
    });
  });

  describe('DisableAccount', () => {
    it('disables a parent account (by staff): reason kept trimmed, links voided, sessions ended', () => {
      const state = spec
        .given([...activeJean, resetRequested()])
        .when(disableJean(STAFF, '  Famille partie de la commune '))
        .then([jeanDisabled]);
      expect(state.account).toMatchObject({ status: 'disabled', disabledReason: 'Famille partie de la commune', credentialsVersion: 2 });
      expect(state.account).not.toHaveProperty('reset');
      expect(state.account).not.toHaveProperty('activation');
    });

    it('lets an admin disable any account, but staff only parent accounts (403 FORBIDDEN_ROLE)', () => {
      const staffAccount = identityDecider.decide(createStaff(), identityDecider.initialState());
      const command: IdentityCommand = { type: 'DisableAccount', accountId: 'agent.peaugres', at: LATER, actor: STAFF, reason: 'Départ' };
      spec
        .given(staffAccount)
        .when({ ...command, actor: { userId: 'agent.annonay', role: 'staff' } })
        .thenThrows('FORBIDDEN_ROLE', 'forbidden');
      spec
        .given(staffAccount)
        .when({ ...command, actor: ADMIN })
        .then([{ type: 'AccountDisabled', data: { reason: 'Départ', disabledAt: LATER, disabledBy: ADMIN.userId } }]);
    });

    it('is refused to parents and auditors (403 FORBIDDEN_ROLE)', () => {
      spec.given(activeJean).when(disableJean(JEAN)).thenThrows('FORBIDDEN_ROLE', 'forbidden');
      spec.given(activeJean).when(disableJean(AUDITOR)).thenThrows('FORBIDDEN_ROLE', 'forbidden');
    });

    it('does not let anyone disable their own account (403 CANNOT_MANAGE_OWN_ACCOUNT)', () => {
      const adminAccount = identityDecider.decide(
        createStaff({ accountId: 'admin.siej', login: 'admin.siej', role: 'admin', scope: undefined }),
        identityDecider.initialState(),
      );
      spec
        .given(adminAccount)
        .when({ type: 'DisableAccount', accountId: 'admin.siej', at: LATER, actor: ADMIN, reason: 'Test' })
        .thenThrows('CANNOT_MANAGE_OWN_ACCOUNT', 'forbidden');
    });

    it('refuses to disable twice (409 ACCOUNT_ALREADY_DISABLED)', () => {
      spec
        .given([...activeJean, jeanDisabled])
        .when(disableJean())
        .thenThrows('ACCOUNT_ALREADY_DISABLED', 'conflict');
    });

    it('requires a reason of 1 to 500 characters (422 INVALID_REASON)', () => {
      spec.given(activeJean).when(disableJean(STAFF, '   ')).thenThrows('INVALID_REASON', 'invalid');
      spec
        .given(activeJean)
        .when(disableJean(STAFF, 'x'.repeat(501)))
        .thenThrows('INVALID_REASON', 'invalid');
      spec
        .given(activeJean)
        .when(disableJean(STAFF, 'é'.repeat(500)))
        .then([{ type: 'AccountDisabled', data: { reason: 'é'.repeat(500), disabledAt: LATER, disabledBy: STAFF.userId } }]);
    });

    it('answers 404 ACCOUNT_NOT_FOUND for an unknown account', () => {
      spec.given([]).when(disableJean()).thenThrows('ACCOUNT_NOT_FOUND', 'not_found');
    });
  });

  describe('EnableAccount', () => {
    const enabled: IdentityEvent = { type: 'AccountEnabled', data: { enabledAt: MUCH_LATER, enabledBy: STAFF.userId } };

    it('brings an account with a password back to active', () => {
      const state = spec
        .given([...activeJean, jeanDisabled])
        .when(enableJean())
        .then([enabled]);
      expect(state.account?.status).toBe('active');
      expect(state.account).not.toHaveProperty('disabledReason');
    });

    it('brings a never-activated account back to pending activation, needing a new link', () => {
      const state = spec
        .given([...pendingJean, jeanDisabled])
        .when(enableJean())
        .then([enabled]);
      expect(state.account?.status).toBe('pending_activation');
      expect(state.account?.activation).toBeUndefined();
      spec
        .given([...pendingJean, jeanDisabled, enabled])
        .when(issueActivation(STAFF, NEW_ACTIVATION_HASH, MUCH_LATER, '2026-05-08T12:00:00.000Z'))
        .then([activationIssued(NEW_ACTIVATION_HASH, '2026-05-08T12:00:00.000Z', MUCH_LATER, STAFF.userId)]);
    });

    it('is refused for an account that is not disabled (409 ACCOUNT_NOT_DISABLED)', () => {
      spec.given(activeJean).when(enableJean()).thenThrows('ACCOUNT_NOT_DISABLED', 'conflict');
    });

    it('is refused to parents and auditors (403), and answers 404 for an unknown account', () => {
      spec
        .given([...activeJean, jeanDisabled])
        .when(enableJean(JEAN))
        .thenThrows('FORBIDDEN_ROLE', 'forbidden');
      spec
        .given([...activeJean, jeanDisabled])
        .when(enableJean(AUDITOR))
        .thenThrows('FORBIDDEN_ROLE', 'forbidden');
      spec.given([]).when(enableJean(ADMIN)).thenThrows('ACCOUNT_NOT_FOUND', 'not_found');
    });
  });

  describe('ChangeAccountScope (admin)', () => {
    const staffEvents = identityDecider.decide(createStaff(), identityDecider.initialState());
    const onStaff = (
      changes: Omit<ChangeAccountScope, 'type' | 'accountId' | 'at' | 'actor'>,
      actor: Actor = ADMIN,
    ): ChangeAccountScope => ({
      type: 'ChangeAccountScope',
      accountId: 'agent.peaugres',
      at: LATER,
      actor,
      ...changes,
    });
    const onJeanScope = (changes: Omit<ChangeAccountScope, 'type' | 'accountId' | 'at' | 'actor'>): ChangeAccountScope => ({
      type: 'ChangeAccountScope',
      accountId: JEAN_ID,
      at: LATER,
      actor: ADMIN,
      ...changes,
    });

    it('changes the communes of a staff account', () => {
      const state = spec
        .given(staffEvents)
        .when(onStaff({ scope: ['PEAUGRES', 'ANNONAY'] }))
        .then([
          {
            type: 'AccountScopeChanged',
            data: { role: 'staff', scope: ['PEAUGRES', 'ANNONAY'], changedAt: LATER, changedBy: ADMIN.userId },
          },
        ]);
      expect(state.account).toMatchObject({ role: 'staff', scope: ['PEAUGRES', 'ANNONAY'] });
    });

    it('restricts a parent to some children, then lifts the restriction (childIds: null)', () => {
      const restricted: IdentityEvent = {
        type: 'AccountScopeChanged',
        data: { role: 'parent', familyId: FAMILY_ID, childIds: ['child-lucas'], changedAt: LATER, changedBy: ADMIN.userId },
      };
      spec
        .given(activeJean)
        .when(onJeanScope({ childIds: ['child-lucas'] }))
        .then([restricted]);
      const state = spec
        .given([...activeJean, restricted])
        .when(onJeanScope({ childIds: null }))
        .then([{ type: 'AccountScopeChanged', data: { role: 'parent', familyId: FAMILY_ID, changedAt: LATER, changedBy: ADMIN.userId } }]);
      expect(state.account).not.toHaveProperty('childIds');
      expect(state.account?.familyId).toBe(FAMILY_ID);
    });

    it('changes the role: the old role’s fields go, the new role’s fields are required', () => {
      spec
        .given(staffEvents)
        .when(onStaff({ role: 'admin' }))
        .then([{ type: 'AccountScopeChanged', data: { role: 'admin', changedAt: LATER, changedBy: ADMIN.userId } }]);
      spec
        .given(staffEvents)
        .when(onStaff({ role: 'auditor' }))
        .thenThrows('SCOPE_REQUIRED', 'invalid');
      const state = spec
        .given(staffEvents)
        .when(onStaff({ role: 'parent', familyId: FAMILY_ID }))
        .then([{ type: 'AccountScopeChanged', data: { role: 'parent', familyId: FAMILY_ID, changedAt: LATER, changedBy: ADMIN.userId } }]);
      expect(state.account).not.toHaveProperty('scope');
      expect(state.account).toMatchObject({ role: 'parent', familyId: FAMILY_ID });
    });

    it('requires an e-mail to turn an account into a parent account (422 EMAIL_REQUIRED)', () => {
      const noEmail = identityDecider.decide(createStaff({ email: undefined }), identityDecider.initialState());
      spec
        .given(noEmail)
        .when(onStaff({ role: 'parent', familyId: FAMILY_ID }))
        .thenThrows('EMAIL_REQUIRED', 'invalid');
    });

    it('refuses fields of another role (422 INVALID_ROLE_ASSIGNMENT) and a parent without a family (422 FAMILY_REQUIRED)', () => {
      spec
        .given(staffEvents)
        .when(onStaff({ familyId: FAMILY_ID }))
        .thenThrows('INVALID_ROLE_ASSIGNMENT', 'invalid');
      spec
        .given(activeJean)
        .when(onJeanScope({ scope: ['PEAUGRES'] }))
        .thenThrows('INVALID_ROLE_ASSIGNMENT', 'invalid');
      spec
        .given(staffEvents)
        .when(onStaff({ role: 'parent' }))
        .thenThrows('FAMILY_REQUIRED', 'invalid');
    });

    it('records nothing when nothing changes', () => {
      spec
        .given(staffEvents)
        .when(onStaff({ scope: ['PEAUGRES'] }))
        .then([]);
      spec.given(activeJean).when(onJeanScope({})).then([]);
    });

    it('is reserved to admins (403 FORBIDDEN_ROLE)', () => {
      spec
        .given(staffEvents)
        .when(onStaff({ scope: ['*'] }, STAFF))
        .thenThrows('FORBIDDEN_ROLE', 'forbidden');
      spec
        .given(staffEvents)
        .when(onStaff({ scope: ['*'] }, AUDITOR))
        .thenThrows('FORBIDDEN_ROLE', 'forbidden');
    });

    it('does not let an admin change their own role (403 CANNOT_MANAGE_OWN_ACCOUNT)', () => {
      const adminAccount = identityDecider.decide(
        createStaff({ accountId: 'admin.siej', login: 'admin.siej', role: 'admin', scope: undefined }),
        identityDecider.initialState(),
      );
      spec
        .given(adminAccount)
        .when({ type: 'ChangeAccountScope', accountId: 'admin.siej', at: LATER, actor: ADMIN, role: 'staff', scope: ['*'] })
        .thenThrows('CANNOT_MANAGE_OWN_ACCOUNT', 'forbidden');
    });

    it('answers 404 ACCOUNT_NOT_FOUND for an unknown account', () => {
      spec
        .given([])
        .when(onStaff({ scope: ['*'] }))
        .thenThrows('ACCOUNT_NOT_FOUND', 'not_found');
    });
  });

  describe('evolve', () => {
    it('ignores events of an account it never saw created (total fold)', () => {
      expect(fold(identityDecider, [jeanActivated, jeanPasswordSet, jeanDisabled])).toEqual({ account: null });
    });
  });

  describe('canLogin and sessionIsCurrent (for the HTTP layer)', () => {
    it('lets only an active account with a password sign in', () => {
      expect(canLogin(null, LATER)).toEqual({ ok: false, code: 'ACCOUNT_NOT_FOUND' });
      expect(canLogin(accountAfter(pendingJean), LATER)).toEqual({ ok: false, code: 'ACCOUNT_NOT_ACTIVATED' });
      expect(canLogin(accountAfter([...activeJean, jeanDisabled]), LATER)).toEqual({ ok: false, code: 'ACCOUNT_DISABLED' });
      expect(canLogin(accountAfter(activeJean), LATER)).toEqual({ ok: true });
      const { passwordHash: _hash, ...withoutPassword } = accountAfter(activeJean);
      expect(canLogin(withoutPassword, LATER)).toEqual({ ok: false, code: 'PASSWORD_NOT_SET' });
    });

    it('keeps a session only while the account is active and its credentials version unchanged', () => {
      expect(sessionIsCurrent(accountAfter(activeJean), 1)).toBe(true);
      expect(sessionIsCurrent(accountAfter([...activeJean, passwordSet(PASSWORD_HASH_3, 'change', LATER, 2)]), 1)).toBe(false);
      expect(sessionIsCurrent(accountAfter([...activeJean, jeanDisabled]), 1)).toBe(false);
      expect(sessionIsCurrent(accountAfter([...activeJean, jeanDisabled]), 2)).toBe(false);
      expect(sessionIsCurrent(accountAfter(pendingJean), 0)).toBe(false);
      expect(sessionIsCurrent(null, 1)).toBe(false);
    });
  });
});

describe('identity events and logins', () => {
  it('names one stream per account and reads the account id back', () => {
    expect(accountStream(JEAN_ID)).toBe('account-jean.dupont');
    expect(accountIdFromStream('account-jean.dupont')).toBe(JEAN_ID);
    expect(accountIdFromStream('account-')).toBeNull();
    expect(accountIdFromStream('family-fam-1')).toBeNull();
  });

  it('describes every event type once, version 1, with the secrets and personal data marked', () => {
    expect(identityEvents.definitions.map((t) => t.type)).toEqual([
      'AccountCreated',
      'ActivationTokenIssued',
      'AccountActivated',
      'PasswordSet',
      'PasswordResetRequested',
      'PasswordResetCompleted',
      'AccountDisabled',
      'AccountEnabled',
      'AccountScopeChanged',
    ]);
    expect(identityEvents.definitions.every((t) => t.version === 1)).toBe(true);
    const personal = Object.fromEntries(identityEvents.definitions.map((t) => [t.type, t.personalData]));
    expect(personal.AccountCreated).toEqual(expect.arrayContaining(['email', 'displayName']));
    expect(personal.PasswordSet).toEqual(['passwordHash']);
    expect(personal.ActivationTokenIssued).toEqual(['tokenHash']);
    expect(personal.PasswordResetRequested).toEqual(['tokenHash']);
    expect(personal.AccountDisabled).toEqual(['reason']);
  });

  it('narrows stored events to identity events', () => {
    expect(identityEvents.narrow({ type: 'AccountActivated', data: { activatedAt: ACTIVATED_AT } })).toEqual(jeanActivated);
    expect(identityEvents.narrow({ type: 'FamilyRegistered', data: {} })).toBeNull();
  });

  it('normalizes a login by trimming and lower-casing it', () => {
    expect(normalizeLogin('  Jean.DUPONT ')).toBe('jean.dupont');
    expect(LOGIN_PATTERN.test('jean.dupont@example.fr')).toBe(true);
    expect(LOGIN_PATTERN.test('j_d-01')).toBe(true);
    expect(LOGIN_PATTERN.test('jd')).toBe(false);
    expect(LOGIN_PATTERN.test('jean dupont')).toBe(false);
    expect(LOGIN_PATTERN.test('héloïse')).toBe(false);
  });
});
