import { projected, WorkflowSpecification } from '../../../../test/support/workflow-specification';
import { sendCommand } from '../../../platform/workflows/workflow';
import { familyPlanningCommands } from './family-planning.commands';
import { reservationOutcomeWorkflow } from './reservation-outcome.workflow';

const spec = WorkflowSpecification.for(reservationOutcomeWorkflow);
const ref = { requestId: 'req-1', familyId: 'fam-1', childId: 'child-1' };
/** the ending happened on a day of 2026-2027: it goes to that year's planning stream */
const FACTS = { schoolYear: '2026-2027' };
const onDay = (type: string, data: Record<string, unknown>) =>
  projected(type, { ...ref, ...data }, { streamId: 'allocation-alsh-2027-04-20', eventId: 'ev-end' });
const ended = (reason: string) =>
  sendCommand(
    familyPlanningCommands,
    { familyId: 'fam-1', schoolYear: '2026-2027' },
    { type: 'RecordReservationEnd', requestId: 'req-1', reason } as never,
    'outcome:ev-end',
  );

describe('reservation outcomes (reservation-outcome.workflow.ts)', () => {
  it("records on the family's stream the endings that free its day", () => {
    spec
      .given(FACTS)
      .when(onDay('RequestRefusedByStaff', { reason: 'Dossier incomplet' }))
      .then([ended('refused-by-staff')]);
    spec
      .given(FACTS)
      .when(onDay('RequestRejected', { reason: 'day-closed', closureReason: 'Grève' }))
      .then([ended('rejected')]);
    spec
      .given(FACTS)
      .when(onDay('PlaceReleased', { reason: 'closure' }))
      .then([ended('closure')]);
    spec
      .given(FACTS)
      .when(onDay('PlaceReleased', { reason: 'offer-expired' }))
      .then([ended('offer-expired')]);
    spec
      .given(FACTS)
      .when(onDay('RemovedFromWaitingList', { reason: 'closure' }))
      .then([ended('closure')]);
  });

  it("records nothing for the family's own cancellation (its stream already says so)", () => {
    spec
      .given(FACTS)
      .when(onDay('PlaceReleased', { reason: 'cancelled' }))
      .then([]);
    spec
      .given(FACTS)
      .when(onDay('RemovedFromWaitingList', { reason: 'cancelled' }))
      .then([]);
  });
});
