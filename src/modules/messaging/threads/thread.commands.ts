import { commandTarget } from '../../../platform/domain/command-target';
import { threadStream } from '../messaging.events';
import { threadDecider, type ThreadKey } from './thread.decider';

/** Every command on a conversation goes to its stream; the family it concerns is in the key. */
export const threadCommands = commandTarget({
  category: 'message-thread',
  decider: threadDecider,
  streamId: (key: ThreadKey) => threadStream(key.threadId),
  keyFields: (key: ThreadKey) => ({ familyId: key.familyId, threadId: key.threadId }),
  familyId: (key: ThreadKey) => key.familyId,
});
