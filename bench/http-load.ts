/**
 * Load generator of the benchmark's HTTP phase, run as a child process (bench/platform.bench.ts forks it):
 * autocannon must not share the server's event loop, or it would measure itself as much as the portal.
 *
 * Protocol: the parent sends one LoadJob over IPC, the child answers one LoadReport and exits.
 */
import autocannon from 'autocannon';

import { ADDRESS_CHANGE_BODY, benchFamilyId, benchParentToken } from './bench-families';

export type LoadJob =
  | { kind: 'get'; url: string; path: string; connections: number; seconds: number; headers?: Record<string, string> }
  | {
      kind: 'address-change';
      url: string;
      connections: number;
      seconds: number;
      /** each request targets the next family of this series, from `from`: families [from, from + count) are registered */
      series: number;
      from: number;
      count: number;
    };

export interface LoadReport {
  /** completed responses */
  total: number;
  ok2xx: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  /** seconds, as measured by autocannon (shorter than asked when the families ran out) */
  duration: number;
  /** completed responses / duration */
  rps: number;
  /** autocannon's mean of its per-second samples */
  rpsMeanOfSeconds: number;
  latency: { p50: number; p90: number; p99: number; mean: number; max: number };
  /** address-change only: how many distinct families were used, and whether they ran out */
  familiesUsed?: number;
  familiesExhausted?: boolean;
}

function run(job: LoadJob): Promise<LoadReport> {
  let next = 0;
  let exhausted = false;
  let instance: autocannon.Instance | undefined;

  const options: autocannon.Options = {
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    pipelining: 1,
    timeout: 30,
  };
  if (job.kind === 'get') {
    options.requests = [{ method: 'GET', path: job.path, ...(job.headers ? { headers: job.headers } : {}) }];
  } else {
    options.requests = [
      {
        method: 'POST',
        setupRequest: (request) => {
          if (next >= job.count) {
            // Out of fresh families: the next request would be refused (409). Stop the run; the parent reports it.
            if (!exhausted) {
              exhausted = true;
              setImmediate(() => instance?.stop());
            }
          }
          const familyId = benchFamilyId(job.series, job.from + Math.min(next, job.count - 1));
          next += 1;
          return {
            ...request,
            method: 'POST',
            path: `/families/${familyId}/requests/address`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${benchParentToken(familyId)}` },
            body: ADDRESS_CHANGE_BODY,
          };
        },
      },
    ];
  }

  return new Promise((resolve, reject) => {
    instance = autocannon(options, (error, result) => {
      if (error) return reject(error);
      const statusCodes: Record<string, number> = {};
      for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat?.count ?? 0;
      const total = Object.values(statusCodes).reduce((a, b) => a + b, 0);
      resolve({
        total,
        ok2xx: result['2xx'],
        non2xx: result.non2xx,
        statusCodes,
        errors: result.errors,
        timeouts: result.timeouts,
        duration: result.duration,
        rps: result.duration > 0 ? total / result.duration : 0,
        rpsMeanOfSeconds: result.requests.average,
        latency: {
          p50: result.latency.p50,
          p90: result.latency.p90,
          p99: result.latency.p99,
          mean: result.latency.mean,
          max: result.latency.max,
        },
        ...(job.kind === 'address-change' ? { familiesUsed: Math.min(next, job.count), familiesExhausted: exhausted } : {}),
      });
    });
  });
}

process.once('message', (job: LoadJob) => {
  run(job).then(
    (report) => process.send!({ ok: true, report }, () => process.exit(0)),
    (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.stack : String(error) }, () => process.exit(1)),
  );
});
