import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';

import type { AccountDocument } from '../../../../projections/accounts/accounts.projection';
import { accountOf } from '../../../../projections/accounts/accounts.queries';
import type { Clock } from '../../../platform/clock/clock';
import type { Principal } from '../../../platform/commands/command-context';
import type { DocumentStore } from '../../../platform/document-store/document-store.port';
import { VersionConflictError } from '../../../platform/document-store/document-store.port';
import { ReadModels } from '../../../platform/projections/read-models';
import { hashSecretToken, isWellFormedSecretToken, newSecretToken } from '../../../platform/security/secret-token';
import { CLOCK, DOCUMENT_STORE } from '../../../platform/tokens';
import { Accounts } from '../accounts';

export const SESSIONS_COLLECTION = 'sessions';
/** A session ends after 30 minutes without a request (CNIL/ANSSI practice for a service holding health data)… */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** …and 12 hours after login in any case. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** lastSeenAt is written at most this often (a write per request would double the cost of reads). */
const TOUCH_EVERY_MS = 60 * 1000;

/**
 * The cache of resolved sessions (see SessionStore). `ttlMs` is the bound on how long a revocation made by another
 * process (logout, password change, account disabled, a change of role or scope) can go unseen here; in this
 * process revocations take effect at once.
 */
export interface SessionCacheOptions {
  ttlMs: number;
  maxEntries: number;
}
export const SESSION_CACHE_OPTIONS = Symbol('SESSION_CACHE_OPTIONS');
/** 5 s: a parent's burst of requests (a page and its calls) costs one lookup; 20,000 sessions is ~20 MB at most. */
export const DEFAULT_SESSION_CACHE: SessionCacheOptions = { ttlMs: 5_000, maxEntries: 20_000 };

interface CachedSession {
  principal: Principal;
  session: SessionDocument;
  /** clock time of the lookup this entry holds */
  cachedAt: number;
}

/** What a session remembers of its account at login: who, and under which credentials. */
export interface SessionAccount {
  accountId: string;
  credentialsVersion: number;
}

interface SessionDocument extends SessionAccount, Record<string, unknown> {
  createdAt: string;
  lastSeenAt: string;
  idleExpiresAt: string;
  expiresAt: string;
  source: string;
}

/**
 * The account view sessions are checked against (the `accounts` read model). Role, family and scope are
 * read from it at each request, never from the session: a change of scope applies at once.
 */
type AccountView = Pick<
  AccountDocument,
  'status' | 'credentialsVersion' | 'hasPassword' | 'role' | 'familyId' | 'childIds' | 'scope' | 'displayName'
>;

export interface OpenedSession {
  token: string;
  expiresAt: string;
  idleTimeoutSeconds: number;
}

/**
 * Server-side sessions behind opaque bearer tokens. The store keeps only the SHA-256 of the token, so a
 * leaked read-model database yields no usable token. A session is valid while it is neither idle nor past
 * its absolute lifetime, and while its account is active with the credentials it logged in with: a new
 * password or a disabled account ends every older session, even one this process never saw.
 *
 * Lookups are cached (two reads and a periodic write per request otherwise): a resolved session is served from
 * memory for `ttlMs` (default 5 s), at most `maxEntries` of them (the oldest go first). Its own expiry instants
 * are still checked at each request, and a due touch goes to the store. Logout, a password change or reset and
 * disabling an account go through this store (revoke, revokeAll, adoptCredentials) and drop the cached entries at
 * once; a lookup that started before a revocation is not cached. Revocations made by another process (a second
 * portal process, the server runtime's instances) and changes of role or scope are seen within `ttlMs`.
 */
@Injectable()
export class SessionStore implements OnModuleInit {
  private readonly cache = new Map<string, CachedSession>();
  /** incremented by every revocation: a lookup that saw another value when it started is not cached */
  private revocations = 0;
  private readonly cacheOptions: SessionCacheOptions;

  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly readModels: ReadModels,
    private readonly accounts: Accounts,
    @Optional() @Inject(SESSION_CACHE_OPTIONS) cacheOptions?: SessionCacheOptions,
  ) {
    this.cacheOptions = cacheOptions ?? DEFAULT_SESSION_CACHE;
  }

  /** How many resolved sessions are held in memory (metrics, tests). */
  get cachedSessions(): number {
    return this.cache.size;
  }

  /** Sessions are found by account (revokeAll) and purged once idle or past their lifetime. */
  async onModuleInit(): Promise<void> {
    await this.documents.ensureCollection(SESSIONS_COLLECTION, ['accountId'], { expiry: { fields: ['expiresAt', 'idleExpiresAt'] } });
  }

  async open(account: SessionAccount, source: string, now = this.clock.now()): Promise<OpenedSession> {
    const { token, hash } = newSecretToken();
    const document: SessionDocument = {
      ...account,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      idleExpiresAt: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString(),
      source,
    };
    await this.documents.put(SESSIONS_COLLECTION, hash, document, 'absent');
    return { token, expiresAt: document.expiresAt, idleTimeoutSeconds: SESSION_IDLE_MS / 1000 };
  }

  /** The principal of a valid session, or null (unknown, expired, revoked, tampered). */
  async resolve(token: string, now = this.clock.now()): Promise<Principal | null> {
    if (!isWellFormedSecretToken(token)) return null;
    const id = hashSecretToken(token);
    const at = now.getTime();
    const cached = this.cache.get(id);
    if (cached) {
      const age = at - cached.cachedAt;
      const { session } = cached;
      const fresh =
        age >= 0 &&
        age < this.cacheOptions.ttlMs &&
        at < Date.parse(session.expiresAt) &&
        at < Date.parse(session.idleExpiresAt) &&
        at - Date.parse(session.lastSeenAt) < TOUCH_EVERY_MS;
      if (fresh) return cached.principal;
      this.cache.delete(id); // stale, expired or due for a touch: the store decides
    }
    const revocations = this.revocations;
    const resolved = await this.lookup(id, now);
    if (resolved && revocations === this.revocations) {
      if (this.cache.size >= this.cacheOptions.maxEntries) {
        // Map keeps insertion order: the first key is the oldest entry
        const oldest = this.cache.keys().next();
        if (!oldest.done) this.cache.delete(oldest.value);
      }
      this.cache.set(id, { ...resolved, cachedAt: at });
    }
    return resolved?.principal ?? null;
  }

  /** Drop the cached sessions of an account (its role, scope or credentials changed in this process). */
  forgetAccount(accountId: string): void {
    this.revocations += 1;
    for (const [id, entry] of this.cache) if (entry.session.accountId === accountId) this.cache.delete(id);
  }

  private forgetSession(sessionId: string): void {
    this.revocations += 1;
    this.cache.delete(sessionId);
  }

  /** The session and its principal, read from the store (touching the session when due), or null. */
  private async lookup(id: string, now: Date): Promise<{ principal: Principal; session: SessionDocument } | null> {
    const stored = await this.documents.get<SessionDocument>(SESSIONS_COLLECTION, id);
    if (!stored) return null;
    let session = stored.data;
    const at = now.getTime();
    if (at >= Date.parse(session.expiresAt) || at >= Date.parse(session.idleExpiresAt)) {
      await this.documents.delete(SESSIONS_COLLECTION, id).catch(() => undefined);
      return null;
    }
    const view = await this.accountView(session);
    if (!view || view.status !== 'active' || !view.hasPassword || view.credentialsVersion !== session.credentialsVersion) {
      await this.documents.delete(SESSIONS_COLLECTION, id).catch(() => undefined);
      return null;
    }
    if (at - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) {
      const touched = { ...session, lastSeenAt: now.toISOString(), idleExpiresAt: new Date(at + SESSION_IDLE_MS).toISOString() };
      await this.documents.put(SESSIONS_COLLECTION, id, touched, stored.version).catch((error) => {
        if (!(error instanceof VersionConflictError)) throw error; // a concurrent request touched it
      });
      session = touched;
    }
    const principal: Principal = {
      userId: session.accountId,
      role: view.role,
      ...(view.familyId ? { familyId: view.familyId } : {}),
      ...(view.childIds ? { childIds: view.childIds } : {}),
      ...(view.scope ? { scope: view.scope } : {}),
      displayName: view.displayName,
      sessionId: id,
    };
    return { principal, session };
  }

  /**
   * The read model, unless it has not caught up with the credentials this session was opened under (a
   * login right after an activation, or a projector running behind): then the account's stream decides.
   */
  private async accountView(session: SessionDocument): Promise<AccountView | undefined> {
    const document = await accountOf(this.readModels, session.accountId);
    if (document && document.credentialsVersion >= session.credentialsVersion) return document;
    const account = await this.accounts.load(session.accountId);
    if (!account) return undefined;
    const { passwordHash, ...rest } = account;
    return { ...rest, hasPassword: passwordHash !== undefined };
  }

  async revoke(sessionId: string): Promise<void> {
    this.forgetSession(sessionId);
    await this.documents.delete(SESSIONS_COLLECTION, sessionId);
    this.forgetSession(sessionId); // a lookup that read the session before the delete is not kept either
  }

  /** End every session of an account (password reset, account disabled), except one if given. */
  async revokeAll(accountId: string, exceptSessionId?: string): Promise<number> {
    this.forgetAccount(accountId);
    let revoked = 0;
    for (;;) {
      const page = await this.documents.find<SessionDocument>(SESSIONS_COLLECTION, { where: { accountId }, limit: 500 });
      const victims = page.items.filter((s) => s.id !== exceptSessionId);
      if (victims.length === 0) return revoked;
      for (const session of victims) {
        if (await this.documents.delete(SESSIONS_COLLECTION, session.id)) revoked += 1;
      }
      this.forgetAccount(accountId); // lookups that read these sessions before their delete are not kept either
    }
  }

  /** Keep a session valid across its own password change (the new credentials are the caller's). */
  async adoptCredentials(sessionId: string, credentialsVersion: number): Promise<void> {
    this.forgetSession(sessionId);
    const stored = await this.documents.get<SessionDocument>(SESSIONS_COLLECTION, sessionId);
    if (stored) await this.documents.put(SESSIONS_COLLECTION, sessionId, { ...stored.data, credentialsVersion }, stored.version);
    this.forgetSession(sessionId);
  }
}
