import { commandTarget } from '../../../platform/domain/command-target';
import { notificationStream } from '../messaging.events';
import { notificationLogDecider, type NotificationLogKey } from './notification-log.decider';

export const notificationLogCommands = commandTarget({
  category: 'notifications',
  decider: notificationLogDecider,
  streamId: (key: NotificationLogKey) => notificationStream(key.familyId, key.year),
  familyId: (key: NotificationLogKey) => key.familyId,
});
