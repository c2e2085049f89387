import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { AccountDocument } from '../../../../projections/accounts/accounts.projection';
import { SettableClock } from '../../../platform/clock/clock';
import type { FindQuery } from '../../../platform/document-store/document-store.port';
import { SqliteDocumentStore } from '../../../platform/document-store/sqlite-document-store';
import { type ReadModelPage, ReadModels, type ReadModelVersion } from '../../../platform/projections/read-models';
import type { Accounts } from '../accounts';
import { SESSION_IDLE_MS, type SessionCacheOptions, SessionStore } from './session-store';

/** The accounts read model as sessions read it: a map the test changes. */
class AccountsReadModel extends ReadModels {
  readonly accounts = new Map<string, AccountDocument>();
  reads = 0;

  async get<T>(_projection: string, id: string): Promise<T | null> {
    this.reads += 1;
    return (this.accounts.get(id) as T | undefined) ?? null;
  }
  async find<T>(_projection: string, _query?: FindQuery): Promise<ReadModelPage<T>> {
    return { items: [] };
  }
  async count(): Promise<number> {
    return 0;
  }
  async checkpoint(): Promise<number> {
    return 0;
  }
  async version(): Promise<ReadModelVersion> {
    return { collection: 'accounts', lastChange: 0 };
  }
}

const account = (accountId: string, changes: Partial<AccountDocument> = {}): AccountDocument =>
  ({
    accountId,
    email: `${accountId}@example.org`,
    displayName: 'Parent',
    role: 'parent',
    familyId: 'F-1',
    status: 'active',
    credentialsVersion: 1,
    hasPassword: true,
    activationPending: false,
    updatedAt: '2026-11-16T09:00:00.000Z',
    ...changes,
  }) as AccountDocument;

describe('SessionStore: cached lookups, revocations at once', () => {
  let dir: string;
  let documents: SqliteDocumentStore;
  let readModels: AccountsReadModel;
  const clock = new SettableClock('2026-11-16T09:00:00Z');
  const noStream = { load: async () => null } as unknown as Accounts;
  const options: SessionCacheOptions = { ttlMs: 5_000, maxEntries: 3 };
  /** a portal process: its own SessionStore (and cache) over the shared stores */
  const portalProcess = () => new SessionStore(documents, clock, readModels, noStream, options);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sessions-'));
    documents = new SqliteDocumentStore(join(dir, 'documents.sqlite'), clock);
    readModels = new AccountsReadModel();
    readModels.accounts.set('martin', account('martin'));
    await portalProcess().onModuleInit();
  });
  afterEach(async () => {
    await documents.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Counts the store's reads while `fn` runs. */
  async function storeReads(fn: () => Promise<unknown>): Promise<number> {
    const get = jest.spyOn(documents, 'get');
    const before = readModels.reads;
    await fn();
    const reads = get.mock.calls.length + readModels.reads - before;
    get.mockRestore();
    return reads;
  }

  it('serves repeated requests of a session from memory, with the same principal', async () => {
    const sessions = portalProcess();
    const { token } = await sessions.open({ accountId: 'martin', credentialsVersion: 1 }, 'test');
    const first = await sessions.resolve(token);
    expect(first).toMatchObject({ userId: 'martin', role: 'parent', familyId: 'F-1' });
    expect(await storeReads(async () => expect(await sessions.resolve(token)).toEqual(first))).toBe(0);
    // past the TTL the store is read again
    clock.advance(5_000);
    expect(await storeReads(() => sessions.resolve(token))).toBe(2);
  });

  it('logout ends the session at once in this process', async () => {
    const sessions = portalProcess();
    const { token } = await sessions.open({ accountId: 'martin', credentialsVersion: 1 }, 'test');
    const principal = await sessions.resolve(token);
    await sessions.revoke(principal!.sessionId!);
    expect(await sessions.resolve(token)).toBeNull();
  });

  it('a password change ends the other sessions at once and keeps the one that changed it', async () => {
    const sessions = portalProcess();
    const mine = await sessions.open({ accountId: 'martin', credentialsVersion: 1 }, 'test');
    const other = await sessions.open({ accountId: 'martin', credentialsVersion: 1 }, 'test');
    const me = await sessions.resolve(mine.token);
    expect(await sessions.resolve(other.token)).not.toBeNull();
    // as ChangePassword does: the new credentials are projected, this session adopts them, the others end
    readModels.accounts.set('martin', account('martin', { credentialsVersion: 2 }));
    await sessions.adoptCredentials(me!.sessionId!, 2);
    await sessions.revokeAll('martin', me!.sessionId);
    expect(await sessions.resolve(other.token)).toBeNull();
    expect(await sessions.resolve(mine.token)).toMatchObject({ userId: 'martin' });
  });

  it('disabling an account ends its sessions at once in this process', async () => {
    const sessions = portalProcess();
    const a = await sessions.open({ accountId: 'martin', credentialsVersion: 1 }, 'test');
    const b = await sessions.open({ accountId: 'martin', credentialsVersion: 1 }, 'test');
    await sessions.resolve(a.token);
    await sessions.resolve(b.token);
    readModels.accounts.set('martin', account('martin', { status: 'disabled' }));
    await sessions.revokeAll('martin');
    expect(await sessions.resolve(a.token)).toBeNull();
    expect(await sessions.resolve(b.token)).toBeNull();
  });

  it('a lookup that read the session before its revocation is not cached', async () => {
    const sessions = portalProcess();
    const { token } = await sessions.open({ accountId: 'martin', credentialsVersion: 1 }, 'test');
    const id = (await sessions.resolve(token))!.sessionId!;
    clock.advance(5_000); // the entry is stale: the next request reads the store
    // the revocation lands while that read is in flight
    const get = documents.get.bind(documents);
    const revoked = jest.spyOn(documents, 'get').mockImplementationOnce(async (collection, key) => {
      const read = await get(collection, key);
      await sessions.revoke(id);
      return read;
    });
    await sessions.resolve(token);
    revoked.mockRestore();
    expect(await sessions.resolve(token)).toBeNull();
  });

  it('another process sees a logout, a password change and a disabled account within the TTL', async () => {
    const here = portalProcess();
    const elsewhere = portalProcess();
    const logout = await here.open({ accountId: 'martin', credentialsVersion: 1 }, 'test');
    const password = await here.open({ accountId: 'martin', credentialsVersion: 1 }, 'test');
    readModels.accounts.set('durand', account('durand'));
    const disabled = await here.open({ accountId: 'durand', credentialsVersion: 1 }, 'test');
    for (const s of [logout, password, disabled]) expect(await elsewhere.resolve(s.token)).not.toBeNull();

    await here.revoke((await here.resolve(logout.token))!.sessionId!);
    readModels.accounts.set('martin', account('martin', { credentialsVersion: 2 }));
    await here.revokeAll('martin');
    readModels.accounts.set('durand', account('durand', { status: 'disabled' }));
    await here.revokeAll('durand');

    clock.advance(4_999); // still within the bound: the other process may serve them from its cache
    expect(await elsewhere.resolve(password.token)).not.toBeNull();
    clock.advance(1); // the bound: every one of them is refused
    for (const s of [logout, password, disabled]) expect(await elsewhere.resolve(s.token)).toBeNull();
  });

  it('still ends a cached session when it becomes idle, and touches it through the store when due', async () => {
    const sessions = portalProcess();
    const { token } = await sessions.open({ accountId: 'martin', credentialsVersion: 1 }, 'test');
    await sessions.resolve(token);
    // a request every 4 s keeps the session alive past its first idle deadline (touches go to the store)
    for (let elapsed = 0; elapsed < SESSION_IDLE_MS + 60_000; elapsed += 4_000) {
      clock.advance(4_000);
      expect(await sessions.resolve(token)).not.toBeNull();
    }
    clock.advance(SESSION_IDLE_MS);
    expect(await sessions.resolve(token)).toBeNull();
  });

  it('holds at most maxEntries sessions, dropping the oldest first', async () => {
    const sessions = portalProcess();
    const tokens: string[] = [];
    for (let i = 0; i < 5; i++) tokens.push((await sessions.open({ accountId: 'martin', credentialsVersion: 1 }, 'test')).token);
    for (const token of tokens) await sessions.resolve(token);
    expect(sessions.cachedSessions).toBe(3);
    expect(await storeReads(() => sessions.resolve(tokens[4]))).toBe(0);
    expect(await storeReads(() => sessions.resolve(tokens[0]))).toBe(2);
  });
});
