/** FamilyKeyStore on SQLite: a `family_keys` table (kept in the events database file, backed up with it). */
import type { Statement } from 'better-sqlite3';

import { openDatabase, type SqliteDatabase } from '../sqlite/open-database';
import type { FamilyKeyRecord, FamilyKeyStore } from './family-keys.port';

interface KeyRow {
  family_id: string;
  key: Buffer | null;
  created_at: string;
  erased_at: string | null;
}

function toRecord(row: KeyRow): FamilyKeyRecord {
  return row.erased_at !== null || row.key === null
    ? { familyId: row.family_id, createdAt: row.created_at, erasedAt: row.erased_at ?? row.created_at }
    : { familyId: row.family_id, createdAt: row.created_at, key: Buffer.from(row.key) };
}

export class SqliteFamilyKeyStore implements FamilyKeyStore {
  private readonly db: SqliteDatabase;
  private readonly getStmt: Statement<[string], KeyRow>;
  private readonly insertStmt: Statement<[string, Buffer, string]>;
  private readonly destroyStmt: Statement<[string, string]>;
  private readonly tombstoneStmt: Statement<[string, string, string]>;

  constructor(filename: string) {
    this.db = openDatabase(filename, { synchronous: 'FULL' });
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS family_keys (
        family_id  TEXT PRIMARY KEY,
        key        BLOB,
        created_at TEXT NOT NULL,
        erased_at  TEXT
      );
    `);
    this.getStmt = this.db.prepare('SELECT family_id, key, created_at, erased_at FROM family_keys WHERE family_id = ?');
    this.insertStmt = this.db.prepare('INSERT OR IGNORE INTO family_keys (family_id, key, created_at) VALUES (?, ?, ?)');
    this.destroyStmt = this.db.prepare('UPDATE family_keys SET key = NULL, erased_at = COALESCE(erased_at, ?) WHERE family_id = ?');
    this.tombstoneStmt = this.db.prepare(
      'INSERT OR IGNORE INTO family_keys (family_id, key, created_at, erased_at) VALUES (?, NULL, ?, ?)',
    );
  }

  async get(familyIds: string[]): Promise<FamilyKeyRecord[]> {
    const records: FamilyKeyRecord[] = [];
    for (const id of new Set(familyIds)) {
      const row = this.getStmt.get(id);
      if (row) records.push(toRecord(row));
    }
    return records;
  }

  async createIfAbsent(familyId: string, key: Buffer, at: string): Promise<FamilyKeyRecord> {
    this.insertStmt.run(familyId, key, at);
    return toRecord(this.getStmt.get(familyId)!);
  }

  async destroy(familyId: string, at: string): Promise<void> {
    this.db
      .transaction(() => {
        this.tombstoneStmt.run(familyId, at, at);
        this.destroyStmt.run(at, familyId);
      })
      .immediate();
    // the key's bytes must not linger in free pages of the file
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
