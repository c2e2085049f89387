import { projected, WorkflowSpecification } from '../../../../test/support/workflow-specification';
import { NOTIFICATION_JOB } from '../../messaging';
import { documentDecisionNotificationWorkflow } from './document-decision-notification.workflow';

const AT = '2026-11-16T08:00:00.000Z';
const on = (type: string, data: Record<string, unknown>) => projected(type, data, { metadata: { familyId: 'F1' }, recordedAt: AT });

describe('document decision notification workflow', () => {
  it('tells the family a refused document, its kind and the reason, once per document', () => {
    const [output] = WorkflowSpecification.for(documentDecisionNotificationWorkflow)
      .given({ kind: 'insurance' })
      .when(on('FamilyDocumentRefused', { documentId: 'D1', reason: 'Attestation illisible', refusedAt: AT, refusedBy: 'agent' }))
      .outputs();
    expect(output).toMatchObject({
      kind: 'schedule-job',
      name: NOTIFICATION_JOB,
      id: 'document-refused-D1',
      payload: { familyId: 'F1', kind: 'document-refused', title: 'Document refusé' },
    });
    expect((output as unknown as { payload: { message: string } }).payload.message).toBe(
      "Votre document « Attestation d'assurance » a été refusé. Motif : Attestation illisible. Envoyez-en un nouveau depuis « Infos / Documents ».",
    );
  });

  it('tells the family an accepted document, even when its kind is not known', () => {
    const [output] = WorkflowSpecification.for(documentDecisionNotificationWorkflow)
      .given({ kind: null })
      .when(on('FamilyDocumentAccepted', { documentId: 'D2', acceptedAt: AT, acceptedBy: 'agent' }))
      .outputs();
    expect(output).toMatchObject({ id: 'document-accepted-D2', payload: { kind: 'document-accepted', title: 'Document accepté' } });
    expect((output as unknown as { payload: { message: string } }).payload.message).toBe(
      'Votre document a été accepté. Retrouvez-le dans « Infos / Documents ».',
    );
  });
});
