import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of this process (one registry per application instance, so tests stay isolated). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'commands_total',
    help: 'Commands handled, by command type and outcome',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly conflictRetries = new Counter({
    name: 'command_conflict_retries_total',
    help: 'Read-decide-append steps retried after a concurrent append to the same stream',
    registers: [this.registry],
  });

  readonly projectionLagPositions = new Gauge({
    name: 'projection_lag_positions',
    help: 'Log positions between the head of the event log and the projection checkpoint (events, on the embedded store)',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectionLagSeconds = new Gauge({
    name: 'projection_lag_seconds',
    help: 'Age of the oldest event a projection has not handled yet',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly workflowLagPositions = new Gauge({
    name: 'workflow_lag_positions',
    help: 'Log positions between the head of the event log and the workflow checkpoint (events, on the embedded store)',
    labelNames: ['workflow'] as const,
    registers: [this.registry],
  });

  readonly workflowLagSeconds = new Gauge({
    name: 'workflow_lag_seconds',
    help: 'Age of the oldest event a workflow has not handled yet',
    labelNames: ['workflow'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * The group commit of the embedded event store, read at each scrape: transactions committed and appends
   * answered through them (their ratio is the average group; 1 means one fsync per command).
   */
  observeGroupCommit(stats: () => { commits: number; appends: number; largestGroup: number }): void {
    const gauge = (name: string, help: string, read: (s: ReturnType<typeof stats>) => number): void => {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read(stats()));
        },
      });
    };
    gauge('event_store_group_commits', 'Transactions (fsyncs) of the embedded event store since start', (s) => s.commits);
    gauge('event_store_group_commit_appends', 'Appends answered through those transactions since start', (s) => s.appends);
    gauge('event_store_group_commit_largest', 'Largest group of appends committed in one transaction since start', (s) => s.largestGroup);
  }
}
