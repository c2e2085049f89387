import { commandTarget } from '../../../platform/domain/command-target';
import { broadcastStream } from '../messaging.events';
import { broadcastDecider } from './broadcast.decider';

export const broadcastCommands = commandTarget({
  category: 'message-broadcast',
  decider: broadcastDecider,
  streamId: (broadcastId: string) => broadcastStream(broadcastId),
});
