/**
 * What every context hands the notification service (notifications.ts), as a job of NOTIFICATION_JOB:
 * a pure type, so contexts' workflows (domain code) can schedule a notification without the service.
 */
import { scheduleJob, type ScheduleJobOutput } from '../../../platform/workflows/workflow';

/** JobScheduler job name of a family notification (every context's). */
export const NOTIFICATION_JOB = 'family.notification';

/** What a family is told, in French, by whichever context. */
export type FamilyNotification = {
  /** stable: one delivery per notification and channel, even when its job runs twice */
  notificationId: string;
  familyId: string;
  /** 'new-message', 'request-refused', 'place-offered'… */
  kind: string;
  title: string;
  message: string;
  /** the SMS text (made GSM and cut to 160); default: the title */
  sms?: string;
  /** ISO instant (or date) of what caused it */
  createdAt: string;
  /** the e-mail template (title and message in its data); default 'family-notice' */
  template?: string;
};

/** The workflow output that has `notification` delivered: its job, under the notification's id, at its instant. */
export function notify(notification: FamilyNotification): ScheduleJobOutput {
  return scheduleJob(NOTIFICATION_JOB, notification.notificationId, notification, notification.createdAt);
}
