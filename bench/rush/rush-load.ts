/**
 * Load generator of `npm run bench:rush`, run as a child process (bench/rush.bench.ts forks it) so that it
 * does not share the server's event loop.
 *
 * It receives the whole rush at once: a list of "sessions" (one parent at a keyboard), each an ordered list
 * of POST requests sent one after the other on that session. `concurrency` sessions run at a time over a
 * keep-alive agent of as many sockets, so `concurrency` requests are in flight at every moment until the
 * list runs out. Every request's latency (from the write to the last byte of the answer) and status are
 * recorded; bodies of unexpected answers are kept (the first 20).
 *
 * Protocol: the parent sends one RushJob over IPC, the child answers one RushReport and exits.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface RushRequest {
  path: string;
  /** bearer token */
  token: string;
  /** JSON body */
  body: string;
}

export interface RushJob {
  url: string;
  concurrency: number;
  /** HTTP status every request must get (201 one day, 200 bulk) */
  expectedStatus: number;
  /** each inner list is sent in order on one session; sessions are taken in list order */
  sessions: RushRequest[][];
}

export interface RushReport {
  /** Date.now() when the first request was written */
  startedAtMs: number;
  /** ms from the first request to the last answer */
  durationMs: number;
  /** per request, in the order of the job (sessions flattened): latency in ms, status (0 = connection error) */
  latencyMs: number[];
  status: number[];
  /** ms from the start at which each request was answered (same order) */
  answeredAtMs: number[];
  /** bodies of answers (bulk: every answer, to count refused items) or only of unexpected ones */
  unexpected: { index: number; status: number; body: string; latencyMs: number; answeredAtMs: number }[];
  /** bulk only: the `refused` count of each answer */
  refusedItems?: number[];
}

function post(agent: http.Agent, url: URL, request: RushRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const body = Buffer.from(request.body);
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: request.path,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          authorization: `Bearer ${request.token}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => resolve({ status: 0, body: String(error) }));
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error('timeout after 120 s')));
    req.on('error', (error) => resolve({ status: 0, body: String(error) }));
    req.end(body);
  });
}

async function run(job: RushJob): Promise<RushReport> {
  const url = new URL(job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency, maxFreeSockets: job.concurrency });
  const offsets: number[] = [];
  let total = 0;
  for (const session of job.sessions) {
    offsets.push(total);
    total += session.length;
  }
  const latencyMs = new Array<number>(total).fill(-1);
  const status = new Array<number>(total).fill(-1);
  const answeredAtMs = new Array<number>(total).fill(-1);
  const unexpected: RushReport['unexpected'] = [];
  const refusedItems: number[] = [];
  const bulk = job.expectedStatus === 200;

  let next = 0;
  const startedAtMs = Date.now();
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < job.sessions.length) {
      const s = next++;
      const session = job.sessions[s];
      for (let i = 0; i < session.length; i++) {
        const index = offsets[s] + i;
        const sent = performance.now();
        const answer = await post(agent, url, session[i]);
        const done = performance.now();
        latencyMs[index] = done - sent;
        answeredAtMs[index] = done - t0;
        status[index] = answer.status;
        if (answer.status !== job.expectedStatus) {
          if (unexpected.length < 20) {
            unexpected.push({
              index,
              status: answer.status,
              body: answer.body.slice(0, 500),
              latencyMs: done - sent,
              answeredAtMs: done - t0,
            });
          }
        } else if (bulk) {
          try {
            refusedItems[index] = Number((JSON.parse(answer.body) as { refused?: number }).refused ?? 0);
          } catch {
            refusedItems[index] = -1;
          }
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(job.concurrency, job.sessions.length) }, worker));
  const durationMs = performance.now() - t0;
  agent.destroy();
  return { startedAtMs, durationMs, latencyMs, status, answeredAtMs, unexpected, ...(bulk ? { refusedItems } : {}) };
}

process.once('message', (job: RushJob) => {
  run(job).then(
    (report) => process.send!({ ok: true, report }, () => process.exit(0)),
    (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.stack : String(error) }, () => process.exit(1)),
  );
});
