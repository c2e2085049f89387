/**
 * The reference the HTTP figures are read against: a bare Fastify hello-world (`GET /` → `{"hello":"world"}`,
 * no hooks, no logging), started by the benchmark in its own process as the portal is, loaded by the same
 * autocannon child with the same connections and duration. What this machine's HTTP stack gives at best in
 * this run; the portal's figures are quoted as ratios to it.
 */
import type { AddressInfo } from 'node:net';

import fastify from 'fastify';

import type { LoadJob, LoadReport } from './http-load';

export async function bareFastify(load: (job: LoadJob) => Promise<LoadReport>, connections: number, seconds: number): Promise<LoadReport> {
  const app = fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    return await load({ kind: 'get', url, path: '/', connections, seconds });
  } finally {
    await app.close();
  }
}
