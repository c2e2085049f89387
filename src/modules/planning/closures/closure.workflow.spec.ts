import { projected, WorkflowSpecification } from '../../../../test/support/workflow-specification';
import { sendCommand } from '../../../platform/workflows/workflow';
import { allocationCommands } from '../allocation/allocation.commands';
import { closureWorkflow } from './closure.workflow';

const spec = WorkflowSpecification.for(closureWorkflow);
const declared = (scope: Record<string, string>, from: string, to: string) =>
  projected(
    'ClosureDeclared',
    { closure: { closureId: 'cl-1', scope, from, to, reason: 'Grève' }, declaredAt: 'x', declaredBy: 'agent.saint-jean' },
    { streamId: 'facility-alsh', eventId: 'ev-closure', metadata: { userId: 'agent.saint-jean' } },
  );

describe('closures (closure.workflow.ts)', () => {
  it('closes every day of the period for every activity the closure covers, each once (its key names the day)', () => {
    spec
      .given({ activityIds: ['mercredi', 'vacances'] })
      .when(declared({ facilityId: 'alsh' }, '2027-04-20', '2027-04-21'))
      .then(
        [
          ['mercredi', '2027-04-20'],
          ['mercredi', '2027-04-21'],
          ['vacances', '2027-04-20'],
          ['vacances', '2027-04-21'],
        ].map(([activityId, date]) =>
          sendCommand(
            allocationCommands,
            { activityId, date },
            { type: 'Close', reason: 'Grève', closedBy: 'agent.saint-jean' },
            `closure:ev-closure:allocation-${activityId}-${date}`,
          ),
        ),
      );
  });

  it('closes nothing when the closure covers no activity, and ignores other catalog events', () => {
    spec
      .given({ activityIds: [] })
      .when(declared({ facilityId: 'alsh' }, '2027-04-20', '2027-04-21'))
      .then([]);
    spec
      .given({ activityIds: ['mercredi'] })
      .when(projected('ClosureCancelled', { closureId: 'cl-1', cancelledAt: 'x', cancelledBy: 'a' }))
      .then([]);
  });
});
