import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { NotificationEvent } from '../messaging.events';
import { type ClaimDelivery, notificationLogDecider } from './notification-log.decider';

const spec = DeciderSpecification.for(notificationLogDecider);
const actor = { userId: 'notifications', role: 'system' as const };
const AT = '2026-11-16T08:00:00.000Z';
const claim: ClaimDelivery = { type: 'ClaimDelivery', notificationId: 'N1', channel: 'email', kind: 'new-message', at: AT, actor };
const started: NotificationEvent = {
  type: 'NotificationDeliveryStarted',
  data: { notificationId: 'N1', channel: 'email', kind: 'new-message', startedAt: AT },
};

describe('notification log decider: one delivery per notification and channel', () => {
  it('claims a delivery once; a second run finds it busy, then done once delivered', () => {
    spec.given([]).when(claim).thenAnswers([started], 'claimed');
    spec.given([started]).when(claim).thenAnswers([], 'busy');
    const delivered: NotificationEvent = {
      type: 'NotificationDelivered',
      data: { notificationId: 'N1', channel: 'email', kind: 'new-message', to: 'jean.dupont@wanadoo.fr', deliveredAt: AT },
    };
    spec.given([started, delivered]).when(claim).thenAnswers([], 'done');
    spec
      .given([started, delivered])
      .when({ ...claim, type: 'RecordDelivery', outcome: 'failed', error: 'x' })
      .then([]);
  });

  it('lets a retry claim again after a failure, or after a claim left by a worker that died', () => {
    const failed: NotificationEvent = {
      type: 'NotificationFailed',
      data: { notificationId: 'N1', channel: 'email', kind: 'new-message', error: 'SMTP 451', failedAt: AT },
    };
    spec.given([started, failed]).when(claim).thenAnswers([started], 'claimed');
    const later = '2026-11-16T08:03:00.000Z';
    spec
      .given([started])
      .when({ ...claim, at: later })
      .thenAnswers([{ ...started, data: { ...started.data, startedAt: later } }], 'claimed');
  });
});
