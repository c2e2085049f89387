import { Controller, Get, Header, Inject, NotFoundException, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Public } from '../auth/auth.decorators';
import type { AppConfig } from '../config/config';
import type { DocumentStore } from '../document-store/document-store.port';
import type { EventStore } from '../event-store/event-store.port';
import type { HttpResponse } from '../http/command-http';
import type { JobScheduler } from '../jobs/job-scheduler.port';
import { MetricsService } from '../observability/metrics.service';
import { ProjectionRunner, ProjectionStatus } from '../projections/projection-runner';
import { StorageHealth } from '../storage/storage-health';
import { APP_CONFIG, DOCUMENT_STORE, EVENT_STORE, JOB_SCHEDULER } from '../tokens';
import { WorkflowRunner, WorkflowStatus } from '../workflows/workflow-runner';

/** A projection or workflow further behind than this makes the process not ready (it still answers, from older data). */
export const READINESS_MAX_LAG_SECONDS = 60;

export interface Readiness {
  ok: boolean;
  body: Record<string, unknown>;
}

@ApiTags('Exploitation')
@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(JOB_SCHEDULER) private readonly jobs: JobScheduler,
    private readonly projections: ProjectionRunner,
    private readonly workflows: WorkflowRunner,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly storage: StorageHealth,
  ) {}

  @Public()
  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Public()
  @Get(['health', 'health/ready'])
  @ApiOperation({ summary: 'Readiness: stores reachable, not full nor corrupt, projections and workflows caught up (503 otherwise)' })
  async ready(@Res({ passthrough: true }) response: HttpResponse) {
    const { ok, body } = await this.readiness();
    response.status(ok ? 200 : 503);
    return body;
  }

  /** What /health/ready answers (also served by the projector's health listener). */
  async readiness(): Promise<Readiness> {
    // a store that was full or failing is tried again here, so readiness recovers without traffic
    await this.storage.recheck();
    const check = async (fn: () => Promise<unknown>) => {
      const started = performance.now();
      try {
        await fn();
        return { status: 'up' as const, ms: Math.round(performance.now() - started) };
      } catch (error) {
        return { status: 'down' as const, error: error instanceof Error ? error.message : String(error) };
      }
    };
    const [eventStore, documentStore, jobScheduler] = await Promise.all([
      check(() => this.events.ping()),
      check(() => this.documents.ping()),
      check(() => this.jobs.ping()),
    ]);
    let projections: ProjectionStatus[] = [];
    let workflows: WorkflowStatus[] = [];
    let projectionError: string | undefined;
    if (eventStore.status === 'up' && documentStore.status === 'up') {
      try {
        [projections, workflows] = await Promise.all([this.projections.statuses(), this.workflows.statuses()]);
        this.recordLag(projections, workflows);
      } catch (error) {
        projectionError = error instanceof Error ? error.message : String(error);
      }
    }
    const lagging = [...projections, ...workflows].filter((p) => p.lagSeconds > READINESS_MAX_LAG_SECONDS);
    const storage = this.storage.current().map((p) => ({
      store: p.store,
      code: p.code,
      detail: p.detail,
      forSeconds: Math.round((performance.now() - p.sinceMs) / 1000),
    }));
    const ok =
      storage.length === 0 &&
      eventStore.status === 'up' &&
      documentStore.status === 'up' &&
      jobScheduler.status === 'up' &&
      !projectionError &&
      lagging.length === 0;
    const body = {
      status: ok ? 'ok' : 'unavailable',
      checks: { eventStore, documentStore, jobScheduler },
      ...(storage.length > 0 ? { storage } : {}),
      projections: projections.map((p) => ({
        name: p.name,
        version: p.version,
        checkpoint: p.checkpoint,
        head: p.head,
        lagPositions: p.lagPositions,
        lagSeconds: Math.round(p.lagSeconds * 1000) / 1000,
        rebuilding: p.rebuilding,
        running: p.running,
        lastError: p.lastError,
      })),
      workflows: workflows.map((w) => ({
        name: w.name,
        checkpoint: w.checkpoint,
        head: w.head,
        lagPositions: w.lagPositions,
        lagSeconds: Math.round(w.lagSeconds * 1000) / 1000,
        running: w.running,
        lastError: w.lastError,
      })),
      ...(projectionError ? { projectionError } : {}),
      maxLagSeconds: READINESS_MAX_LAG_SECONDS,
    };
    return { ok, body };
  }

  @Public()
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiExcludeEndpoint()
  async prometheus(): Promise<string> {
    // with METRICS_PORT, /metrics lives on the private listener only (see metrics-listener.ts)
    if (this.config.metricsPort !== undefined) throw new NotFoundException();
    return this.metricsText();
  }

  /** The Prometheus exposition, projection lag refreshed. */
  async metricsText(): Promise<string> {
    try {
      this.recordLag(...(await Promise.all([this.projections.statuses(), this.workflows.statuses()])));
    } catch {
      // stores down: the metrics still answer, readiness says what is wrong
    }
    return this.metrics.registry.metrics();
  }

  private recordLag(statuses: ProjectionStatus[], workflows: WorkflowStatus[]): void {
    for (const s of statuses) {
      this.metrics.projectionLagPositions.set({ projection: s.name }, s.lagPositions);
      this.metrics.projectionLagSeconds.set({ projection: s.name }, s.lagSeconds);
    }
    for (const w of workflows) {
      this.metrics.workflowLagPositions.set({ workflow: w.name }, w.lagPositions);
      this.metrics.workflowLagSeconds.set({ workflow: w.name }, w.lagSeconds);
    }
  }
}
