import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteDocumentStore } from '../../src/platform/document-store/sqlite-document-store';
import Database from '../../src/platform/sqlite/sqlite-driver';
import { documentStoreContract } from './document-store.contract';

const directories: string[] = [];

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'document-store-'));
  directories.push(dir);
  return join(dir, 'documents.db');
}

afterAll(() => {
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

documentStoreContract('SQLite', async (clock) => {
  const store = new SqliteDocumentStore(tempFile(), clock);
  return { store, cleanup: () => store.close() };
});

describe('SqliteDocumentStore specifics', () => {
  let file: string;
  let store: SqliteDocumentStore;

  beforeEach(() => {
    file = tempFile();
    store = new SqliteDocumentStore(file);
  });

  afterEach(async () => {
    await store.close();
  });

  it('keeps collections whose names differ by a dash or an underscore apart', async () => {
    await store.put('waiting-list', 'a', { n: 1 });
    await store.put('waiting_list', 'a', { n: 2 });
    expect((await store.get('waiting-list', 'a'))?.data).toEqual({ n: 1 });
    expect((await store.get('waiting_list', 'a'))?.data).toEqual({ n: 2 });
  });

  it('rejects invalid collection names', async () => {
    for (const name of ['', '1abc', 'a"b', 'a b', 'a;drop', 'é', '-a']) {
      await expect(store.put(name, 'x', {})).rejects.toThrow(/Invalid collection name/);
      await expect(store.find(name)).rejects.toThrow(/Invalid collection name/);
    }
  });

  it('uses the expression indexes declared by ensureCollection', async () => {
    await store.ensureCollection('bookings', ['child.id', 'date']);
    for (let i = 0; i < 50; i++) await store.put('bookings', `b${i}`, { child: { id: `c${i % 5}` }, date: `2025-01-${10 + (i % 20)}` });
    const raw = new Database(file, { readonly: true });
    try {
      const plan = raw
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id FROM "doc_bookings" WHERE json_extract(data, '$.child.id') = 'c1' ORDER BY json_extract(data, '$.date')`,
        )
        .all() as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' | ')).toMatch(/USING INDEX "?idx:bookings:child\.id"?/);
    } finally {
      raw.close();
    }
    expect(await store.count('bookings', { 'child.id': 'c1' })).toBe(10);
  });

  it('reads an unknown collection as empty without creating it', async () => {
    expect(await store.get('nothing_here', 'a')).toBeNull();
    expect(await store.find('nothing_here')).toEqual({ items: [] });
    expect(await store.count('nothing_here')).toBe(0);
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'doc_nothing_here'").get()).toBeUndefined();
    } finally {
      raw.close();
    }
  });

  it('pages correctly with null and missing sort values in both directions', async () => {
    const values: (number | null | undefined)[] = [3, null, 1, undefined, 3, 2, null, 1, undefined, 2];
    for (const [i, v] of values.entries()) await store.put('mixed', `d${i}`, v === undefined ? {} : { v });
    for (const direction of ['asc', 'desc'] as const) {
      const all = await store.find('mixed', { sort: [{ field: 'v', direction }], limit: 1000 });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.find('mixed', { sort: [{ field: 'v', direction }], limit: 3, cursor });
        seen.push(...page.items.map((d) => d.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.items.map((d) => d.id));
      expect(new Set(seen).size).toBe(values.length);
    }
  });

  it('refuses a cursor from a query with another sort, and a forged cursor', async () => {
    for (let i = 0; i < 3; i++) await store.put('c', `d${i}`, { n: i });
    const { nextCursor } = await store.find('c', { sort: [{ field: 'n', direction: 'asc' }], limit: 1 });
    await expect(store.find('c', { sort: [{ field: 'n', direction: 'desc' }], cursor: nextCursor })).rejects.toThrow(/cursor/);
    await expect(store.find('c', { cursor: 'not-a-cursor' })).rejects.toThrow(/cursor/);
  });

  it('caps the page size at 1000', async () => {
    const ops = Array.from({ length: 1005 }, (_, i) => ({
      op: 'put' as const,
      collection: 'big',
      id: `d${String(i).padStart(4, '0')}`,
      data: { i },
    }));
    await store.commitBatch(ops);
    const page = await store.find('big', { limit: 5000 });
    expect(page.items).toHaveLength(1000);
    expect(page.nextCursor).toBeDefined();
    const rest = await store.find('big', { limit: 5000, cursor: page.nextCursor });
    expect(rest.items).toHaveLength(5);
    expect(rest.nextCursor).toBeUndefined();
    await expect(store.find('big', { limit: 0 })).rejects.toThrow(/limit/);
  });

  it('recovers when another connection drops a collection this one has used', async () => {
    await store.put('shared', 'a', { n: 1 });
    const other = new SqliteDocumentStore(file);
    try {
      await other.dropCollection('shared');
    } finally {
      await other.close();
    }
    expect(await store.get('shared', 'a')).toBeNull();
    expect(await store.put('shared', 'a', { n: 2 })).toBe(1);
    expect(await store.commitBatch([{ op: 'put', collection: 'shared', id: 'b', data: {} }])).toBe(true);
    expect(await store.count('shared')).toBe(2);
  });

  it('keeps documents and checkpoints across a reopen', async () => {
    await store.commitBatch([{ op: 'put', collection: 'kept', id: 'a', data: { n: 1 } }], { name: 'p', position: 42 });
    await store.close();
    store = new SqliteDocumentStore(file);
    expect(await store.get('kept', 'a')).toEqual({ id: 'a', version: 1, data: { n: 1 } });
    expect(await store.getCheckpoint('p')).toBe(42);
  });
});
