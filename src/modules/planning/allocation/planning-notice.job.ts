import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';

import { familyRecordOf } from '../../../../projections/family-record/family-record.queries';
import type { JobScheduler } from '../../../platform/jobs/job-scheduler.port';
import { MAILER, Mailer } from '../../../platform/mail/mailer.port';
import { ReadModels } from '../../../platform/projections/read-models';
import { JOB_SCHEDULER } from '../../../platform/tokens';
import { CatalogLookup } from '../catalog/catalog-lookup';
import { type FamilyNotice, PLANNING_NOTICE_JOB } from './allocation-follow-ups.workflow';
import { noticeText } from './notices';

/** A family's notice about one of its requests, by e-mail (retried by the scheduler until sent). */
@Injectable()
export class PlanningNoticeJob implements OnModuleInit {
  private readonly logger = new Logger('PlanningNotices');

  constructor(
    @Inject(JOB_SCHEDULER) private readonly jobs: JobScheduler,
    @Inject(MAILER) private readonly mailer: Mailer,
    private readonly readModels: ReadModels,
    private readonly catalog: CatalogLookup,
  ) {}

  onModuleInit(): void {
    this.jobs.register<FamilyNotice>({
      name: PLANNING_NOTICE_JOB,
      attempts: 8,
      backoffMs: 5000,
      handler: async (job) => this.send(job.payload, `job-${job.id}`),
    });
  }

  private async send(notice: FamilyNotice, correlationId: string): Promise<void> {
    const family = await familyRecordOf(this.readModels, notice.familyId);
    const guardian = family?.guardian;
    if (!guardian?.email) {
      this.logger.warn({ familyId: notice.familyId, kind: notice.kind }, 'family has no e-mail: notice not sent');
      return;
    }
    const child = family?.children?.find((c) => c.childId === notice.childId)?.firstName ?? 'votre enfant';
    const activity = await this.catalog.activity(notice.activityId).then(
      (a) => a.activity.name,
      () => notice.activityId,
    );
    const { title, message } = noticeText(notice, child, activity);
    await this.mailer.send({
      to: guardian.email,
      template: 'planning-notice',
      correlationId,
      data: { displayName: `${guardian.firstName} ${guardian.lastName}`, title, message },
    });
  }
}
