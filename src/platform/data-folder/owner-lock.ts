/**
 * One owner per data folder: an OS-level lock held for the life of the process and released by the
 * kernel when the process dies, however it dies (kill -9 included).
 *
 * The lock is SQLite's own file locking on a dedicated, empty database file `owner.lock`: the owner opens
 * it and begins an IMMEDIATE transaction that it never ends, which holds SQLite's RESERVED lock (a POSIX
 * advisory lock on the file). Another process — or another connection in this process, as SQLite tracks
 * its locks per file — gets SQLITE_BUSY at once. No dependency beyond better-sqlite3, works wherever
 * SQLite's own locking does (local file systems; not NFS, where SQLite's WAL is not supported either).
 *
 * The owner's pid is written beside it in `owner.json`, only to name the holder in the refusal message.
 * Nothing in the owning process may open `owner.lock` other than through this class: closing any file
 * descriptor of it would drop the process's POSIX locks on it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import Database from '../sqlite/sqlite-driver';

export const OWNER_LOCK_FILE = 'owner.lock';
export const OWNER_INFO_FILE = 'owner.json';

export interface OwnerInfo {
  pid: number;
  host: string;
  startedAt: string;
}

export class OwnerLock {
  private constructor(
    private readonly db: Database.Database,
    readonly info: OwnerInfo,
  ) {}

  /** The lock, or what is known of the process holding it. */
  static tryAcquire(dataDir: string, startedAt: string): OwnerLock | { heldBy: OwnerInfo | undefined } {
    const db = new Database(join(dataDir, OWNER_LOCK_FILE));
    try {
      db.pragma('busy_timeout = 0');
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return { heldBy: readOwner(dataDir) };
      throw error;
    }
    const info: OwnerInfo = { pid: process.pid, host: hostname(), startedAt };
    writeFileSync(join(dataDir, OWNER_INFO_FILE), `${JSON.stringify(info)}\n`);
    return new OwnerLock(db, info);
  }

  release(): void {
    if (!this.db.open) return;
    this.db.exec('ROLLBACK');
    this.db.close();
  }
}

function readOwner(dataDir: string): OwnerInfo | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, OWNER_INFO_FILE), 'utf8')) as OwnerInfo;
  } catch {
    return undefined;
  }
}
