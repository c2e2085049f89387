import { projected } from '../../../../test/support/workflow-specification';
import { WorkflowSpecification } from '../../../../test/support/workflow-specification';
import { threadCommands } from '../threads/thread.commands';
import { broadcastThreadId, broadcastWorkflow } from './broadcast.workflow';

const sent = projected('BroadcastSent', {
  broadcastId: 'B1',
  commune: 'SAINT-JEAN',
  facilityId: 'alsh-saint-jean',
  facilityName: 'Accueil de Loisirs',
  activityId: 'alsh-mercredi-pm',
  topic: 'reservation',
  subject: 'Sortie',
  body: 'Pique-nique mercredi.',
  authorName: 'Agent',
  attachments: [],
  recipients: ['F1', 'F2'],
  sentAt: '2026-11-16T08:00:00.000Z',
  sentBy: 'u-agent',
});

describe('broadcast workflow', () => {
  it('opens one conversation per family, each stored once', () => {
    const outputs = WorkflowSpecification.for(broadcastWorkflow).given(undefined).when(sent).outputs();
    expect(outputs).toHaveLength(2);
    expect(outputs.map((o) => (o.kind === 'command' ? [o.target, o.key, o.idempotencyKey, o.payload.type] : o))).toEqual([
      [threadCommands, { familyId: 'F1', threadId: broadcastThreadId('B1', 'F1') }, 'broadcast|B1|F1', 'StartThread'],
      [threadCommands, { familyId: 'F2', threadId: broadcastThreadId('B1', 'F2') }, 'broadcast|B1|F2', 'StartThread'],
    ]);
    expect(broadcastThreadId('B1', 'F1')).not.toBe(broadcastThreadId('B1', 'F2'));
  });
});
