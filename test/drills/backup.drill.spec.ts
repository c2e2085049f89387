/**
 * Backup while the portal serves under write load, restore into a new folder, compare: the restored log is
 * an exact prefix of the live one holding everything acknowledged before the backup started, the restore
 * verifies itself, and the portal starts on the restored folder and serves its data. A damaged backup is
 * refused.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import * as tar from 'tar';

import Database from '../../src/platform/sqlite/sqlite-driver';
import { registeredFamilies } from './support/event-log';
import {
  call,
  ensureBuilt,
  login,
  type PortalProcess,
  registerFamiliesUnderLoad,
  ROOT,
  startPortal,
  tempDataDir,
  waitReady,
} from './support/portal-process';

jest.setTimeout(180_000);

const run = promisify(execFile);

async function cli(args: string[], dataDir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'dist/src/cli.js'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function eventRows(dataDir: string): { position: number; event_id: string; data: string }[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT position, event_id, data FROM events ORDER BY position').all() as {
      position: number;
      event_id: string;
      data: string;
    }[];
  } finally {
    db.close();
  }
}

describe('drill: backup under load, restore, compare', () => {
  const dirs: string[] = [];
  const running: PortalProcess[] = [];
  beforeAll(() => ensureBuilt());
  afterAll(() => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('takes a consistent online copy and restores a verified folder the portal serves again', async () => {
    const dataDir = tempDataDir();
    const work = mkdtempSync(join(tmpdir(), 'portail-backup-'));
    dirs.push(dataDir, work);
    const started = performance.now();
    const portal = await startPortal({ dataDir });
    running.push(portal);
    await waitReady(portal, started);
    const token = await login(portal.url, 'agent.saint-jean');
    let stop = false;
    const load = registerFamiliesUnderLoad(portal.url, token, { clients: 10, prefix: '75', shouldStop: () => stop });
    await new Promise((r) => setTimeout(r, 1000));

    const backupStarted = performance.now();
    const acknowledgedBefore = load.results.filter((r) => r.status === 201 && r.answeredAt! < backupStarted).map((r) => r.familyNumber);
    const archive = join(work, 'portail.tar.gz');
    const backup = await cli(['backup', archive], dataDir);
    const backupMs = performance.now() - backupStarted;
    const acknowledgedDuring = load.results.filter((r) => r.status === 201 && r.answeredAt! >= backupStarted).length;
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await load.done;
    load.agent.destroy();
    expect(backup).toMatchObject({ code: 0 });
    expect(acknowledgedDuring).toBeGreaterThan(0); // the portal kept serving writes while the copy was taken
    portal.child.kill('SIGTERM');
    expect((await portal.exited).code).toBe(0);

    const restored = join(work, 'restored');
    const restoreStarted = performance.now();
    const restore = await cli(['restore', archive, restored], dataDir);
    const restoreMs = performance.now() - restoreStarted;
    expect(restore.code).toBe(0);
    expect(restore.out).toMatch(/read models equal to a replay of the log/);

    const live = eventRows(dataDir);
    const copy = eventRows(restored);
    expect(copy.length).toBeGreaterThan(0);
    expect(copy).toEqual(live.slice(0, copy.length)); // an exact prefix of the live log
    const found = registeredFamilies(restored);
    expect(acknowledgedBefore.filter((id) => !found.has(id))).toEqual([]);

    const again = await startPortal({ dataDir: restored });
    running.push(again);
    const readyMs = await waitReady(again, performance.now());
    const staff = await login(again.url, 'agent.saint-jean');
    const sample = acknowledgedBefore[acknowledgedBefore.length - 1];
    expect((await call(again.url, { path: `/families/${sample}`, headers: { Authorization: `Bearer ${staff}` } })).status).toBe(200);
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);

    process.stdout.write(
      `[drill] backup under load: ${JSON.stringify({
        eventsInBackup: copy.length,
        eventsInLiveLogAtEnd: live.length,
        acknowledgedBeforeBackup: acknowledgedBefore.length,
        acknowledgedDuringBackup: acknowledgedDuring,
        backupMs: Math.round(backupMs),
        restoreAndVerifyMs: Math.round(restoreMs),
        timeToReadyOnRestoredMs: Math.round(readyMs),
      })}\n`,
    );

    // a damaged backup: one event changed inside the archive, the manifest left as it was
    const tampered = join(work, 'tampered');
    rmSync(tampered, { recursive: true, force: true });
    await tar.extract({ file: archive, cwd: work });
    const db = new Database(join(work, 'events.sqlite'));
    db.prepare("UPDATE events SET data = '{}' WHERE position = 1").run();
    db.close();
    const bad = join(work, 'bad.tar.gz');
    await tar.create({ gzip: true, file: bad, cwd: work }, ['manifest.json', 'events.sqlite', 'read-models.sqlite', 'jobs.sqlite']);
    const refused = await cli(['restore', bad, tampered], dataDir);
    expect(refused.code).toBe(65);
    expect(refused.out).toMatch(/differs from the manifest's checksum/);
  });
});
