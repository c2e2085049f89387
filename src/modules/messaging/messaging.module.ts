import { Injectable, Module, OnModuleInit } from '@nestjs/common';

import { WorkflowHost } from '../../platform/workflows/workflow-host';
import { AttachmentsController } from './attachments/attachments.controller';
import { broadcastWorkflow } from './broadcasts/broadcast.workflow';
import { StaffInboxController } from './broadcasts/staff-inbox.controller';
import { InboxService } from './inbox.service';
import { ThreadsController } from './threads/threads.controller';

@Injectable()
export class MessagingWorkflows implements OnModuleInit {
  constructor(private readonly host: WorkflowHost) {}

  onModuleInit(): void {
    this.host.register(broadcastWorkflow, async () => undefined);
  }
}

/** Bounded context "messaging": « Boîte de réception » (conversations, broadcasts, attachments). */
@Module({
  controllers: [ThreadsController, AttachmentsController, StaffInboxController],
  providers: [InboxService, MessagingWorkflows],
})
export class MessagingModule {}
