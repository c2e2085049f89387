import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';

import { familyRecordOf } from '../../../../projections/family-record/family-record.queries';
import type { Clock } from '../../../platform/clock/clock';
import { Commands } from '../../../platform/commands/stream-command';
import type { JobScheduler } from '../../../platform/jobs/job-scheduler.port';
import { MAILER, type Mailer } from '../../../platform/mail/mailer.port';
import { ReadModels } from '../../../platform/projections/read-models';
import { frenchMobile, SMS_SENDER, type SmsSender, toGsmText } from '../../../platform/sms/sms-sender.port';
import { CLOCK, JOB_SCHEDULER } from '../../../platform/tokens';
import { threadCommands } from '../threads/thread.commands';
import { type FamilyNotification, NOTIFICATION_JOB } from './family-notification';
import { inboxNotice } from './inbox-notice';
import { type Channel, NotificationLog } from './notification-log';

export { type FamilyNotification, NOTIFICATION_JOB } from './family-notification';

const CHANNELS: Channel[] = ['email', 'sms'];

/** The user id the notices of the inbox are posted as (role 'system'). */
export const NOTIFICATIONS_ACTOR = 'notifications';

/**
 * The one notification service: the in-portal inbox always gets it (a notice from the commune's family
 * service, inbox-notice.ts), whatever the consent; e-mail and SMS to the family's guardian, each only with
 * the family record's consent (« Autorisation courriel », « Autorisation SMS »). Delivery runs as a job (retries with backoff); every delivery is recorded in the notification
 * log (notification-log.ts), which also makes it happen once per channel. Account and security mails (activation, reset) do
 * not come here: they are always sent (identity's account-mails).
 */
@Injectable()
export class Notifications implements OnModuleInit {
  private readonly logger = new Logger('Notifications');

  constructor(
    @Inject(JOB_SCHEDULER) private readonly jobs: JobScheduler,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
    private readonly readModels: ReadModels,
    private readonly log: NotificationLog,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly commands: Commands,
  ) {}

  onModuleInit(): void {
    this.jobs.register<FamilyNotification>({
      name: NOTIFICATION_JOB,
      attempts: 8,
      backoffMs: 5000,
      handler: async (job) => this.deliver(job.payload, `job-${job.id}`),
    });
  }

  /** Schedule a notification (its id is the job's: scheduling it twice delivers it once). */
  schedule(notification: FamilyNotification): Promise<void> {
    return this.jobs.schedule(NOTIFICATION_JOB, notification.notificationId, notification);
  }

  /** Deliver on every channel the family consents to; throws (for a retry) when a channel failed. */
  async deliver(notification: FamilyNotification, correlationId: string): Promise<void> {
    const family = await familyRecordOf(this.readModels, notification.familyId);
    // the record is projected after the event that caused the notification at the latest: retry until it is
    if (!family) throw new Error(`notification ${notification.notificationId}: family ${notification.familyId} not in the read model yet`);
    await this.postToInbox(notification, family.commune, correlationId);
    const guardian = family.guardian;
    const now = () => this.clock.now().toISOString();
    const delivery = (channel: Channel) => ({
      notificationId: notification.notificationId,
      familyId: notification.familyId,
      channel,
      kind: notification.kind,
      title: notification.title,
    });
    const failures: string[] = [];
    for (const channel of CHANNELS) {
      const consent = channel === 'email' ? guardian.emailConsent : guardian.smsConsent;
      const address =
        channel === 'email' ? guardian.email : guardian.phones?.mobile ? (frenchMobile(guardian.phones.mobile) ?? undefined) : undefined;
      if (!consent) {
        await this.log.record(delivery(channel), now(), { status: 'skipped', reason: 'no-consent' });
        continue;
      }
      if (!address) {
        await this.log.record(delivery(channel), now(), { status: 'skipped', reason: 'no-address' });
        continue;
      }
      if ((await this.log.claim(delivery(channel), now())) !== 'claimed') continue;
      try {
        if (channel === 'email') {
          await this.mailer.send({
            to: address,
            template: notification.template ?? 'family-notice',
            correlationId,
            data: { displayName: `${guardian.firstName} ${guardian.lastName}`, title: notification.title, message: notification.message },
          });
        } else {
          await this.sms.send({
            to: address,
            text: toGsmText(`Portail Famille : ${notification.sms ?? notification.title}`),
            correlationId,
          });
        }
        await this.log.record(delivery(channel), now(), { status: 'delivered', to: address });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.warn({ notificationId: notification.notificationId, channel, err: reason }, 'notification not delivered');
        await this.log.record(delivery(channel), now(), { status: 'failed', error: reason.slice(0, 300) });
        failures.push(channel);
      }
    }
    if (failures.length > 0) throw new Error(`notification ${notification.notificationId}: ${failures.join(', ')} failed`);
  }

  /**
   * The notice in the family's inbox: an event on the family's notice thread, under an idempotency key of
   * the notification (and the decider keeps each notification once), so a job run twice posts it once.
   */
  private async postToInbox(notification: FamilyNotification, commune: string, correlationId: string): Promise<void> {
    const notice = inboxNotice(notification);
    if (!notice) return;
    await this.commands.send(
      threadCommands,
      { familyId: notification.familyId, threadId: notice.threadId },
      {
        type: 'PostNotice',
        notificationId: notification.notificationId,
        commune,
        topic: notice.topic,
        subject: notice.subject,
        body: notice.body,
      },
      {
        principal: { userId: NOTIFICATIONS_ACTOR, role: 'system' },
        correlationId,
        idempotencyKey: `notice|${notification.notificationId}`,
        familyId: notification.familyId,
      },
    );
  }
}
