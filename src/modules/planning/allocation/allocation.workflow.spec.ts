import { projected, WorkflowSpecification } from '../../../../test/support/workflow-specification';
import { cancelJob, scheduleJob, sendCommand } from '../../../platform/workflows/workflow';
import {
  familyIdFromPlanningStream,
  legacyPlanningStream,
  parsePlanningStream,
  planningStream,
} from '../family-planning/family-planning.events';
import { allocationCommands } from './allocation.commands';
import { offerWindowMs, placesOn } from './allocation.decider';
import { allocationStream, parseAllocationStream } from './allocation.events';
import { allocationWorkflow } from './allocation.workflow';
import { allocationFollowUpsWorkflow, OFFER_EXPIRY_JOB, PLANNING_NOTICE_JOB } from './allocation-follow-ups.workflow';

const NOW = '2026-04-01T08:00:00.000Z';
const FACTS = { places: 24, offerWindowMs: offerWindowMs(3) };

const reservation = {
  requestId: 'req-1',
  childId: 'child-1',
  activityId: 'alsh-mercredi-pm',
  date: '2026-04-15',
  requestedAt: NOW,
  requestedBy: 'jean.dupont',
  validation: 'automatic',
};
const fromFamily = (type: string, data: Record<string, unknown>, streamId = planningStream('fam-1', '2025-2026')) =>
  projected(type, data, { streamId, position: 1234, eventId: 'ev-1', recordedAt: NOW });

describe('stream names', () => {
  it('planning streams carry the family, allocation streams the activity and the day', () => {
    expect(planningStream('fam-1', '2025-2026')).toBe('planning-fam-1-2025-2026');
    expect(parsePlanningStream('planning-fam-1-2025-2026')).toEqual({ familyId: 'fam-1', schoolYear: '2025-2026' });
    expect(parsePlanningStream('planning-1001001818331-2026-2027')).toEqual({ familyId: '1001001818331', schoolYear: '2026-2027' });
    // the stream of a family's planning from before the split by school year
    expect(legacyPlanningStream('fam-1')).toBe('planning-fam-1');
    expect(parsePlanningStream('planning-fam-1')).toEqual({ familyId: 'fam-1', schoolYear: null });
    expect(familyIdFromPlanningStream('planning-fam-1')).toBe('fam-1');
    expect(familyIdFromPlanningStream('family-fam-1')).toBeNull();
    expect(familyIdFromPlanningStream('planning-')).toBeNull();
    expect(allocationStream('alsh-mercredi-pm', '2026-04-15')).toBe('allocation-alsh-mercredi-pm-2026-04-15');
    expect(parseAllocationStream('allocation-alsh-mercredi-pm-2026-04-15')).toEqual({ activityId: 'alsh-mercredi-pm', date: '2026-04-15' });
    expect(parseAllocationStream('planning-fam-1')).toBeNull();
  });
});

describe('the place allocator (allocation.workflow.ts)', () => {
  const spec = WorkflowSpecification.for(allocationWorkflow);
  const day = { activityId: 'alsh-mercredi-pm', date: '2026-04-15' };

  it('sends a ReservationRequested to its activity-day as Allocate, with its log position as arrival order', () => {
    spec
      .given(FACTS)
      .when(fromFamily('ReservationRequested', reservation))
      .then([
        sendCommand(
          allocationCommands,
          day,
          {
            type: 'Allocate',
            request: { requestId: 'req-1', familyId: 'fam-1', childId: 'child-1', position: 1234, validation: 'automatic' },
            places: 24,
            offerWindowMs: FACTS.offerWindowMs,
          },
          'allocation:ev-1',
        ),
      ]);
  });

  it('sends a CancellationRequested to the same activity-day as Cancel', () => {
    const { requestId, childId, activityId, date } = reservation;
    spec
      .given(FACTS)
      .when(fromFamily('CancellationRequested', { requestId, childId, activityId, date, cancelledAt: NOW, by: 'jean.dupont' }))
      .then([
        sendCommand(allocationCommands, day, { type: 'Cancel', requestId: 'req-1', offerWindowMs: FACTS.offerWindowMs }, 'allocation:ev-1'),
      ]);
  });

  it('derives the same idempotency key from the same source event, another from another', () => {
    const first = spec.given(FACTS).when(fromFamily('ReservationRequested', reservation)).outputs();
    const again = spec.given(FACTS).when(fromFamily('ReservationRequested', reservation)).outputs();
    const other = spec
      .given(FACTS)
      .when(projected('ReservationRequested', reservation, { streamId: planningStream('fam-1', '2025-2026'), eventId: 'ev-2' }))
      .outputs();
    expect(again).toEqual(first);
    expect(other[0]).toMatchObject({ idempotencyKey: 'allocation:ev-2' });
  });

  it('reads the requests of the streams from before the split by school year too', () => {
    spec
      .given(FACTS)
      .when(fromFamily('ReservationRequested', reservation, legacyPlanningStream('fam-1')))
      .outputs()
      .forEach((output) => expect(output).toMatchObject({ payload: { request: { familyId: 'fam-1' } } }));
    expect(
      spec
        .given(FACTS)
        .when(fromFamily('ReservationRequested', reservation, legacyPlanningStream('fam-1')))
        .outputs(),
    ).toHaveLength(1);
  });

  it('skips absences, other event types and events outside planning streams', () => {
    spec
      .given(FACTS)
      .when(fromFamily('AbsenceDeclared', { absenceId: 'a1' }))
      .then([]);
    spec.given(FACTS).when(fromFamily('ChangeRequested', {})).then([]);
    spec
      .given(FACTS)
      .when(fromFamily('ReservationRequested', reservation, 'family-fam-1'))
      .then([]);
  });
});

describe('placesOn', () => {
  it("uses the day's override, else the default", () => {
    const activity = { placesPerDay: 24, placeOverrides: { '2026-04-15': 12 } };
    expect(placesOn(activity, '2026-04-15')).toBe(12);
    expect(placesOn(activity, '2026-04-22')).toBe(24);
  });
});

describe('the allocation follow-ups (allocation-follow-ups.workflow.ts)', () => {
  const spec = WorkflowSpecification.for(allocationFollowUpsWorkflow);
  const STREAM = 'allocation-alsh-mercredi-pm-2026-04-15';
  const ref = { requestId: 'req-1', familyId: 'fam-1', childId: 'child-1' };
  const day = { activityId: 'alsh-mercredi-pm', date: '2026-04-15' };
  const jobId = `${STREAM}|req-1`;
  const onDay = (type: string, data: Record<string, unknown>, eventId = 'ev-9') =>
    projected(type, data, { streamId: STREAM, eventId, recordedAt: NOW });
  const notice = (eventId: string, fields: Record<string, unknown>) =>
    scheduleJob(PLANNING_NOTICE_JOB, eventId, { ...ref, ...day, ...fields }, NOW);

  it('an offer schedules its expiry job at the end of the window and tells the family, both under deterministic ids', () => {
    const expiresAt = '2026-04-04T08:00:00.000Z';
    spec
      .given(undefined)
      .when(onDay('PlaceOffered', { ...ref, offeredAt: NOW, expiresAt }))
      .then([
        scheduleJob(OFFER_EXPIRY_JOB, jobId, { streamId: STREAM, requestId: 'req-1' }, expiresAt),
        notice('ev-9', { kind: 'place-offered', expiresAt }),
      ]);
  });

  it('an answer cancels the job; a closure cancels it and tells the family why', () => {
    spec
      .given(undefined)
      .when(onDay('OfferAccepted', { ...ref, acceptedAt: NOW, by: 'jean.dupont' }))
      .then([cancelJob(OFFER_EXPIRY_JOB, jobId)]);
    spec
      .given(undefined)
      .when(onDay('PlaceReleased', { ...ref, reason: 'closure', closureReason: 'Grève' }))
      .then([cancelJob(OFFER_EXPIRY_JOB, jobId), notice('ev-9', { kind: 'day-closed', reason: 'Grève' })]);
    spec
      .given(undefined)
      .when(onDay('RemovedFromWaitingList', { ...ref, reason: 'cancelled' }))
      .then([]);
  });

  it('staff decisions are told to the family; a place on the waiting list or a booking is not (the grid shows them)', () => {
    spec
      .given(undefined)
      .when(onDay('RequestRefusedByStaff', { ...ref, reason: 'Dossier incomplet', refusedAt: NOW, refusedBy: 'agent' }))
      .then([notice('ev-9', { kind: 'refused-by-staff', reason: 'Dossier incomplet' })]);
    spec
      .given(undefined)
      .when(onDay('RequestWaitListed', { ...ref, position: 3, validation: 'automatic', rank: 2 }))
      .then([]);
    spec
      .given(undefined)
      .when(onDay('PlaceAllocated', { ...ref, position: 3, validation: 'automatic', awaitingStaff: false }))
      .then([]);
  });

  it('ignores events outside allocation streams', () => {
    spec
      .given(undefined)
      .when(projected('PlaceOffered', { ...ref, offeredAt: NOW, expiresAt: NOW }, { streamId: 'planning-fam-1' }))
      .then([]);
  });
});
