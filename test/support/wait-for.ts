/**
 * Polling helpers for asynchronous tests: wait for a condition with a deadline instead of sleeping a fixed,
 * pessimistic amount of time (fast when things go well, a clear failure message when they do not).
 */

export interface WaitForOptions {
  /** give up after this long (default 5000 ms) */
  timeoutMs?: number;
  /** delay between two evaluations of the predicate (default 10 ms) */
  intervalMs?: number;
  /** included in the timeout error, to say what was awaited */
  message?: string;
}

/**
 * Resolves as soon as `predicate` returns (or resolves to) true; rejects after `timeoutMs`.
 * A predicate that throws is treated as "not yet" and its last error is reported on timeout, so an
 * assertion helper (e.g. `expect(...)` inside the predicate) can be used as the condition.
 */
export async function waitFor(predicate: () => boolean | Promise<boolean>, options: WaitForOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await predicate()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = options.message ? `: ${options.message}` : '';
      const message = (lastError as { message?: unknown } | undefined)?.message;
      const cause = typeof message === 'string' ? ` (last error: ${message})` : '';
      throw new Error(`waitFor timed out after ${timeoutMs} ms${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
