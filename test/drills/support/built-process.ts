/**
 * Drills run the built processes as an operator would (node dist/src/…). `npm run build` runs when the sources
 * changed since the last build a drill made (a stamp in dist/ records the newest source file time), so a whole
 * `npm test` builds once, and again only after an edit.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../../..');
const STAMP = join(ROOT, 'dist', '.drill-build-stamp');

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestSource(join(path, entry))));
}

export function ensureBuilt(): void {
  const sources = ['src', 'projections', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts']
    .map((p) => join(ROOT, p))
    .filter((p) => existsSync(p));
  const newest = String(Math.max(...sources.map(newestSource)));
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === newest) return;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
  writeFileSync(STAMP, newest);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Started {
  child: ChildProcess;
  output(): string;
  /** resolves with the exit code (or the signal's name) */
  exited: Promise<number | string>;
}

/** Start `node dist/src/<script>` with its own environment (LOG_LEVEL warn unless given). */
export function startNode(script: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, [join(ROOT, 'dist/src', script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => output, exited };
}

/** Poll a URL until it answers `status` (any status when omitted), or fail after timeoutMs. */
export async function waitForHttp(url: string, timeoutMs: number, status?: number): Promise<Response> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  while (performance.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (status === undefined || response.status === status) return response;
      last = `status ${response.status}`;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer${status ? ` ${status}` : ''} within ${timeoutMs} ms: ${String(last)}`);
}

/** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function stop(started: Started, graceMs = 10_000): Promise<number | string> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return started.exited;
  started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), graceMs);
  try {
    return await started.exited;
  } finally {
    clearTimeout(timer);
  }
}
