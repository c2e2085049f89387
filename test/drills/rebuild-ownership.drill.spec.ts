/**
 * `npm run cli -- rebuild` as an operator runs it beside the portal (node dist/src/cli.js): the rebuild is
 * carried out by the process that owns the projections, not by the CLI; with the portal stopped, the CLI does it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { waitFor } from '../support/wait-for';
import { ensureBuilt, freePort, type Started, startNode, stop, waitForHttp } from './support/built-process';

describe('Rebuild from the CLI (real processes)', () => {
  let dir: string;
  let port: number;
  let portal: Started;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'portail-rebuild-'));
    port = await freePort();
    portal = startNode('main.js', [], { DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1' });
    await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 60_000, 200);
  }, 120_000);

  afterAll(async () => {
    if (portal) await stop(portal);
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = async (...args: string[]) => {
    const run = startNode('cli.js', args, { DATA_DIR: dir });
    const code = await run.exited;
    return { code, output: run.output() };
  };

  it('is carried out by the running portal (the owner), which then keeps the new collection up to date', async () => {
    const { code, output } = await cli('rebuild', 'family-record');
    expect({ code, output }).toMatchObject({ code: 0 });
    // by the portal's runner (its id is host:pid:random)
    expect(output).toMatch(new RegExp(`Projection family-record reconstruite .* rebuilt by [^\\s]+:${portal.child.pid}:`));

    // the portal follows: a new family shows up in the rebuilt read model
    const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ login: '1001001818331', password: 'Tournesol-Vert-2026' }),
    });
    const { token } = (await login.json()) as { token: string };
    const contact = await fetch(`http://127.0.0.1:${port}/families/1001001818331/requests/tax`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ changes: { year: 2025 } }),
    });
    expect(contact.status).toBe(201);
    // read models follow the log shortly after the answer (eventually consistent): wait until it is handled
    type Ready = { projections: { name: string; lagPositions: number; running: boolean }[] };
    let familyRecord: Ready['projections'][number] | undefined;
    await waitFor(
      async () => {
        const ready = await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 10_000, 200);
        familyRecord = ((await ready.json()) as Ready).projections.find((p) => p.name === 'family-record');
        return familyRecord?.lagPositions === 0;
      },
      { timeoutMs: 10_000, intervalMs: 100, message: 'family-record to handle the new request' },
    ).catch(() => undefined);
    expect(familyRecord).toMatchObject({ lagPositions: 0, running: true });
  });

  it('with the portal stopped, the CLI rebuilds by itself', async () => {
    expect(await stop(portal, 15_000)).not.toBe('SIGKILL');
    const { code, output } = await cli('rebuild', 'staff-queue');
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toMatch(/No process owns the projections: rebuilding here/);
    expect(output).toMatch(/Projection staff-queue reconstruite .* rebuilt by [^\s]+:\d+:/);
    expect(output).not.toMatch(new RegExp(`:${portal.child.pid}:`));
  });

  it('refuses an unknown projection (exit 64)', async () => {
    const { code, output } = await cli('rebuild', 'nope');
    expect(code).toBe(64);
    expect(output).toMatch(/Projection inconnue/);
  });
});
