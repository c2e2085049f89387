import { Global, Injectable, Module, OnModuleInit } from '@nestjs/common';

import { threadOf } from '../../../projections/message-threads/message-threads.queries';
import type { Clock } from '../../platform/clock/clock';
import type { AppConfig } from '../../platform/config/config';
import { ReadModels } from '../../platform/projections/read-models';
import { HttpSmsSender } from '../../platform/sms/http-sms-sender';
import { OutboxSmsSender, smsOutboxDir } from '../../platform/sms/outbox-sms-sender';
import { SMS_SENDER } from '../../platform/sms/sms-sender.port';
import { APP_CONFIG, CLOCK } from '../../platform/tokens';
import { WorkflowHost } from '../../platform/workflows/workflow-host';
import { AttachmentsController } from './attachments/attachments.controller';
import { broadcastWorkflow } from './broadcasts/broadcast.workflow';
import { StaffInboxController } from './broadcasts/staff-inbox.controller';
import { InboxService } from './inbox.service';
import { newMessageNotificationWorkflow } from './notifications/new-message-notification.workflow';
import { NotificationLog } from './notifications/notification-log';
import { NotificationLogController } from './notifications/notification-log.controller';
import { Notifications } from './notifications/notifications';
import { requestDecisionNotificationWorkflow } from './notifications/request-decision-notification.workflow';
import { ThreadsController } from './threads/threads.controller';

@Injectable()
export class MessagingWorkflows implements OnModuleInit {
  constructor(
    private readonly host: WorkflowHost,
    private readonly readModels: ReadModels,
  ) {}

  onModuleInit(): void {
    this.host.register(broadcastWorkflow, async () => undefined);
    this.host.register(requestDecisionNotificationWorkflow, async () => undefined);
    this.host.register(newMessageNotificationWorkflow, async (event) => {
      const threadId = String(event.data.threadId);
      const thread = await threadOf(this.readModels, threadId);
      // the thread's read model may lag behind its event: the runner retries the event later
      if (!thread) throw new Error(`new-message notification: thread ${threadId} not in the read model yet`);
      return { subject: thread.subject, facilityName: thread.facilityName, topicLabel: thread.topicLabel };
    });
  }
}

/**
 * Bounded context "messaging": « Boîte de réception » (conversations, broadcasts, attachments) and the
 * notification service every context uses (global: other contexts inject `Notifications`).
 */
@Global()
@Module({
  controllers: [ThreadsController, AttachmentsController, StaffInboxController, NotificationLogController],
  providers: [
    InboxService,
    MessagingWorkflows,
    Notifications,
    NotificationLog,
    {
      provide: SMS_SENDER,
      inject: [APP_CONFIG, CLOCK],
      useFactory: (config: AppConfig, clock: Clock) =>
        config.smsUrl ? new HttpSmsSender(config.smsUrl, clock) : new OutboxSmsSender(smsOutboxDir(config.dataDir), clock),
    },
  ],
  exports: [Notifications],
})
export class MessagingModule {}
