/**
 * Start-up checks of the embedded runtime's data folder, run before anything opens a store:
 *
 * - the folder can be created and written;
 * - one owner: the process that runs projections, workflows and job workers holds the folder's owner lock
 *   (owner-lock.ts); a second one is refused (exit 75) with the holder's pid. Processes started with
 *   RUN_PROJECTIONS=false (API only) and the CLI take no lock;
 * - each database file that exists opens, is a SQLite database and passes `PRAGMA quick_check`;
 * - nothing is ahead of the event log: no read-model or workflow checkpoint beyond its last position (an
 *   emptied, deleted or older events.sqlite would otherwise be served silently with newer read models);
 * - a folder that has ever held data (marker `portail-data.json`, written at first start) is never taken
 *   for a new one: demo data is only created in a brand-new folder.
 *
 * Each refusal is a StartupError: one operator line naming the file, DATA_DIR and what to do, and an exit
 * code (exit-codes.ts).
 */
import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { EXIT, StartupError } from '../lifecycle/exit-codes';
import Database from '../sqlite/sqlite-driver';
import { OwnerLock } from './owner-lock';

export const EVENTS_FILE = 'events.sqlite';
export const READ_MODELS_FILE = 'read-models.sqlite';
export const JOBS_FILE = 'jobs.sqlite';
export const DATA_FILES = [EVENTS_FILE, READ_MODELS_FILE, JOBS_FILE] as const;
export const MARKER_FILE = 'portail-data.json';

export interface DataFolder {
  /** absolute path; undefined in server mode */
  readonly dir: string | undefined;
  /** true only when this start created the folder's first files: the only case demo data may be created */
  readonly brandNew: boolean;
  /** whether this process owns the folder (holds the owner lock) */
  readonly owner: boolean;
  release(): void;
}

export const SERVER_DATA_FOLDER: DataFolder = { dir: undefined, brandNew: false, owner: false, release: () => undefined };

export interface DataFolderOptions {
  dataDir: string;
  /** take the owner lock (RUN_PROJECTIONS=true) */
  own: boolean;
  /** ISO instant written in the marker and owner.json */
  startedAt: string;
}

const RESTORE_HINT = 'restore the folder from a backup (npm run cli -- restore <backup> <folder>) or move the file aside';

export function openDataFolder(options: DataFolderOptions): DataFolder {
  const dir = resolve(options.dataDir);
  const where = `DATA_DIR=${dir}`;
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new StartupError(
      EXIT.CANT_WRITE,
      `${where} cannot be created or written (${(error as Error).message}): give this user write access to it or set DATA_DIR to a writable folder / dossier de données non accessible en écriture`,
    );
  }
  if (existsSync(join(dir, EVENTS_FILE)) && statSync(join(dir, EVENTS_FILE)).isDirectory()) {
    throw new StartupError(EXIT.IO, `${EVENTS_FILE} in ${where} is a directory, not a database file: move it aside / fichier illisible`);
  }

  let lock: OwnerLock | undefined;
  if (options.own) {
    const acquired = tryLock(dir, where, options.startedAt);
    if ('heldBy' in acquired) {
      const holder = acquired.heldBy
        ? `pid ${acquired.heldBy.pid} on ${acquired.heldBy.host}, started ${acquired.heldBy.startedAt}`
        : 'a process whose pid is unknown';
      throw new StartupError(
        EXIT.LOCKED,
        `${where} is already owned by another portal process (${holder}): stop it first, or start this one with RUN_PROJECTIONS=false to serve the API only / dossier de données déjà utilisé par un autre processus`,
      );
    }
    lock = acquired;
  }
  try {
    const existed = DATA_FILES.filter((file) => existsSync(join(dir, file)));
    for (const file of existed) checkDatabase(dir, file, where);
    const markerExisted = existsSync(join(dir, MARKER_FILE));
    if (markerExisted && !existed.includes(EVENTS_FILE) && existed.includes(READ_MODELS_FILE)) {
      throw new StartupError(
        EXIT.DATA,
        `${EVENTS_FILE} is missing from ${where}, which has held data (${MARKER_FILE}): ${RESTORE_HINT} / journal des événements absent`,
      );
    }
    checkNothingAheadOfEvents(dir, where);
    if (!markerExisted) {
      writeFileSync(join(dir, MARKER_FILE), `${JSON.stringify({ createdAt: options.startedAt })}\n`, { flag: 'wx' });
    }
    const brandNew = !markerExisted && existed.length === 0;
    return { dir, brandNew, owner: lock !== undefined, release: () => lock?.release() };
  } catch (error) {
    lock?.release();
    if (error instanceof StartupError) throw error;
    throw new StartupError(EXIT.IO, `${where} could not be checked (${(error as Error).message}) / dossier de données illisible`);
  }
}

function tryLock(dir: string, where: string, startedAt: string): ReturnType<typeof OwnerLock.tryAcquire> {
  try {
    return OwnerLock.tryAcquire(dir, startedAt);
  } catch (error) {
    throw databaseError(error, 'owner.lock', where);
  }
}

/** Opens the file, runs quick_check, closes it. */
function checkDatabase(dir: string, file: string, where: string): void {
  const path = join(dir, file);
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new StartupError(
      EXIT.CANT_WRITE,
      `${file} in ${where} cannot be read and written by this user (${(error as NodeJS.ErrnoException).code}): fix its owner or permissions (read-only file?) / fichier de données non accessible en écriture`,
    );
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const problems = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new StartupError(
        EXIT.DATA,
        `${file} in ${where} is corrupt (quick_check: ${problems.join('; ')}): ${RESTORE_HINT} / fichier de données corrompu`,
      );
    }
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw databaseError(error, file, where);
  } finally {
    db?.close();
  }
}

/** A SQLite error met while opening or checking a data file, as the operator line for it. */
export function databaseError(error: unknown, file: string, where: string): StartupError {
  const code = String((error as { code?: string }).code ?? '');
  const detail = (error as Error).message;
  if (code === 'SQLITE_NOTADB') {
    return new StartupError(
      EXIT.DATA,
      `${file} in ${where} is not a SQLite database (truncated, overwritten or another file: ${detail}): ${RESTORE_HINT} / ce fichier n'est pas une base de données`,
    );
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new StartupError(EXIT.DATA, `${file} in ${where} is corrupt (${detail}): ${RESTORE_HINT} / fichier de données corrompu`);
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_FULL') {
    return new StartupError(
      EXIT.CANT_WRITE,
      `${file} in ${where} cannot be written (${detail}): check the disk space, the file's permissions and that the file system is not read-only / écriture impossible`,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    return new StartupError(EXIT.IO, `${file} in ${where} cannot be opened (${detail}): check the disk and the file / fichier illisible`);
  }
  return new StartupError(EXIT.IO, `${file} in ${where} could not be opened (${code || 'error'}: ${detail}) / fichier illisible`);
}

function checkNothingAheadOfEvents(dir: string, where: string): void {
  if (!existsSync(join(dir, READ_MODELS_FILE))) return;
  const head = withDatabase(join(dir, EVENTS_FILE), (db) =>
    hasTable(db, 'events') ? (db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events').get() as { head: number }).head : 0,
  );
  const ahead = withDatabase(join(dir, READ_MODELS_FILE), (db) =>
    hasTable(db, 'checkpoints')
      ? (db.prepare('SELECT name, position FROM checkpoints WHERE position > ? ORDER BY position DESC').all(head ?? 0) as {
          name: string;
          position: number;
        }[])
      : [],
  );
  if (ahead && ahead.length > 0) {
    throw new StartupError(
      EXIT.DATA,
      `${READ_MODELS_FILE} in ${where} is ahead of the event log: ${EVENTS_FILE} ends at position ${head ?? 0} but ${ahead.length} checkpoint(s) are further (${ahead[0].name} at ${ahead[0].position}); ` +
        `${EVENTS_FILE} was emptied, deleted or replaced by an older copy: restore the whole folder from a backup (npm run cli -- restore <backup> <folder>), ` +
        `or, if the event log is right, move ${READ_MODELS_FILE} aside to rebuild the read models from it / les vues sont en avance sur le journal des événements`,
    );
  }
}

function withDatabase<T>(path: string, read: (db: Database.Database) => T): T | undefined {
  if (!existsSync(path)) return undefined;
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return read(db);
  } finally {
    db.close();
  }
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
