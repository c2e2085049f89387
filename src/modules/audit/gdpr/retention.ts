import { Inject, Injectable, OnModuleInit } from '@nestjs/common';

import { familyRecordProjection } from '../../../../projections/family-record/family-record.projection';
import type { Clock } from '../../../platform/clock/clock';
import type { DocumentStore } from '../../../platform/document-store/document-store.port';
import { FamilyKeyRing } from '../../../platform/events/family-key-ring';
import type { JobScheduler } from '../../../platform/jobs/job-scheduler.port';
import { FamilyReplay } from '../../../platform/projections/family-replay';
import { ProjectionRunner } from '../../../platform/projections/projection-runner';
import { CLOCK, DOCUMENT_STORE, JOB_SCHEDULER } from '../../../platform/tokens';
import { FamilyErasure } from './family-erasure';

export const RETENTION_RULES = 'retention_rules';
export const RETENTION_JOB = 'gdpr.retention';
const DAY_MS = 86_400_000;

/**
 * A commune's retention rule: a family's personal data is erased once nothing has happened for it (no request,
 * booking, decision…; reads by staff do not count) for `eraseAfterInactiveMonths` months.
 */
export interface RetentionRule {
  commune: string;
  eraseAfterInactiveMonths: number;
  [key: string]: unknown;
}

/** Events that are not the family's activity: reads of its data, and the erasure itself. */
const NOT_ACTIVITY = new Set(['SensitiveDataRead', 'FamilyDataErased']);

/**
 * Applies the communes' retention rules: a job that runs every day (deterministic id per day, rescheduled by each
 * run), erasing each family past its commune's rule through the ordinary erasure (each one a FamilyDataErased event,
 * reason 'retention'). The per-kind rules (health data N months after a child leaves, messages after N years) need a
 * key per kind of data and the messaging context: not built yet (README).
 */
@Injectable()
export class RetentionRules implements OnModuleInit {
  constructor(
    @Inject(JOB_SCHEDULER) private readonly jobs: JobScheduler,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    private readonly replay: FamilyReplay,
    private readonly keys: FamilyKeyRing,
    private readonly erasure: FamilyErasure,
    private readonly runner: ProjectionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ day: string }>({
      name: RETENTION_JOB,
      attempts: 3,
      backoffMs: 60_000,
      handler: async (job) => {
        await this.apply(`retention-${job.payload.day}`);
        await this.scheduleNext();
      },
    });
  }

  /** The next day's run (at 02:00 UTC); scheduling the same day twice runs it once. */
  async scheduleNext(): Promise<void> {
    const next = new Date(Math.floor(this.clock.now().getTime() / DAY_MS) * DAY_MS + DAY_MS + 2 * 3_600_000);
    const day = next.toISOString().slice(0, 10);
    await this.jobs.schedule(RETENTION_JOB, day, { day }, { runAt: next });
  }

  async setRule(rule: RetentionRule): Promise<void> {
    const current = await this.documents.get(RETENTION_RULES, rule.commune);
    await this.documents.put(RETENTION_RULES, rule.commune, rule, current ? current.version : 'absent');
    await this.scheduleNext();
  }

  async rules(): Promise<RetentionRule[]> {
    return (await this.documents.find<RetentionRule>(RETENTION_RULES, { limit: 1000 })).items.map((i) => i.data);
  }

  /** One run: every family of a commune with a rule, erased when its last activity is older than the rule allows. */
  async apply(correlationId: string): Promise<{ erased: { familyId: string; lastActivity: string }[]; rebuilds: unknown[] }> {
    const rules = new Map((await this.rules()).map((r) => [r.commune, r]));
    if (rules.size === 0) return { erased: [], rebuilds: [] };
    const collection = await this.runner.collectionOf(familyRecordProjection.name);
    const erased: { familyId: string; lastActivity: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.documents.find<{ commune?: string }>(collection, { limit: 500, cursor });
      cursor = page.nextCursor;
      for (const { id: familyId, data } of page.items) {
        const rule = data.commune ? rules.get(data.commune) : undefined;
        if (!rule) continue;
        await this.keys.load([familyId]);
        if (this.keys.keyOf(familyId) === 'erased') continue;
        const limit = new Date(this.clock.now());
        limit.setUTCMonth(limit.getUTCMonth() - rule.eraseAfterInactiveMonths);
        let last = '';
        for await (const events of this.replay.familyEvents(familyId)) {
          for (const event of events) if (!NOT_ACTIVITY.has(event.type) && event.recordedAt > last) last = event.recordedAt;
        }
        if (!last || Date.parse(last) >= limit.getTime()) continue;
        await this.erasure.erase(
          familyId,
          { userId: 'system', role: 'system' },
          'retention',
          correlationId,
          `inactive-${rule.eraseAfterInactiveMonths}-months`,
          { rebuild: false },
        );
        erased.push({ familyId, lastActivity: last });
      }
    } while (cursor);
    // one rebuild of the read models for the whole run, once every key of it is destroyed
    return { erased, rebuilds: erased.length > 0 ? await this.erasure.rebuildReadModels('system') : [] };
  }
}
