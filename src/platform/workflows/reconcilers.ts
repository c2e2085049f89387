/**
 * Work the owner of the workflows redoes each time it takes ownership, once the read models have caught up
 * with the log as it stood then: rescheduling what a job store may have lost (Redis loses up to its last
 * second of writes on a crash, after a workflow's checkpoint may already have moved past the event that
 * scheduled them). Each reconciler is idempotent; one that fails is logged and retried on the next start.
 */
export interface Reconciler {
  name: string;
  /** returns how many items it looked at, for the log */
  run(): Promise<number>;
}

export interface ReconcilerLog {
  log(message: string): void;
  warn(message: string): void;
}

export class Reconcilers {
  private readonly reconcilers: Reconciler[] = [];

  add(reconciler: Reconciler): void {
    this.reconcilers.push(reconciler);
  }

  /**
   * Waits until `caughtUp()` resolves (the read models reached the head of the log), then runs every
   * reconciler in turn. Never throws: a failure is logged. `signal` (shutdown, lost ownership) stops it
   * between two reconcilers.
   */
  async runAll(caughtUp: () => Promise<void>, log: ReconcilerLog, signal?: AbortSignal): Promise<void> {
    if (this.reconcilers.length === 0) return;
    try {
      await caughtUp();
    } catch (error) {
      log.warn(`reconciliation skipped until the next start: read models not caught up (${(error as Error).message})`);
      return;
    }
    for (const reconciler of this.reconcilers) {
      if (signal?.aborted) return;
      try {
        const count = await reconciler.run();
        log.log(`reconciled ${reconciler.name}: ${count} item(s)`);
      } catch (error) {
        log.warn(`reconciliation ${reconciler.name} failed: ${(error as Error).message}`);
      }
    }
  }
}
