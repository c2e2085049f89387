/**
 * A broadcast becomes one thread per family: the thread id is derived from the broadcast and the family,
 * and each command carries an idempotency key, so a redelivered BroadcastSent starts nothing twice.
 */
import { v5 as uuidv5 } from 'uuid';

import { sendCommand, type Workflow, type WorkflowOutput } from '../../../platform/workflows/workflow';
import { messagingEvents } from '../messaging.events';
import { threadCommands } from '../threads/thread.commands';

const BROADCAST_THREAD_NAMESPACE = 'b6f7f1a2-5d0e-4c4b-8f7e-1f2a3b4c5d6e';

/** The thread a broadcast opens for one family (and the id of its first message). */
export function broadcastThreadId(broadcastId: string, familyId: string): string {
  return uuidv5(`${broadcastId}|${familyId}`, BROADCAST_THREAD_NAMESPACE);
}

export const broadcastWorkflow: Workflow<undefined> = {
  name: 'message-broadcast',
  eventTypes: ['BroadcastSent'],

  decide(event): WorkflowOutput[] {
    const sent = messagingEvents.narrow(event);
    if (sent?.type !== 'BroadcastSent') return [];
    const b = sent.data;
    return b.recipients.map((familyId) => {
      const threadId = broadcastThreadId(b.broadcastId, familyId);
      return sendCommand(
        threadCommands,
        { familyId, threadId },
        {
          type: 'StartThread',
          side: 'staff',
          commune: b.commune,
          facilityId: b.facilityId,
          facilityName: b.facilityName,
          topic: b.topic,
          subject: b.subject,
          broadcastId: b.broadcastId,
          messageId: threadId,
          body: b.body,
          authorName: b.authorName,
          attachments: b.attachments,
        },
        `broadcast|${b.broadcastId}|${familyId}`,
      );
    });
  },
};
