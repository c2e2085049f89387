import { projected, WorkflowSpecification } from '../../../../test/support/workflow-specification';
import { sendCommand } from '../../../platform/workflows/workflow';
import { ALSH_MERCREDI } from '../catalog/catalog.examples';
import { allocationCommands } from './allocation.commands';
import { offerWindowMs } from './allocation.decider';
import { capacityWorkflow } from './capacity.workflow';

const spec = WorkflowSpecification.for(capacityWorkflow);
const WINDOW = offerWindowMs();
const changed = (placesPerDay: number, placeOverrides: Record<string, number> = {}) =>
  projected(
    'ActivityChanged',
    { activity: { ...ALSH_MERCREDI, placesPerDay, placeOverrides }, changedAt: 'x', changedBy: 'agent' },
    { streamId: 'facility-alsh', eventId: 'ev-change' },
  );

describe('capacity (capacity.workflow.ts)', () => {
  it('gives the days already opened the new number of places (an override wins), and leaves the days already right', () => {
    const id = ALSH_MERCREDI.activityId;
    spec
      .given({
        days: [
          { date: '2027-03-03', places: 24 },
          { date: '2027-03-10', places: 30 },
          { date: '2027-03-17', places: 24 },
        ],
        offerWindowMs: WINDOW,
      })
      .when(changed(30, { '2027-03-17': 12 }))
      .then([
        sendCommand(
          allocationCommands,
          { activityId: id, date: '2027-03-03' },
          { type: 'ChangeCapacity', places: 30, offerWindowMs: WINDOW },
          `capacity:ev-change:allocation-${id}-2027-03-03`,
        ),
        sendCommand(
          allocationCommands,
          { activityId: id, date: '2027-03-17' },
          { type: 'ChangeCapacity', places: 12, offerWindowMs: WINDOW },
          `capacity:ev-change:allocation-${id}-2027-03-17`,
        ),
      ]);
  });

  it('does nothing when no day of the activity has been opened yet', () => {
    spec.given({ days: [], offerWindowMs: WINDOW }).when(changed(30)).then([]);
  });
});
