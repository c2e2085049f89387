/**
 * Load generator of the inbox benchmark, run as a child process (bench/inbox.bench.ts forks it) so that
 * autocannon does not share the server's event loop. One job in over IPC, one report out.
 */
import autocannon from 'autocannon';

export interface InboxLoadJob {
  url: string;
  connections: number;
  seconds: number;
  token: string;
  /** GET these paths in turn, or POST `body` to them in turn */
  paths: string[];
  body?: string;
}

export interface InboxLoadReport {
  total: number;
  non2xx: number;
  errors: number;
  duration: number;
  rps: number;
  latency: { p50: number; p90: number; p99: number; max: number };
}

function run(job: InboxLoadJob): Promise<InboxLoadReport> {
  let next = 0;
  const headers: Record<string, string> = { authorization: `Bearer ${job.token}` };
  if (job.body) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: job.url,
        connections: job.connections,
        duration: job.seconds,
        timeout: 30,
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              method: job.body ? 'POST' : 'GET',
              path: job.paths[next++ % job.paths.length],
              headers,
              ...(job.body ? { body: job.body } : {}),
            }),
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const total = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
        resolve({
          total,
          non2xx: result.non2xx,
          errors: result.errors,
          duration: result.duration,
          rps: result.duration > 0 ? total / result.duration : 0,
          latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
        });
      },
    );
  });
}

process.once('message', (job: InboxLoadJob) => {
  run(job).then(
    (report) => process.send!({ ok: true, report }, () => process.exit(0)),
    (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.stack : String(error) }, () => process.exit(1)),
  );
});
