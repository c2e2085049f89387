/**
 * The projector process (node dist/src/projector.js) answers liveness, readiness and metrics probes on
 * PROJECTOR_HEALTH_PORT, with projection and workflow lag, like the API does on its own port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureBuilt, freePort, type Started, startNode, stop, waitForHttp } from './support/built-process';

describe('Projector health listener (real process)', () => {
  let dir: string;
  let port: number;
  let projector: Started;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'portail-projector-'));
    port = await freePort();
    projector = startNode('projector.js', [], { DATA_DIR: dir, PROJECTOR_HEALTH_PORT: String(port), HOST: '127.0.0.1' });
    await waitForHttp(`http://127.0.0.1:${port}/health/live`, 30_000, 200);
  }, 120_000);

  afterAll(async () => {
    if (projector) await stop(projector);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers liveness, readiness with projections and workflows, and metrics; nothing else', async () => {
    const base = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${base}/health/live`)).json()).toEqual({ status: 'ok' });

    // demo data (embedded, fresh folder): the projector projects it and its workflows follow
    const ready = await waitForHttp(`${base}/health/ready`, 30_000, 200);
    const body = (await ready.json()) as {
      status: string;
      projections: { name: string; running: boolean }[];
      workflows: { name: string; lagSeconds: number; running: boolean }[];
    };
    expect(body.status).toBe('ok');
    expect(body.projections.length).toBeGreaterThan(0);
    expect(body.projections.every((p) => p.running)).toBe(true);
    expect(body.workflows.length).toBeGreaterThan(0);
    expect(body.workflows.every((w) => w.running)).toBe(true);

    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/^projection_lag_seconds\{projection="family-record"\} /m);
    expect(text).toMatch(new RegExp(`^workflow_lag_seconds\\{workflow="${body.workflows[0].name}"\\} `, 'm'));

    expect((await fetch(`${base}/families/1001001818331`)).status).toBe(404); // no API here
    expect((await fetch(`${base}/health`, { method: 'POST' })).status).toBe(405);
  });

  it('stops on SIGTERM, its health listener with it', async () => {
    const outcome = await stop(projector, 15_000);
    expect(outcome).not.toBe('SIGKILL');
    await expect(fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();
  });
});
