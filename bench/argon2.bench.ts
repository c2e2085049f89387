/**
 * What one password hash costs on this machine with the production parameters (ARGON2_PARAMETERS).
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/argon2.bench.js
 *
 * Prints the parameters, then the median (and min / max) of 20 sequential hashes, 20 verifies of a right
 * password, 20 of a wrong one and 20 dummy verifies (unknown identifiant). The last three should be about
 * equal: that is what keeps login times from telling which identifiants exist. Sequential on purpose: this
 * is the latency one login adds, not the throughput of the thread pool.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';

import { ARGON2_PARAMETERS, Argon2idHasher } from '../src/platform/security/password-hasher';

const RUNS = 20;

async function measure(label: string, run: () => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = (times[RUNS / 2 - 1] + times[RUNS / 2]) / 2;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(
    `${label.padEnd(16)} median ${ms(median).padStart(9)}   min ${ms(times[0]).padStart(9)}   max ${ms(times[RUNS - 1]).padStart(9)}`,
  );
}

async function main(): Promise<void> {
  const { type: _type, ...cost } = ARGON2_PARAMETERS;
  console.log(`argon2id ${JSON.stringify(cost)} (memoryCost in KiB)`);
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} CPUs`);

  const hasher = new Argon2idHasher();
  const password = 'correct horse battery staple';
  const hash = await hasher.hash(password);
  await hasher.dummyVerify(password); // waits for the dummy hash and warms the native module up

  await measure(`hash x${RUNS}`, () => hasher.hash(password));
  await measure(`verify ok x${RUNS}`, () => hasher.verify(hash, password));
  await measure(`verify bad x${RUNS}`, () => hasher.verify(hash, 'wrong password'));
  await measure(`dummy x${RUNS}`, () => hasher.dummyVerify(password));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
