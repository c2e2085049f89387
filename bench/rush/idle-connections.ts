/**
 * Idle parents for `RUSH_IDLE=N npm run bench:rush`, run as a child process (bench/rush.bench.ts forks it): N
 * keep-alive connections to the portal, each having asked for `GET /health/live` once (a parent who opened the
 * home page) and then left open and silent while the rush runs. A connection the server closes (its keep-alive
 * timeout, 65 s) is opened again, as a browser would (at most `openingAtOnce` at a time), so N stay open
 * throughout; reopenings are counted. The parent stops it at the rush's last answer.
 *
 * Protocol over IPC: the parent sends an IdleJob; the child answers `{ ok: true, report: IdleReport }` once every
 * connection is open (the rush can start), then on `'stop'` answers the final IdleReport and exits. Each socket
 * costs a file descriptor here and one in the portal: the file-descriptor limit must exceed N in both processes
 * (`ulimit -n`, see README).
 */
import net from 'node:net';

export interface IdleJob {
  url: string;
  connections: number;
  /** connections being opened at a time (the server's listen backlog is 511) */
  openingAtOnce?: number;
}

export interface IdleReport {
  /** connections open (answered once, not closed) at the time of the report */
  open: number;
  /** connections opened again after the server closed them */
  reopened: number;
  /** connections that failed (refused, reset, an answer other than 200) */
  errors: number;
  firstError?: string;
  /** seconds to open all of them */
  openSeconds: number;
}

const REQUEST = (host: string): string => `GET /health/live HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`;

function main(job: IdleJob): void {
  const url = new URL(job.url);
  const port = Number(url.port);
  const host = url.hostname;
  const atOnce = job.openingAtOnce ?? 200;
  const sockets = new Set<net.Socket>();
  let open = 0;
  let reopened = 0;
  let errors = 0;
  let firstError: string | undefined;
  let stopping = false;
  const started = performance.now();
  let openSeconds = NaN;

  let reopening = 0;
  let waiting = 0;
  const reopen = (): void => {
    if (reopening >= atOnce) {
      waiting += 1;
      return;
    }
    reopening += 1;
    void connect(true).finally(() => {
      reopening -= 1;
      if (waiting > 0 && !stopping) {
        waiting -= 1;
        reopen();
      }
    });
  };

  /** One idle parent: connect, ask once, keep the socket; resolves once answered (or failed). */
  const connect = (again: boolean): Promise<void> =>
    new Promise((resolve) => {
      let answered = false;
      const socket = net.connect({ port, host });
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('connect', () => socket.write(REQUEST(`${host}:${port}`)));
      socket.on('data', (chunk: Buffer) => {
        if (answered) return;
        answered = true;
        if (!chunk.toString('latin1', 0, 12).startsWith('HTTP/1.1 200')) {
          errors += 1;
          firstError ??= chunk.toString('latin1', 0, 80);
        } else {
          open += 1;
          if (again) reopened += 1;
        }
        resolve();
      });
      socket.on('error', (error) => {
        errors += 1;
        firstError ??= String(error);
      });
      socket.on('close', () => {
        sockets.delete(socket);
        if (answered) open -= 1;
        if (!answered) resolve();
        // the server closed an idle connection: the parent's browser opens another (a few at a time, as
        // browsers do not all wake in the same millisecond)
        else if (!stopping) reopen();
      });
    });

  process.once('message', () => {
    stopping = true;
    const report: IdleReport = { open, reopened, errors, ...(firstError ? { firstError } : {}), openSeconds };
    for (const socket of sockets) socket.destroy();
    process.send!({ ok: true, report }, () => process.exit(0));
  });

  void (async () => {
    let next = 0;
    const opener = async (): Promise<void> => {
      while (next < job.connections) {
        next += 1;
        await connect(false);
      }
    };
    await Promise.all(Array.from({ length: Math.min(atOnce, job.connections) }, opener));
    openSeconds = (performance.now() - started) / 1000;
    const report: IdleReport = { open, reopened, errors, ...(firstError ? { firstError } : {}), openSeconds };
    process.send!({ ok: true, report });
  })();
}

process.once('message', (job: IdleJob) => main(job));
