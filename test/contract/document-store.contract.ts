/**
 * Contract suite every DocumentStore adapter must pass (SQLite, MongoDB).
 *
 * The same suite runs against a shared MongoDB server: every test uses fresh collection and checkpoint
 * names and drops its collections afterwards.
 */
import { randomUUID } from 'node:crypto';

import { type Clock, SettableClock } from '../../src/platform/clock/clock';
import { Document, DocumentStore, FindQuery, VersionConflictError } from '../../src/platform/document-store/document-store.port';

export function documentStoreContract(
  adapterName: string,
  /** the store must read "now" from `clock` (expiry) */
  factory: (clock: Clock) => Promise<{ store: DocumentStore; cleanup: () => Promise<void> }>,
): void {
  describe(`DocumentStore contract: ${adapterName}`, () => {
    let store: DocumentStore;
    let cleanup: () => Promise<void>;
    let collections: string[] = [];
    const clock = new SettableClock('2026-11-16T09:00:00Z');

    beforeAll(async () => {
      ({ store, cleanup } = await factory(clock));
    });

    afterEach(async () => {
      for (const c of collections) await store.dropCollection(c);
      collections = [];
    });

    afterAll(async () => {
      await cleanup();
    });

    /** A fresh collection name (with a dash, as projection collections may have). */
    const newCollection = (): string => {
      const name = `test-${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      collections.push(name);
      return name;
    };
    const newCheckpoint = (): string => `test-checkpoint-${randomUUID()}`;

    async function conflictOf(promise: Promise<unknown>): Promise<VersionConflictError> {
      const error: unknown = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VersionConflictError);
      return error as VersionConflictError;
    }

    /** All pages of a query, following nextCursor. */
    async function findAll(collection: string, query: FindQuery): Promise<{ pages: Document[][]; ids: string[] }> {
      const pages: Document[][] = [];
      let cursor: string | undefined;
      do {
        const result = await store.find(collection, { ...query, cursor });
        pages.push(result.items);
        cursor = result.nextCursor;
        expect(pages.length).toBeLessThan(100); // a cursor that never ends is a bug
      } while (cursor);
      return { pages, ids: pages.flat().map((d) => d.id) };
    }

    const ids = (docs: Document[]): string[] => docs.map((d) => d.id);

    describe('put, get, delete', () => {
      it('stores a document with version 1 and increments the version on every put', async () => {
        const c = newCollection();
        expect(await store.get(c, 'a')).toBeNull();
        expect(await store.put(c, 'a', { name: 'Léa', tags: ['x'] })).toBe(1);
        expect(await store.get(c, 'a')).toEqual({ id: 'a', version: 1, data: { name: 'Léa', tags: ['x'] } });
        expect(await store.put(c, 'a', { name: 'Léa Martin' })).toBe(2);
        expect(await store.put(c, 'a', { name: 'Léa Martin', age: 7 })).toBe(3);
        // a put replaces the whole document
        expect(await store.get(c, 'a')).toEqual({ id: 'a', version: 3, data: { name: 'Léa Martin', age: 7 } });
      });

      it("guards a creation with 'absent'", async () => {
        const c = newCollection();
        expect(await store.put(c, 'a', { n: 1 }, 'absent')).toBe(1);
        const conflict = await conflictOf(store.put(c, 'a', { n: 2 }, 'absent'));
        expect(conflict.collection).toBe(c);
        expect(conflict.id).toBe('a');
        expect(conflict.expected).toBe('absent');
        expect(conflict.actual).toBe(1);
        expect(await store.get(c, 'a')).toEqual({ id: 'a', version: 1, data: { n: 1 } });
      });

      it('guards an update with the exact version', async () => {
        const c = newCollection();
        await store.put(c, 'a', { n: 1 });
        expect(await store.put(c, 'a', { n: 2 }, 1)).toBe(2);
        const stale = await conflictOf(store.put(c, 'a', { n: 3 }, 1));
        expect(stale.expected).toBe(1);
        expect(stale.actual).toBe(2);
        expect((await conflictOf(store.put(c, 'missing', { n: 1 }, 3))).actual).toBe('absent');
        expect(await store.get(c, 'a')).toEqual({ id: 'a', version: 2, data: { n: 2 } });
        expect(await store.get(c, 'missing')).toBeNull();
      });

      it('deletes, with an optional version guard', async () => {
        const c = newCollection();
        expect(await store.delete(c, 'nothing')).toBe(false);
        expect((await conflictOf(store.delete(c, 'nothing', 1))).actual).toBe('absent');

        await store.put(c, 'a', { n: 1 });
        await store.put(c, 'a', { n: 2 });
        const conflict = await conflictOf(store.delete(c, 'a', 1));
        expect(conflict.actual).toBe(2);
        expect(await store.get(c, 'a')).not.toBeNull();

        expect(await store.delete(c, 'a', 2)).toBe(true);
        expect(await store.get(c, 'a')).toBeNull();
        expect(await store.delete(c, 'a')).toBe(false);

        // a document created again after a delete starts over at version 1
        expect(await store.put(c, 'a', { n: 3 }, 'absent')).toBe(1);
        expect(await store.delete(c, 'a')).toBe(true);
      });
    });

    describe('getMany', () => {
      it('reads the documents of many ids at once: found ones by id, absent ones left out, duplicates once', async () => {
        const c = newCollection();
        await store.put(c, 'a', { n: 1 });
        await store.put(c, 'b', { n: 2 });
        await store.put(c, 'b', { n: 3 });
        const found = await store.getMany(c, ['b', 'missing', 'a', 'b']);
        expect(found.size).toBe(2);
        expect(found.get('a')).toEqual({ id: 'a', version: 1, data: { n: 1 } });
        expect(found.get('b')).toEqual({ id: 'b', version: 2, data: { n: 3 } });
        expect(found.has('missing')).toBe(false);
      });

      it('answers an empty map for no ids and for a collection that does not exist', async () => {
        const c = newCollection();
        expect((await store.getMany(c, [])).size).toBe(0);
        expect((await store.getMany(c, ['a', 'b'])).size).toBe(0);
      });

      it('reads a batch of a few thousand ids in one call (more ids than SQLite binds in one statement)', async () => {
        const c = newCollection();
        const ids = Array.from({ length: 2500 }, (_, i) => `doc-${i}`);
        await store.commitBatch(
          ids.map((id, i) => ({ op: 'put' as const, collection: c, id, data: { i }, expectedVersion: 'absent' as const })),
        );
        const wanted = [...ids.filter((_, i) => i % 2 === 0), ...Array.from({ length: 40_000 }, (_, i) => `absent-${i}`)];
        const found = await store.getMany<{ i: number }>(c, wanted);
        expect(found.size).toBe(1250);
        expect(found.get('doc-2498')).toEqual({ id: 'doc-2498', version: 1, data: { i: 2498 } });
        expect(found.has('doc-1')).toBe(false);
      });
    });

    describe('find and count', () => {
      const seed = async (c: string): Promise<void> => {
        await store.ensureCollection(c, ['status', 'age', 'child.id', 'active', 'date']);
        await store.ensureCollection(c, ['status', 'age', 'child.id', 'active', 'date']); // idempotent
        const docs: Record<string, Record<string, unknown>> = {
          d1: { status: 'open', age: 3, child: { id: 'c1' }, active: true, date: '2025-01-05' },
          d2: { status: 'closed', age: 7, child: { id: 'c2' }, active: false, date: '2025-01-20' },
          d3: { status: 'open', age: 10, child: { id: 'c1' }, active: true, date: '2025-02-01' },
          d4: { status: 'pending', age: 5, child: { id: 'c3' }, active: false, date: '2024-12-31' },
          // type traps: a number 1 is not `true`, a string "6" is not in a numeric range
          d5: { status: 'open', age: '6', child: { id: 'c2' }, active: 1, date: '2025-01-10' },
        };
        for (const [id, data] of Object.entries(docs)) await store.put(c, id, data);
      };

      it('filters on equality, membership, ranges, dotted fields and booleans', async () => {
        const c = newCollection();
        await seed(c);
        const find = async (where: FindQuery['where']): Promise<string[]> => ids((await store.find(c, { where })).items);

        expect(await find(undefined)).toEqual(['d1', 'd2', 'd3', 'd4', 'd5']);
        expect(await find({ status: 'open' })).toEqual(['d1', 'd3', 'd5']);
        expect(await find({ status: { in: ['closed', 'pending'] } })).toEqual(['d2', 'd4']);
        expect(await find({ status: { in: [] } })).toEqual([]);
        expect(await find({ age: { gte: 5, lt: 10 } })).toEqual(['d2', 'd4']);
        expect(await find({ age: { gt: 3 } })).toEqual(['d2', 'd3', 'd4']);
        expect(await find({ age: { lte: 3 } })).toEqual(['d1']);
        expect(await find({ date: { gte: '2025-01-01', lt: '2025-02-01' } })).toEqual(['d1', 'd2', 'd5']);
        expect(await find({ 'child.id': 'c1' })).toEqual(['d1', 'd3']);
        expect(await find({ 'child.id': { in: ['c2', 'c3'] } })).toEqual(['d2', 'd4', 'd5']);
        expect(await find({ active: true })).toEqual(['d1', 'd3']);
        expect(await find({ active: false })).toEqual(['d2', 'd4']);
        expect(await find({ status: 'open', 'child.id': 'c1', age: { gt: 3 } })).toEqual(['d3']);
        expect(await find({ status: 'unknown' })).toEqual([]);

        const [d1] = (await store.find(c, { where: { age: 3 } })).items;
        expect(d1).toEqual({
          id: 'd1',
          version: 1,
          data: { status: 'open', age: 3, child: { id: 'c1' }, active: true, date: '2025-01-05' },
        });
      });

      it('counts with and without a filter', async () => {
        const c = newCollection();
        expect(await store.count(c)).toBe(0);
        await seed(c);
        expect(await store.count(c)).toBe(5);
        expect(await store.count(c, { status: 'open' })).toBe(3);
        expect(await store.count(c, { age: { gte: 5 } })).toBe(3);
        expect(await store.count(c, { 'child.id': { in: ['c1'] }, active: true })).toBe(2);
      });

      it('sorts, limits and says whether more documents follow', async () => {
        const c = newCollection();
        await seed(c);
        const byAgeDesc = await store.find(c, { where: { age: { gte: 0 } }, sort: [{ field: 'age', direction: 'desc' }] });
        expect(ids(byAgeDesc.items)).toEqual(['d3', 'd2', 'd4', 'd1']);
        expect(byAgeDesc.nextCursor).toBeUndefined();

        const firstTwo = await store.find(c, { sort: [{ field: 'date', direction: 'asc' }], limit: 2 });
        expect(ids(firstTwo.items)).toEqual(['d4', 'd1']);
        expect(firstTwo.nextCursor).toEqual(expect.any(String));

        const exactlyAll = await store.find(c, { limit: 5 });
        expect(exactlyAll.items).toHaveLength(5);
        expect(exactlyAll.nextCursor).toBeUndefined();
      });

      it('sorts on two fields with mixed directions and pages with a cursor over every document exactly once', async () => {
        const c = newCollection();
        await store.ensureCollection(c, ['group', 'score', 'meta.rank']);
        const docs = Array.from({ length: 23 }, (_, i) => ({
          id: `doc-${String(i).padStart(2, '0')}`,
          data: { group: ['b', 'a', 'c'][i % 3], score: i % 4, meta: { rank: (i * 7) % 5 } },
        }));
        // insert in a scrambled order so that insertion order cannot pass for sort order
        for (const d of [...docs].reverse()) await store.put(c, d.id, d.data);

        // group asc, score desc, then id desc (the tie-breaker follows the last key's direction)
        const expected = [...docs]
          .sort(
            (x, y) => x.data.group.localeCompare(y.data.group) || y.data.score - x.data.score || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0),
          )
          .map((d) => d.id);
        const sort: FindQuery['sort'] = [
          { field: 'group', direction: 'asc' },
          { field: 'score', direction: 'desc' },
        ];
        const { pages, ids: visited } = await findAll(c, { sort, limit: 5 });
        expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
        expect(visited).toEqual(expected);
        expect(new Set(visited).size).toBe(23);

        // with a filter, the other mix of directions and a dotted sort field
        const filtered = docs.filter((d) => d.data.group !== 'b');
        const expectedFiltered = [...filtered]
          .sort((x, y) => y.data.meta.rank - x.data.meta.rank || x.data.score - y.data.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
          .map((d) => d.id);
        const second = await findAll(c, {
          where: { group: { in: ['a', 'c'] } },
          sort: [
            { field: 'meta.rank', direction: 'desc' },
            { field: 'score', direction: 'asc' },
          ],
          limit: 4,
        });
        expect(second.ids).toEqual(expectedFiltered);

        // default order: by id
        const byId = await findAll(c, { limit: 10 });
        expect(byId.ids).toEqual(docs.map((d) => d.id).sort());
      });

      it('rejects unsafe field names', async () => {
        const c = newCollection();
        await store.put(c, 'a', { n: 1 });
        await expect(store.find(c, { where: { 'n) OR 1=1 --': 1 } })).rejects.toThrow(Error);
        await expect(store.find(c, { where: { $where: 'true' } })).rejects.toThrow(Error);
        await expect(store.find(c, { sort: [{ field: "n'", direction: 'asc' }] })).rejects.toThrow(Error);
        await expect(store.count(c, { 'a b': 1 })).rejects.toThrow(Error);
        await expect(store.ensureCollection(c, ['bad field'])).rejects.toThrow(Error);
      });
    });

    describe('commitBatch and checkpoints', () => {
      it('writes nothing, and leaves the checkpoint unchanged, when one guard fails', async () => {
        const c1 = newCollection();
        const c2 = newCollection();
        const checkpoint = newCheckpoint();
        await store.put(c2, 'existing', { n: 1 });

        const conflict = await conflictOf(
          store.commitBatch(
            [
              { op: 'put', collection: c1, id: 'new', data: { n: 1 } },
              { op: 'delete', collection: c2, id: 'existing' },
              { op: 'put', collection: c2, id: 'other', data: { n: 1 }, expectedVersion: 4 },
            ],
            { name: checkpoint, position: 10 },
          ),
        );
        expect(conflict.collection).toBe(c2);
        expect(conflict.id).toBe('other');

        expect(await store.get(c1, 'new')).toBeNull();
        expect(await store.get(c2, 'existing')).toEqual({ id: 'existing', version: 1, data: { n: 1 } });
        expect(await store.getCheckpoint(checkpoint)).toBeUndefined();
      });

      it('applies a batch with its checkpoint once: replaying it is a no-op that returns false', async () => {
        const c = newCollection();
        const checkpoint = newCheckpoint();
        expect(await store.getCheckpoint(checkpoint)).toBeUndefined();
        await store.put(c, 'gone', { n: 0 });

        const batch = [
          { op: 'put' as const, collection: c, id: 'a', data: { n: 1 } },
          { op: 'put' as const, collection: c, id: 'b', data: { n: 2 }, expectedVersion: 'absent' as const },
          { op: 'delete' as const, collection: c, id: 'gone', expectedVersion: 1 },
        ];
        expect(await store.commitBatch(batch, { name: checkpoint, position: 10 })).toBe(true);
        expect(await store.getCheckpoint(checkpoint)).toBe(10);
        expect(await store.get(c, 'a')).toEqual({ id: 'a', version: 1, data: { n: 1 } });
        expect(await store.get(c, 'gone')).toBeNull();

        // the same events handled again (e.g. after a crash before the subscription saw the commit)
        expect(await store.commitBatch(batch, { name: checkpoint, position: 10 })).toBe(false);
        // an older position is a no-op as well
        expect(await store.commitBatch([{ op: 'put', collection: c, id: 'a', data: { n: 99 } }], { name: checkpoint, position: 7 })).toBe(
          false,
        );
        expect(await store.get(c, 'a')).toEqual({ id: 'a', version: 1, data: { n: 1 } });
        expect(await store.getCheckpoint(checkpoint)).toBe(10);

        // a later position moves on
        expect(
          await store.commitBatch([{ op: 'put', collection: c, id: 'a', data: { n: 3 }, expectedVersion: 1 }], {
            name: checkpoint,
            position: 12,
          }),
        ).toBe(true);
        expect(await store.get(c, 'a')).toEqual({ id: 'a', version: 2, data: { n: 3 } });
        expect(await store.getCheckpoint(checkpoint)).toBe(12);

        // only the checkpoint (events that touched no document of this projection)
        expect(await store.commitBatch([], { name: checkpoint, position: 15 })).toBe(true);
        expect(await store.getCheckpoint(checkpoint)).toBe(15);
      });

      it('applies a large batch of guarded creations, updates and deletes with its checkpoint, all at once', async () => {
        const c = newCollection();
        const checkpoint = newCheckpoint();
        const created = Array.from({ length: 1000 }, (_, i) => `d${i}`);
        expect(
          await store.commitBatch(
            created.map((id, i) => ({ op: 'put' as const, collection: c, id, data: { i }, expectedVersion: 'absent' as const })),
            { name: checkpoint, position: 100 },
          ),
        ).toBe(true);
        const before = await store.getMany<{ i: number }>(c, created);
        const ops = created.map((id) =>
          Number(id.slice(1)) % 3 === 0
            ? { op: 'delete' as const, collection: c, id, expectedVersion: before.get(id)!.version }
            : { op: 'put' as const, collection: c, id, data: { i: -1 }, expectedVersion: before.get(id)!.version },
        );
        expect(await store.commitBatch(ops, { name: checkpoint, position: 200 })).toBe(true);
        expect(await store.getCheckpoint(checkpoint)).toBe(200);
        const after = await store.getMany<{ i: number }>(c, created);
        expect(after.size).toBe(666);
        expect(after.get('d1')).toEqual({ id: 'd1', version: 2, data: { i: -1 } });
        expect(after.has('d999')).toBe(false);

        // one stale guard among a thousand: nothing of the batch is written, the checkpoint stays
        const stale = created
          .filter((id) => after.has(id))
          .map((id, n) => ({ op: 'put' as const, collection: c, id, data: { i: -2 }, expectedVersion: n === 500 ? 1 : 2 }));
        const conflict = await conflictOf(store.commitBatch(stale, { name: checkpoint, position: 300 }));
        expect(conflict.id).toBe(stale[500].id);
        expect(conflict.actual).toBe(2);
        expect(await store.getCheckpoint(checkpoint)).toBe(200);
        expect((await store.get(c, stale[0].id))?.data).toEqual({ i: -1 });
      });

      it('applies a batch without a checkpoint and returns true', async () => {
        const c = newCollection();
        expect(
          await store.commitBatch([
            { op: 'put', collection: c, id: 'a', data: { n: 1 } },
            { op: 'put', collection: c, id: 'a', data: { n: 2 }, expectedVersion: 1 },
          ]),
        ).toBe(true);
        expect(await store.get(c, 'a')).toEqual({ id: 'a', version: 2, data: { n: 2 } });
      });
    });

    describe('expiring collections', () => {
      const at = (offsetMs: number): string => new Date(clock.now().getTime() + offsetMs).toISOString();
      const HOUR = 3_600_000;

      it('purges documents past the earliest of their expiry fields, keeps the others', async () => {
        const c = newCollection();
        await store.ensureCollection(c, ['accountId'], { expiry: { fields: ['expiresAt', 'idleExpiresAt'] } });
        await store.ensureCollection(c, ['accountId'], { expiry: { fields: ['expiresAt', 'idleExpiresAt'] } }); // idempotent
        await store.put(c, 'idle', { accountId: 'a', expiresAt: at(12 * HOUR), idleExpiresAt: at(-1) });
        await store.put(c, 'over', { accountId: 'a', expiresAt: at(-1), idleExpiresAt: at(HOUR) });
        await store.put(c, 'alive', { accountId: 'a', expiresAt: at(12 * HOUR), idleExpiresAt: at(30 * 60_000) });
        await store.put(c, 'forever', { accountId: 'a' }); // no expiry field: never expires
        await store.put(c, 'unreadable', { accountId: 'a', expiresAt: 'not a date', idleExpiresAt: null });
        // an update moves the expiry (a session touched by a request)
        await store.put(c, 'touched', { accountId: 'a', expiresAt: at(12 * HOUR), idleExpiresAt: at(-1) });
        await store.put(c, 'touched', { accountId: 'a', expiresAt: at(12 * HOUR), idleExpiresAt: at(HOUR) }, 1);
        expect(await store.purgeExpired()).toBe(2);
        expect((await findAll(c, {})).ids.sort()).toEqual(['alive', 'forever', 'touched', 'unreadable']);
        expect(await store.count(c, { accountId: 'a' })).toBe(4);

        clock.advance(2 * HOUR);
        expect(await store.purgeExpired()).toBe(2);
        expect((await findAll(c, {})).ids.sort()).toEqual(['forever', 'unreadable']);
      });

      it('adds the retention delay to the instant (idempotency answers kept 24 h after createdAt)', async () => {
        const c = newCollection();
        await store.ensureCollection(c, [], { expiry: { fields: ['createdAt'], afterMs: 24 * HOUR } });
        await store.commitBatch([
          { op: 'put', collection: c, id: 'old', data: { createdAt: at(-25 * HOUR) } },
          { op: 'put', collection: c, id: 'recent', data: { createdAt: at(-23 * HOUR) }, expectedVersion: 'absent' },
        ]);
        expect(await store.purgeExpired()).toBe(1);
        expect(await store.get(c, 'old')).toBeNull();
        expect(await store.get(c, 'recent')).not.toBeNull();
      });

      it('refuses an expiry without fields or with unsafe field names', async () => {
        const c = newCollection();
        await expect(store.ensureCollection(c, [], { expiry: { fields: [] } })).rejects.toThrow(Error);
        await expect(store.ensureCollection(c, [], { expiry: { fields: ['a b'] } })).rejects.toThrow(Error);
      });
    });

    describe('collections', () => {
      it('drops a collection, which can then be used again', async () => {
        const c = newCollection();
        const other = newCollection();
        await store.ensureCollection(c, ['n']);
        await store.put(c, 'a', { n: 1 });
        await store.put(c, 'b', { n: 2 });
        await store.put(other, 'a', { n: 1 });

        await store.dropCollection(c);
        expect(await store.get(c, 'a')).toBeNull();
        expect(await store.count(c)).toBe(0);
        expect((await store.find(c, { where: { n: 1 } })).items).toEqual([]);
        expect(await store.get(other, 'a')).not.toBeNull();

        expect(await store.put(c, 'a', { n: 5 })).toBe(1);
        expect(await store.count(c)).toBe(1);

        await store.dropCollection(newCollection()); // unknown collection: no error
      });

      it('drops the checkpoint of the same name with the collection, so a collection filled again skips nothing', async () => {
        const c = newCollection();
        const other = newCheckpoint();
        expect(await store.commitBatch([{ op: 'put', collection: c, id: 'a', data: { n: 1 } }], { name: c, position: 10 })).toBe(true);
        expect(await store.commitBatch([], { name: other, position: 10 })).toBe(true);
        await store.dropCollection(c);
        expect(await store.getCheckpoint(c)).toBeUndefined();
        expect(await store.getCheckpoint(other)).toBe(10); // other checkpoints stay
        // the same events handled again into the emptied collection are written, not refused
        expect(await store.commitBatch([{ op: 'put', collection: c, id: 'a', data: { n: 1 } }], { name: c, position: 10 })).toBe(true);
        expect(await store.get(c, 'a')).toEqual({ id: 'a', version: 1, data: { n: 1 } });
        expect(await store.getCheckpoint(c)).toBe(10);
      });

      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });
  });
}
