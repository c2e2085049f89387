import { projected, WorkflowSpecification } from '../../../../test/support/workflow-specification';
import { newMessageNotificationWorkflow } from './new-message-notification.workflow';
import { NOTIFICATION_JOB } from './notifications';

describe('new message notification workflow', () => {
  const facts = { subject: 'Sortie au zoo', facilityName: 'Accueil de Loisirs', topicLabel: 'Réservation' };
  const message = (data: Record<string, unknown>) =>
    projected(
      'MessagePosted',
      {
        threadId: 'T1',
        messageId: 'M1',
        side: 'staff',
        body: 'Prévoir un pique-nique.',
        authorName: 'Le service',
        attachments: [],
        postedAt: '2026-11-16T08:00:00.000Z',
        postedBy: 'agent',
        ...data,
      },
      { metadata: { familyId: 'F1' }, recordedAt: '2026-11-16T08:00:00.000Z' },
    );

  it('announces a staff message to the family, once per message', () => {
    const [output] = WorkflowSpecification.for(newMessageNotificationWorkflow).given(facts).when(message({})).outputs();
    expect(output).toMatchObject({ kind: 'schedule-job', name: NOTIFICATION_JOB, id: 'new-message-M1', payload: { kind: 'new-message' } });
  });

  it('does not announce a notice of the notification service (it was notified already) nor a family’s own message', () => {
    const spec = WorkflowSpecification.for(newMessageNotificationWorkflow).given(facts);
    expect(spec.when(message({ notificationId: 'request-refused-R1' })).outputs()).toEqual([]);
    expect(
      WorkflowSpecification.for(newMessageNotificationWorkflow)
        .given(facts)
        .when(message({ side: 'family' }))
        .outputs(),
    ).toEqual([]);
  });
});
