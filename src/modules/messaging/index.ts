/** The messaging context's public face: what other contexts may use. */
export { messagingEvents } from './messaging.events';
export { MessagingModule } from './messaging.module';
export { type FamilyNotification, NOTIFICATION_JOB, notify } from './notifications/family-notification';
export { Notifications } from './notifications/notifications';
export { threadCommands } from './threads/thread.commands';
