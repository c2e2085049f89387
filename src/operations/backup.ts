/**
 * Online backup and verified restore of an embedded data folder.
 *
 * `backup` copies the three databases with SQLite's backup API (better-sqlite3 `db.backup()`) while the
 * portal serves: each copy is one consistent snapshot of its database, taken in one step (a single read
 * transaction, so writers are never blocked and the copy never mixes two moments). The read models and
 * jobs are copied first and the event log last, so the copy of the log is at least as recent as every
 * checkpoint copied: the restored read models are never ahead of the restored log (the start-up check
 * would refuse them), and what they lack is caught up from the log at the next start. Each copy passes
 * `PRAGMA integrity_check` before it is archived with a manifest (counts, last event position, versions,
 * checksums) in one .tar.gz file.
 *
 * `restore` unpacks a backup into a new (or empty) data folder and verifies it before anyone uses it:
 * checksums, integrity check of each database, event count and last position against the manifest, the
 * start-up checks of the portal, and every read model replayed from the log and compared with the restored
 * one. Any difference refuses the restore (exit 65).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import * as tar from 'tar';

import { EVENTS_FILE, JOBS_FILE, MARKER_FILE, openDataFolder, READ_MODELS_FILE } from '../platform/data-folder/data-folder';
import { EXIT, StartupError } from '../platform/lifecycle/exit-codes';
import Database from '../platform/sqlite/sqlite-driver';
import { compareReadModelsWithRebuild, type ReadModelComparison } from './read-model-check';

export const BACKUP_FORMAT = 'portail-famille-backup';
export const MANIFEST_FILE = 'manifest.json';
/** the order of the copies: see the head of this file */
const COPY_ORDER = [READ_MODELS_FILE, JOBS_FILE, EVENTS_FILE] as const;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: 1;
  createdAt: string;
  application: { name: string; version: string };
  sqliteVersion: string;
  source: string;
  files: Record<string, { bytes: number; sha256: string }>;
  events: { count: number; lastPosition: number };
  projections: { name: string; version: number; collection: string; checkpoint: number }[];
  checkpoints: Record<string, number>;
  jobs: Record<string, number>;
}

export class OperationError extends StartupError {}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function packageInfo(): { name: string; version: string } {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      const { name, version } = JSON.parse(readFileSync(path, 'utf8')) as { name: string; version: string };
      return { name, version };
    }
  }
  return { name: 'portail-famille', version: 'unknown' };
}

function readOnly<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function integrityCheck(path: string): string[] {
  return readOnly(path, (db) => (db.pragma('integrity_check(10)') as { integrity_check: string }[]).map((r) => r.integrity_check));
}

function eventFacts(path: string): { count: number; lastPosition: number } {
  return readOnly(path, (db) =>
    hasTable(db, 'events')
      ? (db.prepare('SELECT COUNT(*) AS count, COALESCE(MAX(position), 0) AS lastPosition FROM events').get() as {
          count: number;
          lastPosition: number;
        })
      : { count: 0, lastPosition: 0 },
  );
}

function readModelFacts(path: string): Pick<BackupManifest, 'projections' | 'checkpoints'> {
  return readOnly(path, (db) => {
    const checkpoints: Record<string, number> = {};
    if (hasTable(db, 'checkpoints')) {
      for (const row of db.prepare('SELECT name, position FROM checkpoints ORDER BY name').all() as { name: string; position: number }[]) {
        checkpoints[row.name] = row.position;
      }
    }
    const projections = hasTable(db, 'doc_projection_state')
      ? (db.prepare('SELECT data FROM doc_projection_state ORDER BY id').all() as { data: string }[]).map((row) => {
          const state = JSON.parse(row.data) as { name: string; version: number; collection: string };
          return { name: state.name, version: state.version, collection: state.collection, checkpoint: checkpoints[state.collection] ?? 0 };
        })
      : [];
    return { projections, checkpoints };
  });
}

function jobFacts(path: string): Record<string, number> {
  return readOnly(path, (db) => {
    if (!hasTable(db, 'jobs')) return {};
    const counts: Record<string, number> = {};
    for (const row of db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as { status: string; n: number }[]) {
      counts[row.status] = row.n;
    }
    return counts;
  });
}

/** Takes an online backup of `dataDir` into the archive `file` (which must not exist). */
export async function backup(dataDir: string, file: string, now: () => Date): Promise<BackupManifest> {
  const source = resolve(dataDir);
  const target = resolve(file);
  if (existsSync(target)) throw new OperationError(EXIT.USAGE, `${target} already exists: choose a new file name / le fichier existe déjà`);
  if (!existsSync(join(source, EVENTS_FILE))) {
    throw new OperationError(EXIT.IO, `no ${EVENTS_FILE} in DATA_DIR=${source}: nothing to back up / aucune donnée à sauvegarder`);
  }
  mkdirSync(dirname(target), { recursive: true });
  const work = mkdtempSync(join(dirname(target), `.${basename(target)}-`));
  try {
    for (const name of COPY_ORDER) {
      const from = join(source, name);
      if (!existsSync(from)) continue;
      const db = new Database(from, { fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        // one step: the whole database copied from one read transaction (a consistent snapshot)
        await db.backup(join(work, name), { progress: () => 0x7fffffff });
      } finally {
        db.close();
      }
      const problems = integrityCheck(join(work, name));
      if (problems.join() !== 'ok') {
        throw new OperationError(
          EXIT.DATA,
          `the copy of ${name} fails its integrity check (${problems.join('; ')}): the source may be damaged`,
        );
      }
    }
    if (existsSync(join(source, MARKER_FILE))) copyFileSync(join(source, MARKER_FILE), join(work, MARKER_FILE));
    const files: BackupManifest['files'] = {};
    for (const name of readdirSync(work).sort()) files[name] = { bytes: statSync(join(work, name)).size, sha256: sha256(join(work, name)) };
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: 1,
      createdAt: now().toISOString(),
      application: packageInfo(),
      sqliteVersion: readOnly(join(work, EVENTS_FILE), (db) => (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v),
      source,
      files,
      events: eventFacts(join(work, EVENTS_FILE)),
      ...(existsSync(join(work, READ_MODELS_FILE)) ? readModelFacts(join(work, READ_MODELS_FILE)) : { projections: [], checkpoints: {} }),
      jobs: existsSync(join(work, JOBS_FILE)) ? jobFacts(join(work, JOBS_FILE)) : {},
    };
    writeFileSync(join(work, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await tar.create({ gzip: true, file: target, cwd: work, portable: true }, [MANIFEST_FILE, ...Object.keys(files)]);
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface RestoreReport {
  manifest: BackupManifest;
  events: { count: number; lastPosition: number };
  readModels: ReadModelComparison[];
}

/** Restores the archive `file` into `dataDir` (new or empty) and verifies it; throws OperationError on any mismatch. */
export async function restore(file: string, dataDir: string): Promise<RestoreReport> {
  const archive = resolve(file);
  const target = resolve(dataDir);
  if (!existsSync(archive)) throw new OperationError(EXIT.USAGE, `${archive} does not exist / sauvegarde introuvable`);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new OperationError(
      EXIT.CANT_WRITE,
      `${target} is not empty: restore into a new folder, then point DATA_DIR at it (the current data is never overwritten) / le dossier cible n'est pas vide`,
    );
  }
  mkdirSync(target, { recursive: true });
  const work = mkdtempSync(join(dirname(target), `.${basename(target)}-restore-`));
  let restored = false;
  try {
    await tar.extract({ file: archive, cwd: work, strict: true });
    const manifestPath = join(work, MANIFEST_FILE);
    if (!existsSync(manifestPath)) throw new OperationError(EXIT.DATA, `${archive} has no ${MANIFEST_FILE}: not a portal backup`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BackupManifest;
    if (manifest.format !== BACKUP_FORMAT || manifest.formatVersion !== 1) {
      throw new OperationError(
        EXIT.DATA,
        `${archive} is not a portal backup of a known format (${String(manifest.format)} ${String(manifest.formatVersion)})`,
      );
    }
    for (const [name, facts] of Object.entries(manifest.files)) {
      const path = join(work, name);
      if (!existsSync(path) || sha256(path) !== facts.sha256) {
        throw new OperationError(
          EXIT.DATA,
          `${name} in ${archive} is missing or differs from the manifest's checksum: the backup is damaged`,
        );
      }
    }
    for (const name of Object.keys(manifest.files)) copyFileSync(join(work, name), join(target, name));
    for (const name of [EVENTS_FILE, READ_MODELS_FILE, JOBS_FILE]) {
      if (!existsSync(join(target, name))) continue;
      const problems = integrityCheck(join(target, name));
      if (problems.join() !== 'ok')
        throw new OperationError(EXIT.DATA, `restored ${name} fails its integrity check (${problems.join('; ')})`);
    }
    const events = eventFacts(join(target, EVENTS_FILE));
    if (events.count !== manifest.events.count || events.lastPosition !== manifest.events.lastPosition) {
      throw new OperationError(
        EXIT.DATA,
        `restored ${EVENTS_FILE} holds ${events.count} events up to position ${events.lastPosition}, the manifest says ${manifest.events.count} up to ${manifest.events.lastPosition}`,
      );
    }
    // the portal's own start-up checks (quick_check, nothing ahead of the log), as its next start will run them
    const folder = openDataFolder({ dataDir: target, own: true, startedAt: manifest.createdAt });
    folder.release();
    const readModels = await compareReadModelsWithRebuild(target);
    const differences = readModels.flatMap((c) => c.differences.map((d) => `${c.projection}: ${d}`));
    if (differences.length > 0) {
      throw new OperationError(
        EXIT.DATA,
        `restored read models differ from a replay of the restored log (${differences.length}: ${differences.slice(0, 5).join('; ')})`,
      );
    }
    restored = true;
    return { manifest, events, readModels };
  } finally {
    rmSync(work, { recursive: true, force: true });
    // a restore that failed its checks leaves nothing behind that could be started by mistake
    if (!restored) rmSync(target, { recursive: true, force: true });
  }
}
