/**
 * The portal as an operator runs it: `node dist/src/main.js` in a child process with its own DATA_DIR and
 * PORT. Drills start it, load it, kill it and restart it, and read its data folder afterwards.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
/**
 * DRILL_PORTAL_ROOT runs the drills against another checkout's build (already built), e.g. to see a drill
 * fail on the commit before a fix: `git worktree add /tmp/base <commit>`, link node_modules, `npm run build`.
 */
const PORTAL_ROOT = process.env.DRILL_PORTAL_ROOT ? resolve(process.env.DRILL_PORTAL_ROOT) : ROOT;
const MAIN = join(PORTAL_ROOT, 'dist/src/main.js');
const STAMP = join(ROOT, 'dist/.drill-build-stamp');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ once when a source file is newer than the last drill build (drills run the built process). */
export function ensureBuilt(): void {
  if (PORTAL_ROOT !== ROOT) return;
  const sources = Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'projections')));
  if (existsSync(STAMP) && existsSync(MAIN) && statSync(STAMP).mtimeMs >= sources) return;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
  writeFileSync(STAMP, new Date(0).toISOString());
}

export function tempDataDir(prefix = 'portail-drill-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the process ended */
  at: number;
}

export interface PortalProcess {
  child: ChildProcess;
  port: number;
  dataDir: string;
  url: string;
  /** stdout and stderr lines so far */
  lines: string[];
  output(): string;
  exited: Promise<Exit>;
  /** resolves with the first line matching, rejects after timeoutMs */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

export interface StartOptions {
  dataDir: string;
  port?: number;
  env?: Record<string, string>;
  /**
   * drills of permissions: file permissions apply to the portal even when the tests run as root (it runs
   * as root without the capabilities that bypass them, through util-linux's setpriv, so it can still read
   * its own code wherever the checkout is)
   */
  obeyFilePermissions?: boolean;
}

/** Starts `node dist/src/main.js` (not waiting for it to be ready: see `waitReady`). */
export async function startPortal(options: StartOptions): Promise<PortalProcess> {
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: options.dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const dropOverride = options.obeyFilePermissions === true && process.getuid?.() === 0;
  const caps = '-dac_override,-dac_read_search';
  const [command, args] = dropOverride
    ? ['setpriv', ['--bounding-set', caps, '--inh-caps', caps, '--', process.execPath, MAIN]]
    : [process.execPath, [MAIN]];
  const child = spawn(command, args, {
    cwd: PORTAL_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<Exit>((done) => child.once('exit', (code, signal) => done({ code, signal, at: performance.now() })));
  return {
    child,
    port,
    dataDir: options.dataDir,
    url: `http://127.0.0.1:${port}`,
    lines,
    output: () => lines.join('\n'),
    exited,
    waitForLine(pattern, timeoutMs = 10_000) {
      const found = lines.find((l) => pattern.test(l));
      if (found) return Promise.resolve(found);
      return new Promise((done, fail) => {
        const waiter = { pattern, resolve: done };
        waiters.add(waiter);
        setTimeout(() => {
          if (waiters.delete(waiter)) fail(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}`));
        }, timeoutMs).unref();
      });
    },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** One HTTP request (no retry). Rejects on a connection error. */
export function call(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: unknown; agent?: Agent; timeoutMs?: number },
): Promise<Answer> {
  return new Promise((done, fail) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpRequest(
      `${url}${options.path}`,
      {
        method: options.method ?? (payload ? 'POST' : 'GET'),
        agent: options.agent ?? false,
        headers: { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          done({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
        });
        res.on('error', fail);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', fail);
    req.end(payload);
  });
}

/** Polls /health until it answers 200; resolves with the milliseconds it took since `since`. */
export async function waitReady(portal: PortalProcess, since: number, timeoutMs = 60_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let exitCode: Exit | undefined;
  void portal.exited.then((e) => (exitCode = e));
  for (;;) {
    if (exitCode) throw new Error(`portal exited (${exitCode.code ?? exitCode.signal}) before it was ready:\n${portal.output()}`);
    try {
      const health = await call(portal.url, { path: '/health', timeoutMs: 2000 });
      if (health.status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`portal not ready within ${timeoutMs} ms:\n${portal.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const DEMO_PASSWORD = 'Tournesol-Vert-2026';

export async function login(url: string, name: string): Promise<string> {
  const answer = await call(url, { path: '/auth/login', body: { login: name, password: DEMO_PASSWORD } });
  if (answer.status !== 200) throw new Error(`login ${name}: ${answer.status} ${answer.body}`);
  return answer.json<{ token: string }>().token;
}

/** A family registration body a staff member of SAINT-JEAN may post. */
export function familyBody(familyNumber: string) {
  return {
    familyNumber,
    commune: 'SAINT-JEAN',
    guardian: {
      civility: 'Mme',
      lastName: 'DRILL',
      firstName: 'ANNE',
      quality: 'Mère',
      situation: 'Marié(e)',
      address: { line1: '1 RUE DU PUITS', postalCode: '31400', city: 'SAINT-JEAN' },
      phones: {},
      emailConsent: false,
      smsConsent: false,
      organismeRattachement: '0',
    },
  };
}

export interface LoadResult {
  familyNumber: string;
  sentAt: number;
  answeredAt?: number;
  status?: number;
  error?: string;
  connection?: string;
}

/**
 * `clients` loops, each on its own keep-alive socket, registering families one after the other until
 * `shouldStop()` or until their request fails (connection refused or reset, or a non-201 answer).
 */
export function registerFamiliesUnderLoad(
  url: string,
  token: string,
  options: { clients: number; prefix: string; shouldStop: () => boolean; maxPerClient?: number },
): { results: LoadResult[]; done: Promise<void>; agent: Agent } {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const results: LoadResult[] = [];
  const loops = Array.from({ length: options.clients }, async (_, client) => {
    for (let i = 0; i < (options.maxPerClient ?? 10_000) && !options.shouldStop(); i++) {
      const familyNumber = `${options.prefix}${String(client).padStart(2, '0')}${String(i).padStart(5, '0')}`;
      const result: LoadResult = { familyNumber, sentAt: performance.now() };
      results.push(result);
      try {
        const answer = await call(url, {
          path: '/families',
          body: familyBody(familyNumber),
          headers: { Authorization: `Bearer ${token}` },
          agent,
        });
        result.answeredAt = performance.now();
        result.status = answer.status;
        result.connection = answer.headers.connection as string | undefined;
        if (answer.status !== 201) return;
      } catch (error) {
        result.answeredAt = performance.now();
        result.error = (error as Error).message;
        return;
      }
    }
  });
  return { results, agent, done: Promise.all(loops).then(() => undefined) };
}
