/**
 * An operator's bad mornings, each on a copy of a data folder that has served for a while: a second
 * portal on the same folder, an emptied, deleted, truncated, overwritten or partly garbled event log, a
 * read-only file, a file that cannot be opened. Each must stop the process with one line naming the file
 * and DATA_DIR and what to do, and a documented exit code — never a stack trace, never a start on an empty
 * log that recreates the demo accounts.
 */
import { chmodSync, closeSync, cpSync, mkdirSync, openSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

import {
  call,
  DEMO_PASSWORD,
  ensureBuilt,
  login,
  type PortalProcess,
  registerFamiliesUnderLoad,
  startPortal,
  tempDataDir,
  waitReady,
} from './support/portal-process';

jest.setTimeout(180_000);

describe('drill: starting on a damaged or busy data folder', () => {
  const dirs: string[] = [];
  const running: PortalProcess[] = [];
  let seeded: string;

  const copyOfSeeded = (): string => {
    const dir = tempDataDir();
    dirs.push(dir);
    cpSync(seeded, dir, { recursive: true });
    return dir;
  };

  /** Starts the portal and expects it to refuse: its exit code and its output. */
  async function refusal(dataDir: string, options: { env?: Record<string, string>; obeyFilePermissions?: boolean } = {}) {
    const portal = await startPortal({ dataDir, env: options.env, obeyFilePermissions: options.obeyFilePermissions });
    running.push(portal);
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      portal.exited,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running:\n${portal.output()}`)), 20_000))),
    ]).finally(() => clearTimeout(timer));
    return { code: exit.code, output: portal.output() };
  }

  const oneOperatorLine = (output: string, dataDir: string, file: string) => {
    const lines = output.split('\n').filter((l) => l.startsWith('Portail Famille:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toContain(`DATA_DIR=${dataDir}`);
    expect(output).not.toMatch(/^\s+at /m); // no stack trace
    return lines[0];
  };

  beforeAll(async () => {
    ensureBuilt();
    seeded = tempDataDir();
    dirs.push(seeded);
    const started = performance.now();
    const portal = await startPortal({ dataDir: seeded });
    running.push(portal);
    await waitReady(portal, started);
    const token = await login(portal.url, 'agent.saint-jean');
    const load = registerFamiliesUnderLoad(portal.url, token, { clients: 10, prefix: '74', shouldStop: () => false, maxPerClient: 30 });
    await load.done;
    load.agent.destroy();
    expect(load.results.filter((r) => r.status === 201)).toHaveLength(300);
    portal.child.kill('SIGTERM');
    await portal.exited; // its exit code is the shutdown drill's business
  });
  afterAll(() => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second owner of a folder in use, naming the first one', async () => {
    const dir = copyOfSeeded();
    const started = performance.now();
    const owner = await startPortal({ dataDir: dir });
    running.push(owner);
    await waitReady(owner, started);
    const second = await refusal(dir);
    expect(second.code).toBe(75);
    expect(oneOperatorLine(second.output, dir, 'already owned')).toContain(`pid ${owner.child.pid}`);
    owner.child.kill('SIGTERM');
    expect((await owner.exited).code).toBe(0);
  });

  it('warns at every start while demo accounts have the demo password', async () => {
    const dir = copyOfSeeded();
    const started = performance.now();
    const portal = await startPortal({ dataDir: dir });
    running.push(portal);
    await waitReady(portal, started);
    await portal.waitForLine(/still have the published demo password \(1001001818331, jeanne\.dupont/);
    portal.child.kill('SIGTERM');
    expect((await portal.exited).code).toBe(0);
  });

  it('refuses an emptied event log (read models ahead of it) and recreates no demo account', async () => {
    const dir = copyOfSeeded();
    truncateSync(join(dir, 'events.sqlite'), 0);
    const { code, output } = await refusal(dir);
    expect(code).toBe(65);
    expect(oneOperatorLine(output, dir, 'read-models.sqlite')).toMatch(/ahead of the event log: events\.sqlite ends at position 0/);
    expect(statSync(join(dir, 'events.sqlite')).size).toBe(0);
  });

  it('refuses a deleted event log', async () => {
    const dir = copyOfSeeded();
    rmSync(join(dir, 'events.sqlite'));
    const { code, output } = await refusal(dir);
    expect(code).toBe(65);
    expect(oneOperatorLine(output, dir, 'events.sqlite is missing')).toContain('restore');
  });

  it('never creates demo data in a folder that has held data, nor with NODE_ENV=production', async () => {
    const dir = copyOfSeeded();
    for (const file of ['events.sqlite', 'read-models.sqlite', 'jobs.sqlite']) rmSync(join(dir, file));
    const fresh = tempDataDir();
    dirs.push(fresh);
    for (const [dataDir, env] of [
      [dir, {}],
      [fresh, { NODE_ENV: 'production' }],
    ] as const) {
      const started = performance.now();
      const portal = await startPortal({ dataDir, env });
      running.push(portal);
      await waitReady(portal, started);
      const answer = await call(portal.url, { path: '/auth/login', body: { login: 'admin', password: DEMO_PASSWORD } });
      expect(answer.status).toBe(401);
      portal.child.kill('SIGTERM');
      await portal.exited;
      expect(portal.output()).not.toMatch(/demo data loaded/);
    }
  });

  it('refuses a file that is not a database, and a truncated one', async () => {
    const notDb = copyOfSeeded();
    writeFileSync(join(notDb, 'events.sqlite'), 'these are not the events you are looking for\n'.repeat(200));
    const first = await refusal(notDb);
    expect(first.code).toBe(65);
    expect(oneOperatorLine(first.output, notDb, 'events.sqlite')).toContain('is not a SQLite database');

    const truncated = copyOfSeeded();
    const file = join(truncated, 'events.sqlite');
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const second = await refusal(truncated);
    expect(second.code).toBe(65);
    expect(oneOperatorLine(second.output, truncated, 'events.sqlite')).toMatch(/corrupt|not a SQLite database/);
  });

  it('refuses 64 KB of garbage in the middle of the event log (quick_check)', async () => {
    const dir = copyOfSeeded();
    const file = join(dir, 'events.sqlite');
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(256 * 1024);
    const fd = openSync(file, 'r+');
    const garbage = Buffer.alloc(64 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 251;
    writeSync(fd, garbage, 0, garbage.length, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const { code, output } = await refusal(dir);
    expect(code).toBe(65);
    expect(oneOperatorLine(output, dir, 'events.sqlite')).toMatch(/is corrupt/);
  });

  it('refuses a read-only event log (as an unprivileged user) and a file that cannot be opened', async () => {
    const readOnly = copyOfSeeded();
    chmodSync(join(readOnly, 'events.sqlite'), 0o444);
    // root ignores file permissions: the portal runs without the capabilities that let it
    const first = await refusal(readOnly, { obeyFilePermissions: true });
    expect(first.code).toBe(73);
    expect(oneOperatorLine(first.output, readOnly, 'events.sqlite')).toContain('cannot be read and written');

    const unopenable = copyOfSeeded();
    rmSync(join(unopenable, 'events.sqlite'));
    mkdirSync(join(unopenable, 'events.sqlite'));
    const second = await refusal(unopenable);
    expect(second.code).toBe(74);
    oneOperatorLine(second.output, unopenable, 'events.sqlite');
  });
});
