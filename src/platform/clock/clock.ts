/**
 * The Clock port: every "now" of the application comes from here (ARCHITECTURE.md, "Time").
 *
 * - SystemClock: production.
 * - SettableClock: tests; stands still until told to move (`set`, `advance`).
 * - StartedClock: demos and acceptance runs (`CLOCK_START`): starts at a given instant and runs at the
 *   speed of real time from there, so the opening-morning rules can be shown live.
 *
 * Deciders never read a clock: the command carries its instant. Workflows take time from the event they
 * react to. Elapsed durations (timeouts, latencies) are measured with `performance.now()`, which is not
 * "now" and not affected by this port.
 */
export interface Clock {
  /** the current instant */
  now(): Date;
}

/** The current instant as an ISO string (UTC), the form events and commands carry. */
export function nowIso(clock: Clock): string {
  return clock.now().toISOString();
}

/** The machine's clock. The only place the application reads the wall clock. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock for tests: it does not move unless told to. */
export class SettableClock implements Clock {
  private current: number;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
    if (Number.isNaN(this.current)) throw new Error(`SettableClock: invalid start instant ${String(start)}`);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    const next = new Date(instant).getTime();
    if (Number.isNaN(next)) throw new Error(`SettableClock: invalid instant ${String(instant)}`);
    this.current = next;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

/**
 * A clock that starts at `start` when the process starts and then runs at real speed (CLOCK_START):
 * `now = start + (elapsed real time)`. Elapsed time is monotonic (performance.now), so a change of the
 * machine's clock does not move it.
 */
export class StartedClock implements Clock {
  private readonly startMs: number;
  private readonly startedAt: number;

  constructor(start: Date | string) {
    this.startMs = new Date(start).getTime();
    if (Number.isNaN(this.startMs)) throw new Error(`StartedClock: invalid start instant ${String(start)}`);
    this.startedAt = performance.now();
  }

  now(): Date {
    return new Date(this.startMs + Math.round(performance.now() - this.startedAt));
  }
}
