import { Inject, Injectable, OnModuleInit } from '@nestjs/common';

import { familyRecordOf } from '../../../../projections/family-record/family-record.queries';
import type { JobScheduler } from '../../../platform/jobs/job-scheduler.port';
import { ReadModels } from '../../../platform/projections/read-models';
import { JOB_SCHEDULER } from '../../../platform/tokens';
import { Notifications } from '../../messaging';
import { CatalogLookup } from '../catalog/catalog-lookup';
import { type FamilyNotice, PLANNING_NOTICE_JOB } from './allocation-follow-ups.workflow';
import { noticeText } from './notices';

/**
 * A family's notice about one of its requests, through the notification service (e-mail and SMS as the
 * family consents, recorded in its notification log; retried by the scheduler until delivered).
 */
@Injectable()
export class PlanningNoticeJob implements OnModuleInit {
  constructor(
    @Inject(JOB_SCHEDULER) private readonly jobs: JobScheduler,
    private readonly notifications: Notifications,
    private readonly readModels: ReadModels,
    private readonly catalog: CatalogLookup,
  ) {}

  onModuleInit(): void {
    this.jobs.register<FamilyNotice>({
      name: PLANNING_NOTICE_JOB,
      attempts: 8,
      backoffMs: 5000,
      handler: async (job) => this.send(job.payload, `job-${job.id}`, job.id),
    });
  }

  private async send(notice: FamilyNotice, correlationId: string, jobId: string): Promise<void> {
    const family = await familyRecordOf(this.readModels, notice.familyId);
    const child = family?.children?.find((c) => c.childId === notice.childId)?.firstName ?? 'votre enfant';
    const activity = await this.catalog.activity(notice.activityId).then(
      (a) => a.activity.name,
      () => notice.activityId,
    );
    const { title, message } = noticeText(notice, child, activity);
    await this.notifications.deliver(
      {
        notificationId: `planning-${jobId}`,
        familyId: notice.familyId,
        kind: notice.kind,
        title,
        message,
        template: 'planning-notice',
        createdAt: notice.date,
      },
      correlationId,
    );
  }
}
