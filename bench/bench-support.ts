/**
 * What the benchmark scripts share: integer settings from the environment, aligned tables of figures,
 * section titles, and running a load generator in a child process (so it does not share the event loop
 * of the server it measures).
 */
import { fork } from 'node:child_process';

export function intEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    console.error(`${name} must be an integer >= ${min} (got ${JSON.stringify(raw)})`);
    process.exit(2);
  }
  return value;
}

export interface Row {
  figure: string;
  value: string;
  detail?: string;
}

export function table(rows: Row[]): string {
  const w1 = Math.max(...rows.map((r) => r.figure.length));
  const w2 = Math.max(...rows.map((r) => r.value.length));
  return rows.map((r) => `  ${r.figure.padEnd(w1)}  ${r.value.padStart(w2)}${r.detail ? `   ${r.detail}` : ''}`).join('\n');
}

export const section = (title: string): void => console.log(`\n${title}\n${'-'.repeat(title.length)}`);

/** Send `job` to the compiled script `modulePath` in a child process and resolve with its report. */
export function runChild<J, R>(modulePath: string, job: J): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = fork(modulePath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.once('message', (message: { ok: boolean; report?: R; error?: string }) => {
      settled = true;
      if (message.ok) resolve(message.report!);
      else reject(new Error(`load generator failed: ${message.error}`));
    });
    child.once('error', (error) => {
      if (!settled) reject(error);
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with code ${code} before reporting`));
    });
    child.send(job as object);
  });
}
