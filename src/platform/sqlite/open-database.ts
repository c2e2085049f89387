/**
 * Opens a better-sqlite3 database file with the settings every embedded adapter relies on.
 *
 * - journal_mode=WAL: readers never block the writer and vice versa, and other processes (a CLI, the
 *   projector) can read while the API writes. WAL is persistent in the file once set.
 * - synchronous=FULL (default): with WAL, FULL fsyncs the log at every commit, so a committed transaction
 *   survives a power cut. NORMAL only fsyncs at checkpoints: still never corrupt, but the last commits can be
 *   lost. FULL for the events (the source of truth) and the jobs (a lost "offer expiry" job would never
 *   fire). NORMAL for the documents: read models and their checkpoints are rebuilt from the event log (a
 *   lost commit loses both the documents and the checkpoint, which replays), idempotency answers are backed
 *   by the event ids derived from the key, and at worst a logout committed just before a power cut is
 *   undone (the session still ends at its idle timeout). bench:rush showed fsyncs were most of the
 *   opening-morning cost: every projection batch and workflow checkpoint paid one.
 * - busy_timeout: another connection (or process) holding the write lock makes us wait instead of failing
 *   at once with SQLITE_BUSY. better-sqlite3 is synchronous, so this wait blocks the event loop: keep write
 *   transactions short (they are: a handful of statements, no I/O in between).
 * - foreign_keys=ON: off by default in SQLite for historical reasons.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import Database from './sqlite-driver';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  synchronous?: 'FULL' | 'NORMAL';
  /** how long a statement waits for a lock held by another connection (default 5000 ms) */
  busyTimeoutMs?: number;
}

/** True for SQLite's in-memory and anonymous temporary databases, which have no file of their own. */
export function isMemoryDatabase(filename: string): boolean {
  return filename === ':memory:' || filename === '' || filename.startsWith('file::memory:');
}

export function openDatabase(filename: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  if (!isMemoryDatabase(filename)) mkdirSync(dirname(resolve(filename)), { recursive: true });
  const db = new Database(filename);
  try {
    // busy_timeout first: switching to WAL itself needs a lock another process may hold
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    if (!isMemoryDatabase(filename)) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (String(mode).toLowerCase() !== 'wal') throw new Error(`Could not enable WAL on ${filename} (got ${String(mode)})`);
    }
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
    // keep the -wal file from staying huge after a burst (it is truncated to this size after checkpoints)
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Readiness' probe of a database that ran out of space: a 64 KiB write (new pages, unless freed ones are
 * available), committed, then deleted. Throws SQLITE_FULL while there is still no room.
 */
export function writeProbe(db: SqliteDatabase): void {
  db.exec('CREATE TABLE IF NOT EXISTS _write_probe (id INTEGER PRIMARY KEY, data BLOB NOT NULL)');
  db.prepare('INSERT INTO _write_probe (data) VALUES (zeroblob(65536))').run();
  db.prepare('DELETE FROM _write_probe').run();
}
