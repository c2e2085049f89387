/**
 * SIGTERM under keep-alive load, as a supervisor's restart does it: 25 clients keep registering families on
 * kept-alive sockets while the signal arrives. Every 201 must be in the event log after a restart, no
 * request sent after the process started draining may be served, and the process must exit 0 well within
 * SHUTDOWN_TIMEOUT_MS. Then the same load with kill -9: every acknowledged registration survives and the
 * read models equal a rebuild.
 */
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';

import { compareReadModelsWithRebuild } from '../../src/operations/read-model-check';
import { waitFor } from '../support/wait-for';
import { registeredFamilies } from './support/event-log';
import {
  ensureBuilt,
  familyBody,
  type LoadResult,
  login,
  type PortalProcess,
  registerFamiliesUnderLoad,
  startPortal,
  tempDataDir,
  waitReady,
} from './support/portal-process';

jest.setTimeout(180_000);

const SHUTDOWN_TIMEOUT_MS = 5_000;

/** Printed by the drills: the figures the operations section of README quotes. */
function report(name: string, figures: Record<string, unknown>): void {
  process.stdout.write(`[drill] ${name}: ${JSON.stringify(figures)}\n`);
}

async function startReady(dataDir: string): Promise<{ portal: PortalProcess; readyMs: number }> {
  const started = performance.now();
  const portal = await startPortal({ dataDir, env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) } });
  const readyMs = await waitReady(portal, started);
  return { portal, readyMs };
}

describe('drill: stopping the portal under keep-alive load', () => {
  const dirs: string[] = [];
  const running: PortalProcess[] = [];

  beforeAll(() => ensureBuilt());
  afterEach(() => {
    for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM: in-flight requests finish, no new request is served, exit 0 in time, nothing acknowledged is lost', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const { portal, readyMs: firstReadyMs } = await startReady(dataDir);
    running.push(portal);
    const token = await login(portal.url, 'agent.saint-jean');

    let stop = false;
    const load = registerFamiliesUnderLoad(portal.url, token, { clients: 25, prefix: '71', shouldStop: () => stop });
    // let every client get a kept-alive socket and a few answers
    await new Promise((r) => setTimeout(r, 1500));
    const before = load.results.filter((r) => r.status === 201).length;
    expect(before).toBeGreaterThan(25);

    const sigtermAt = performance.now();
    portal.child.kill('SIGTERM');
    // when the test saw the process say it is draining: later than the drain really started (the line
    // travels through a pipe), so every request sent after it is certainly new to a draining process
    const drainingSeenAt = await portal.waitForLine(/SIGTERM received: draining/).then(() => performance.now());
    const exit = await portal.exited;
    stop = true;
    await load.done;
    load.agent.destroy();
    const exitMs = exit.at - sigtermAt;

    // Requests that reached the process before it handled the signal (its event loop may be busy with a
    // synchronous commit when the signal arrives) are still served; none sent once it drains may be.
    const lateServed = load.results.filter((r: LoadResult) => r.sentAt > drainingSeenAt && r.status === 201);
    const acknowledged = load.results.filter((r) => r.status === 201);
    const afterSignal = load.results.filter((r) => r.sentAt > sigtermAt);

    const restartedAt = performance.now();
    const again = await startPortal({ dataDir, env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) } });
    running.push(again);
    const readyMs = await waitReady(again, restartedAt);
    const found = registeredFamilies(dataDir);
    const missing = acknowledged.filter((r) => !found.has(r.familyNumber));
    again.child.kill('SIGTERM');
    const secondExit = await again.exited;

    report('SIGTERM under keep-alive load', {
      clients: 25,
      acknowledged: acknowledged.length,
      foundAfterRestart: acknowledged.length - missing.length,
      requestsSentAfterSignal: afterSignal.length,
      signalHandledWithinMs: Math.round(drainingSeenAt - sigtermAt),
      servedAfterDraining: lateServed.length,
      answersAfterSignal: [...new Set(afterSignal.map((r) => r.status ?? r.error))],
      exitCode: exit.code,
      timeToExitMs: Math.round(exitMs),
      timeToReadyFirstStartMs: Math.round(firstReadyMs),
      timeToReadyAfterRestartMs: Math.round(readyMs),
    });
    expect(lateServed).toEqual([]);
    expect(missing).toEqual([]);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(secondExit.code).toBe(0);
    expect(portal.output()).toMatch(/shutdown complete/);
  });

  it('SIGTERM: a request in flight on a kept-alive socket completes with Connection: close; the socket serves no other', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const { portal } = await startReady(dataDir);
    running.push(portal);
    const token = await login(portal.url, 'agent.saint-jean');
    const socket = connect(portal.port, '127.0.0.1');
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    // the server may close with a reset when the third request is already in its receive buffer: that is
    // "not served" too (events.once would reject on the socket's error, so listen to 'close' alone)
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => undefined);
    const raw = (familyNumber: string) => {
      const body = JSON.stringify(familyBody(familyNumber));
      return {
        head:
          `POST /families HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
        body,
      };
    };
    // a first request answered: the socket is kept alive
    const first = raw('7300000001');
    socket.write(first.head + first.body);
    await waitFor(() => /\r\n\r\n[\s\S]*\}/.test(received), { timeoutMs: 5000 });
    expect(received).toMatch(/^HTTP\/1\.1 201/);
    expect(received).not.toMatch(/connection: close/i);
    received = '';
    // the second one is in flight (half its body sent) when SIGTERM arrives
    const second = raw('7300000002');
    socket.write(second.head + second.body.slice(0, 20));
    await new Promise((r) => setTimeout(r, 100));
    portal.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    socket.write(second.body.slice(20));
    await waitFor(() => /\r\n\r\n[\s\S]*\}/.test(received), { timeoutMs: 5000 });
    const answer = received;
    received = '';
    // a third request on the same socket after the answer must not be served
    const third = raw('7300000003');
    socket.write(third.head + third.body, () => undefined);
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
    const exit = await portal.exited;
    expect(answer).toMatch(/^HTTP\/1\.1 201/);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(received).not.toMatch(/HTTP\/1\.1 201/);
    expect(exit.code).toBe(0);
    const found = registeredFamilies(dataDir);
    expect(found.has('7300000002')).toBe(true);
    expect(found.has('7300000003')).toBe(false);
  });

  it('SIGTERM with a request that never finishes: exits 70 at SHUTDOWN_TIMEOUT_MS with one line saying what was cut', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const started = performance.now();
    const portal = await startPortal({ dataDir, env: { SHUTDOWN_TIMEOUT_MS: '1500' } });
    running.push(portal);
    await waitReady(portal, started);
    const token = await login(portal.url, 'agent.saint-jean');
    const socket = connect(portal.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.on('error', () => undefined);
    const body = JSON.stringify(familyBody('7400000001'));
    // a client that stalls in the middle of its body: the request stays in flight
    socket.write(
      `POST /families HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    const sigtermAt = performance.now();
    portal.child.kill('SIGTERM');
    const exit = await portal.exited;
    socket.destroy();
    expect(exit.code).toBe(70);
    expect(exit.at - sigtermAt).toBeGreaterThanOrEqual(1400);
    expect(exit.at - sigtermAt).toBeLessThan(4000);
    const cut = portal.lines.filter((l) => l.includes('shutdown timed out'));
    expect(cut).toHaveLength(1);
    expect(cut[0]).toMatch(/1 request\(s\) in flight \[POST \/families \(\d+ ms\)\]/);
    expect(registeredFamilies(dataDir).has('7400000001')).toBe(false);
  });

  it('kill -9 under load: every acknowledged command is in the log and the read models equal a rebuild', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const { portal } = await startReady(dataDir);
    running.push(portal);
    const token = await login(portal.url, 'agent.saint-jean');
    let stop = false;
    const load = registerFamiliesUnderLoad(portal.url, token, { clients: 25, prefix: '72', shouldStop: () => stop });
    await new Promise((r) => setTimeout(r, 1500));
    portal.child.kill('SIGKILL');
    await portal.exited;
    stop = true;
    await load.done;
    load.agent.destroy();
    const acknowledged = load.results.filter((r) => r.status === 201);

    const restartedAt = performance.now();
    const again = await startPortal({ dataDir });
    running.push(again);
    const readyMs = await waitReady(again, restartedAt);
    const found = registeredFamilies(dataDir);
    const missing = acknowledged.filter((r) => !found.has(r.familyNumber));
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
    const comparison = await compareReadModelsWithRebuild(dataDir);

    report('kill -9 under load', {
      clients: 25,
      acknowledged: acknowledged.length,
      foundAfterRestart: acknowledged.length - missing.length,
      eventsInLog: found.size,
      timeToReadyAfterRestartMs: Math.round(readyMs),
      readModels: comparison.map((c) => `${c.projection}: ${c.documents} documents, ${c.differences.length} differences`),
    });
    expect(acknowledged.length).toBeGreaterThan(25);
    expect(missing).toEqual([]);
    expect(comparison.flatMap((c) => c.differences)).toEqual([]);
  });
});
