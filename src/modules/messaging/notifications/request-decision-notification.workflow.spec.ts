import { projected, WorkflowSpecification } from '../../../../test/support/workflow-specification';
import { NOTIFICATION_JOB } from './notifications';
import { requestDecisionNotificationWorkflow } from './request-decision-notification.workflow';

describe('request decision notification workflow', () => {
  it('tells the family a refusal and its reason, once per request', () => {
    const event = projected(
      'ChangeRequestRefused',
      {
        requestId: 'R1',
        category: 'tax',
        reason: 'Avis d’imposition illisible',
        refusedAt: '2026-11-16T08:00:00.000Z',
        refusedBy: 'agent',
      },
      { metadata: { familyId: 'F1' }, recordedAt: '2026-11-16T08:00:00.000Z' },
    );
    const [output] = WorkflowSpecification.for(requestDecisionNotificationWorkflow).given(undefined).when(event).outputs();
    expect(output).toMatchObject({
      kind: 'schedule-job',
      name: NOTIFICATION_JOB,
      id: 'request-refused-R1',
      payload: { familyId: 'F1', kind: 'request-refused', title: 'Demande refusée' },
    });
    expect((output as unknown as { payload: { message: string } }).payload.message).toContain('Motif : Avis d’imposition illisible');
  });
});
