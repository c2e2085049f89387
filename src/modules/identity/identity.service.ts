import { createHash } from 'node:crypto';

import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';

import { FamilyAccessPolicy } from '../../platform/auth/family-access';
import type { Clock } from '../../platform/clock/clock';
import type { CommandContext, Principal } from '../../platform/commands/command-context';
import type { AppConfig } from '../../platform/config/config';
import { DomainError } from '../../platform/domain/domain-error';
import type { JobScheduler } from '../../platform/jobs/job-scheduler.port';
import { MAILER, Mailer } from '../../platform/mail/mailer.port';
import { PASSWORD_HASHER, PasswordHasher } from '../../platform/security/password-hasher';
import { hashSecretToken, isWellFormedSecretToken, newSecretToken } from '../../platform/security/secret-token';
import { APP_CONFIG, CLOCK, JOB_SCHEDULER } from '../../platform/tokens';
import { AccountRepository } from './account-repository';
import { canLogin, IdentityCommand, INVALID_OR_EXPIRED_TOKEN } from './identity.decider';
import type { Account, AccountRole } from './identity.types';
import { normalizeLogin } from './identity.types';
import { IdentityCommandMessage } from './identity-command';
import { LoginThrottle } from './login/login-throttle';
import { checkPassword, PasswordContext } from './password-policy.rules';
import { OpenedSession, SessionStore } from './sessions/session-store';

/** An activation link is valid a week (the parent may not read mail every day)… */
export const ACTIVATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** …a reset link 30 minutes (it is asked for by the person who uses it, right away). */
export const RESET_TTL_MS = 30 * 60 * 1000;
export const RESET_JOB = 'identity.password-reset';
export const LOGIN_THROTTLE = Symbol('LOGIN_THROTTLE');

type WithoutMeta<C> = C extends unknown ? Omit<C, 'accountId' | 'at' | 'actor'> : never;

const SYSTEM: Principal = { userId: 'system', role: 'system' };

export interface LoginResult extends OpenedSession {
  account: { login: string; role: AccountRole; familyId?: string; displayName: string };
}

function assertAcceptable(password: string, context: PasswordContext): void {
  const violations = checkPassword(password, context);
  if (violations.length > 0) {
    throw new DomainError('WEAK_PASSWORD', violations.map((v) => v.message).join(' '), 'invalid', { violations });
  }
}

function invalidCredentials(): DomainError {
  return new DomainError('INVALID_CREDENTIALS', 'Identifiant ou mot de passe incorrect.', 'unauthenticated');
}

/**
 * The identity use cases that need more than a decider: password hashing, secret tokens, e-mails,
 * sessions and brute-force limits. Every change of an account goes through the account's decider.
 */
@Injectable()
export class IdentityService implements OnModuleInit {
  private readonly logger = new Logger('Identity');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(JOB_SCHEDULER) private readonly jobs: JobScheduler,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
    private readonly commands: CommandBus,
    private readonly accounts: AccountRepository,
    private readonly sessions: SessionStore,
    private readonly access: FamilyAccessPolicy,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ accountId: string }>({
      name: RESET_JOB,
      attempts: 5,
      backoffMs: 2000,
      handler: async (job) => this.sendResetLink(job.payload.accountId, `job-${job.id}`),
    });
  }

  // ----- login, logout -----------------------------------------------------------------------------

  async login(loginInput: string, password: string, source: string): Promise<LoginResult> {
    const accountId = normalizeLogin(loginInput);
    await this.throttle.assertAllowed(accountId, source);
    const account = await this.accounts.load(accountId);
    const allowed = canLogin(account, this.clock.now().toISOString());
    // The same work, and the same answer, whether the identifiant exists or not.
    const valid =
      allowed.ok && account?.passwordHash
        ? await this.hasher.verify(account.passwordHash, password)
        : (await this.hasher.dummyVerify(password), false);
    if (!valid || !account) {
      await this.throttle.recordFailure(accountId, source);
      throw invalidCredentials();
    }
    await this.throttle.recordSuccess(accountId, source);
    const session = await this.sessions.open({ accountId, credentialsVersion: account.credentialsVersion }, source);
    return {
      ...session,
      account: {
        login: account.login,
        role: account.role,
        ...(account.familyId ? { familyId: account.familyId } : {}),
        displayName: account.displayName,
      },
    };
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.sessionId) await this.sessions.revoke(principal.sessionId);
  }

  // ----- passwords ---------------------------------------------------------------------------------

  async changePassword(principal: Principal, current: string, next: string, source: string, context: CommandContext): Promise<void> {
    const account = await this.accounts.load(principal.userId);
    if (!account) throw invalidCredentials();
    await this.throttle.assertAllowed(account.accountId, source);
    if (!account.passwordHash || !(await this.hasher.verify(account.passwordHash, current))) {
      await this.throttle.recordFailure(account.accountId, source);
      throw new DomainError('INVALID_CURRENT_PASSWORD', 'Le mot de passe actuel est incorrect.', 'invalid');
    }
    const passwordHash = await this.acceptablePasswordHash(next, account);
    const result = await this.send(account.accountId, { type: 'ChangePassword', passwordHash }, context);
    const version = result.state.account?.credentialsVersion;
    // The other sessions end (a changed password is often a suspected leak); this one continues.
    if (principal.sessionId && version !== undefined) await this.sessions.adoptCredentials(principal.sessionId, version);
    await this.sessions.revokeAll(account.accountId, principal.sessionId);
  }

  /**
   * « Mot de passe oublié » : answered at once and identically for every identifiant; a job does the work
   * (the link goes to the e-mail on file, if there is an active account), so neither the answer nor its
   * timing tells whether the identifiant exists. One job per identifiant and minute absorbs floods.
   */
  async requestPasswordReset(loginInput: string): Promise<void> {
    const accountId = normalizeLogin(loginInput);
    const minute = Math.floor(this.clock.now().getTime() / 60_000);
    const jobId = `${createHash('sha256').update(accountId).digest('hex').slice(0, 32)}-${minute}`;
    await this.jobs.schedule(RESET_JOB, jobId, { accountId });
  }

  private async sendResetLink(accountId: string, correlationId: string): Promise<void> {
    const account = await this.accounts.load(accountId);
    if (!account?.email) return;
    const { token, hash } = newSecretToken();
    const expiresAt = new Date(this.clock.now().getTime() + RESET_TTL_MS).toISOString();
    const result = await this.send(
      accountId,
      { type: 'RequestPasswordReset', tokenHash: hash, expiresAt },
      { principal: SYSTEM, correlationId },
    );
    if (result.events.length === 0) return; // not an active account: nothing is sent
    await this.mailer.send({
      to: account.email,
      template: 'password-reset',
      correlationId,
      data: {
        displayName: account.displayName,
        login: account.login,
        resetUrl: this.link('/mot-de-passe/reinitialiser', account.login, token),
        expiresAt,
      },
    });
  }

  async resetPassword(loginInput: string, token: string, password: string, context: CommandContext): Promise<void> {
    const account = await this.tokenAccount(loginInput, token, password);
    const passwordHash = await this.acceptablePasswordHash(password, account);
    await this.send(account.accountId, { type: 'ResetPassword', tokenHash: hashSecretToken(token), passwordHash }, context);
    await this.sessions.revokeAll(account.accountId);
    if (account.email) {
      await this.mailer
        .send({
          to: account.email,
          template: 'password-reset-done',
          correlationId: context.correlationId,
          data: { displayName: account.displayName, login: account.login, changedAt: this.clock.now().toISOString() },
        })
        .catch((error: unknown) => this.logger.error({ err: error, accountId: account.accountId }, 'reset-done mail not sent'));
    }
  }

  async activate(loginInput: string, token: string, password: string, context: CommandContext): Promise<void> {
    const account = await this.tokenAccount(loginInput, token, password);
    const passwordHash = await this.acceptablePasswordHash(password, account);
    await this.send(account.accountId, { type: 'Activate', tokenHash: hashSecretToken(token), passwordHash }, context);
  }

  // ----- accounts (staff and admin) ----------------------------------------------------------------

  async createFamilyAccount(
    principal: Principal,
    familyId: string,
    body: { login: string; email: string; displayName: string; childIds?: string[] },
    context: CommandContext,
  ): Promise<{ accountId: string; activationMailSent: boolean }> {
    await this.access.assertCanReach(principal, familyId);
    return this.createParentAccount(familyId, body, context);
  }

  /** For a family the caller has just registered in their scope (its read model may not show it yet). */
  createParentAccount(
    familyId: string,
    body: { login: string; email: string; displayName: string; childIds?: string[] },
    context: CommandContext,
  ): Promise<{ accountId: string; activationMailSent: boolean }> {
    return this.createAccount(
      body.login,
      { role: 'parent', familyId, email: body.email, displayName: body.displayName, childIds: body.childIds },
      context,
    );
  }

  async createStaffAccount(
    body: { login: string; role: 'staff' | 'auditor' | 'admin'; email: string; displayName: string; scope?: string[] },
    context: CommandContext,
  ): Promise<{ accountId: string; activationMailSent: boolean }> {
    return this.createAccount(
      body.login,
      { role: body.role, email: body.email, displayName: body.displayName, scope: body.scope },
      context,
    );
  }

  async resendActivation(principal: Principal, accountId: string, context: CommandContext): Promise<{ activationMailSent: boolean }> {
    const account = await this.reachableAccount(principal, accountId);
    const { token, hash } = newSecretToken();
    const activationExpiresAt = new Date(this.clock.now().getTime() + ACTIVATION_TTL_MS).toISOString();
    await this.send(account.accountId, { type: 'IssueActivation', activationTokenHash: hash, activationExpiresAt }, context);
    return { activationMailSent: await this.sendActivation(account, token, activationExpiresAt, context.correlationId) };
  }

  async disable(principal: Principal, accountId: string, reason: string, context: CommandContext): Promise<void> {
    const account = await this.reachableAccount(principal, accountId);
    await this.send(account.accountId, { type: 'DisableAccount', reason }, context);
    await this.sessions.revokeAll(account.accountId);
  }

  async enable(principal: Principal, accountId: string, context: CommandContext): Promise<void> {
    const account = await this.reachableAccount(principal, accountId);
    await this.send(account.accountId, { type: 'EnableAccount' }, context);
  }

  /** An account a staff member may manage: a parent account of a family in their scope (admins: any). */
  async reachableAccount(principal: Principal, accountId: string): Promise<Account> {
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

  // ----- helpers -----------------------------------------------------------------------------------

  private async createAccount(
    login: string,
    fields: { role: AccountRole; familyId?: string; email: string; displayName: string; childIds?: string[]; scope?: string[] },
    context: CommandContext,
  ): Promise<{ accountId: string; activationMailSent: boolean }> {
    const accountId = normalizeLogin(login);
    const { token, hash } = newSecretToken();
    const activationExpiresAt = new Date(this.clock.now().getTime() + ACTIVATION_TTL_MS).toISOString();
    const result = await this.send(
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
    return { accountId, activationMailSent: await this.sendActivation(account, token, activationExpiresAt, context.correlationId) };
  }

  /** The activation mail; a failure is reported (staff can send a new link), not fatal to the creation. */
  private async sendActivation(account: Account, token: string, expiresAt: string, correlationId: string): Promise<boolean> {
    if (!account.email) return false;
    try {
      await this.mailer.send({
        to: account.email,
        template: 'account-activation',
        correlationId,
        data: {
          displayName: account.displayName,
          login: account.login,
          activationUrl: this.link('/activation', account.login, token),
          expiresAt,
          communeName: 'votre commune',
        },
      });
      return true;
    } catch (error) {
      this.logger.error({ err: error, accountId: account.accountId }, 'activation mail not sent');
      return false;
    }
  }

  /** Links are built from PUBLIC_BASE_URL, never from the request's Host header. */
  private link(path: string, login: string, token: string): string {
    const url = new URL(`${this.config.publicBaseUrl}${path}`);
    url.searchParams.set('compte', login);
    url.searchParams.set('jeton', token);
    return url.toString();
  }

  /**
   * The account a token is presented for; one answer for every token problem (see the decider). The new
   * password is judged first for unknown identifiants too, so the answer never tells whether one exists.
   */
  private async tokenAccount(loginInput: string, token: string, password: string): Promise<Account> {
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

  private async acceptablePasswordHash(password: string, account: Account): Promise<string> {
    assertAcceptable(password, { login: account.login, displayName: account.displayName, email: account.email });
    return this.hasher.hash(password);
  }

  private send(accountId: string, command: WithoutMeta<IdentityCommand>, context: CommandContext) {
    const { principal } = context;
    return this.commands.execute(
      new IdentityCommandMessage(
        accountId,
        (at) => ({ ...command, accountId, at, actor: { userId: principal.userId, role: principal.role } }) as IdentityCommand,
        context,
      ),
    );
  }
}
