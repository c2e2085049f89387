/**
 * DocumentStore contract against a real MongoDB server (the server runtime's adapter).
 *
 * Runs only when MONGO_URL is set (CI sets it, e.g. mongodb://localhost:27017, with a MongoDB service
 * container). Without it the suite is skipped, loudly: nothing else checks this adapter.
 * Each run uses its own database, dropped at the end.
 */
import { randomUUID } from 'node:crypto';

import { MongoClient } from 'mongodb';

import { MongoDocumentStore } from '../../src/platform/document-store/mongo-document-store';
import { documentStoreContract } from './document-store.contract';

const url = process.env.MONGO_URL;

if (!url) {
  // process.stderr, not console.warn: Jest drops the console output of a test file whose tests are all skipped
  // when it runs several files (as `npm test` does), and this warning must be seen.
  process.stderr.write(
    '\n⚠️  MongoDB contract suite NOT RUN: MONGO_URL is not set.\n' +
      '   The MongoDocumentStore adapter is untested in this run. Set MONGO_URL (e.g. mongodb://localhost:27017)\n' +
      '   against a MongoDB server to run it, as CI does.\n',
  );
}

// Conditional registration, on purpose: no MongoDB server can run on every development machine.
const maybeDescribe = url ? describe : describe.skip;

maybeDescribe('MongoDocumentStore (MongoDB server)', () => {
  documentStoreContract('MongoDB', async (clock) => {
    const dbName = `portail_contract_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const store = new MongoDocumentStore(url!, dbName, {}, clock);
    // fail fast with a clear cause when the server is unreachable (never skip once MONGO_URL is set)
    await store.ping();
    return {
      store,
      cleanup: async () => {
        await store.close();
        const admin = new MongoClient(url!);
        try {
          await admin.db(dbName).dropDatabase();
        } finally {
          await admin.close();
        }
      },
    };
  });
});

maybeDescribe('MongoDocumentStore specifics (MongoDB server)', () => {
  it('keeps the expiry as a BSON date under a TTL index, so the server purges on its own; indexes queried fields', async () => {
    const dbName = `portail_ttl_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const store = new MongoDocumentStore(url!, dbName);
    const admin = new MongoClient(url!);
    try {
      await store.ensureCollection('sessions', ['accountId'], { expiry: { fields: ['expiresAt', 'idleExpiresAt'] } });
      await store.put('sessions', 's1', {
        accountId: 'a',
        expiresAt: '2026-01-01T12:00:00.000Z',
        idleExpiresAt: '2026-01-01T00:30:00.000Z',
      });
      const raw = admin.db(dbName).collection<{ _id: string; _expiresAt?: Date }>('sessions');
      expect(await raw.indexes()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: { _expiresAt: 1 }, expireAfterSeconds: 0 }),
          expect.objectContaining({ key: { 'data.accountId': 1 } }),
        ]),
      );
      expect((await raw.findOne({ _id: 's1' }))?._expiresAt).toEqual(new Date('2026-01-01T00:30:00.000Z'));
      // a touch moves it; the documents read back carry only their data
      await store.put(
        'sessions',
        's1',
        { accountId: 'a', expiresAt: '2026-01-01T12:00:00.000Z', idleExpiresAt: '2026-01-01T01:00:00.000Z' },
        1,
      );
      expect((await raw.findOne({ _id: 's1' }))?._expiresAt).toEqual(new Date('2026-01-01T01:00:00.000Z'));
      expect((await store.get('sessions', 's1'))?.data).not.toHaveProperty('_expiresAt');
    } finally {
      await store.close();
      await admin.db(dbName).dropDatabase();
      await admin.close();
    }
  });
});
