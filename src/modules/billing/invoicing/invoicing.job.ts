import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';

import type { Clock } from '../../../platform/clock/clock';
import { DomainError } from '../../../platform/domain/domain-error';
import type { JobScheduler } from '../../../platform/jobs/job-scheduler.port';
import { CLOCK, JOB_SCHEDULER } from '../../../platform/tokens';
import { parisDateOf, parisInstant } from '../../planning';
import { nextMonth } from '../billing.types';
import { InvoicingService } from './invoicing.service';
import { invoicingRunId } from './invoicing-run.events';

export const INVOICING_JOB = 'billing.invoicing-draft';
export type InvoicingJobPayload = { regieId: string; month: string };

/** The run of `month` is drafted on the 1st of the month after, 06:00 Paris time. */
export function invoicingJobRunAt(month: string): Date {
  return new Date(parisInstant(`${nextMonth(month)}-01`, '06:00'));
}

/**
 * The monthly invoicing of each régie: a job per régie and month with a deterministic id (the run's id),
 * which prepares the month's draft for staff to check and issue, then schedules the next month's. Delivered at
 * least once: preparing a draft again is harmless, and a month already issued is left as it is. Staff can
 * also start a run themselves (POST /regies/:regieId/invoicing/:month/draft).
 */
@Injectable()
export class InvoicingJob implements OnModuleInit {
  private readonly logger = new Logger('Invoicing');

  constructor(
    @Inject(JOB_SCHEDULER) private readonly jobs: JobScheduler,
    private readonly invoicing: InvoicingService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Schedules the draft of the current month (run on the 1st of the next); idempotent. */
  async scheduleFrom(regieId: string, month = parisDateOf(this.clock.now().toISOString()).slice(0, 7)): Promise<void> {
    await this.jobs.schedule<InvoicingJobPayload>(
      INVOICING_JOB,
      invoicingRunId(regieId, month),
      { regieId, month },
      { runAt: invoicingJobRunAt(month) },
    );
  }

  onModuleInit(): void {
    this.jobs.register<InvoicingJobPayload>({
      name: INVOICING_JOB,
      attempts: 5,
      backoffMs: 60_000,
      handler: async (job) => {
        const { regieId, month } = job.payload;
        try {
          const run = await this.invoicing.prepareDraft(regieId, month, {
            principal: { userId: 'invoicing', role: 'system' },
            correlationId: `job-${job.id}`,
          });
          this.logger.log(
            `draft ${run.runId}: ${run.draft?.invoices.length ?? 0} invoice(s), ${run.draft?.problems.length ?? 0} problem(s)`,
          );
        } catch (error) {
          if (!(error instanceof DomainError && error.code === 'RUN_ALREADY_ISSUED')) throw error;
        }
        await this.scheduleFrom(regieId, nextMonth(month));
      },
    });
  }
}
