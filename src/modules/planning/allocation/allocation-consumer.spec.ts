import { allocationStream, familyIdFromPlanningStream, parseAllocationStream, planningStream } from '../planning.events';
import { offerWindowMs } from './allocation.decider';
import {
  allocationEventId,
  allocationFollowUps,
  type AllocationSettings,
  expireOfferCommand,
  OFFER_EXPIRY_JOB,
  placesOn,
  routeToAllocation,
  type SourceEvent,
} from './allocation-consumer';

const NOW = '2026-04-01T08:00:00.000Z';
const SETTINGS: AllocationSettings = { places: 24, offerWindowMs: offerWindowMs(3) };
const settingsFor = jest.fn((_activityId: string, _date: string) => SETTINGS);

function stored(type: string, data: Record<string, unknown>, streamId = planningStream('fam-1'), position = 1234): SourceEvent {
  return { id: 'ev-1', streamId, position, type, data };
}

const reservation = {
  requestId: 'req-1',
  childId: 'child-1',
  activityId: 'alsh-mercredi-pm',
  date: '2026-04-15',
  requestedAt: NOW,
  requestedBy: 'jean.dupont',
  validation: 'automatic',
};

describe('stream names', () => {
  it('planning streams carry the family, allocation streams the activity and the day', () => {
    expect(planningStream('fam-1')).toBe('planning-fam-1');
    expect(familyIdFromPlanningStream('planning-fam-1')).toBe('fam-1');
    expect(familyIdFromPlanningStream('family-fam-1')).toBeNull();
    expect(familyIdFromPlanningStream('planning-')).toBeNull();
    expect(allocationStream('alsh-mercredi-pm', '2026-04-15')).toBe('allocation-alsh-mercredi-pm-2026-04-15');
    expect(parseAllocationStream('allocation-alsh-mercredi-pm-2026-04-15')).toEqual({ activityId: 'alsh-mercredi-pm', date: '2026-04-15' });
    expect(parseAllocationStream('planning-fam-1')).toBeNull();
  });
});

describe('routeToAllocation', () => {
  it('routes a ReservationRequested to its activity-day as Allocate, with its log position as arrival order', () => {
    const route = routeToAllocation(stored('ReservationRequested', reservation), settingsFor, NOW);
    expect(route).toEqual({
      streamId: 'allocation-alsh-mercredi-pm-2026-04-15',
      sourceEventId: 'ev-1',
      command: {
        type: 'Allocate',
        request: { requestId: 'req-1', familyId: 'fam-1', childId: 'child-1', position: 1234, validation: 'automatic' },
        places: 24,
        offerWindowMs: SETTINGS.offerWindowMs,
        now: NOW,
      },
    });
    expect(settingsFor).toHaveBeenCalledWith('alsh-mercredi-pm', '2026-04-15');
  });

  it('routes a CancellationRequested to the same activity-day as Cancel', () => {
    const { requestId, childId, activityId, date } = reservation;
    const route = routeToAllocation(
      stored('CancellationRequested', { requestId, childId, activityId, date, cancelledAt: NOW, by: 'jean.dupont' }),
      settingsFor,
      NOW,
    );
    expect(route).toEqual({
      streamId: 'allocation-alsh-mercredi-pm-2026-04-15',
      sourceEventId: 'ev-1',
      command: { type: 'Cancel', requestId: 'req-1', offerWindowMs: SETTINGS.offerWindowMs, now: NOW },
    });
  });

  it('skips absences, other event types and events outside planning streams', () => {
    expect(routeToAllocation(stored('AbsenceDeclared', { absenceId: 'a1' }), settingsFor, NOW)).toBeNull();
    expect(routeToAllocation(stored('ChangeRequested', {}), settingsFor, NOW)).toBeNull();
    expect(routeToAllocation(stored('ReservationRequested', reservation, 'family-fam-1'), settingsFor, NOW)).toBeNull();
  });
});

describe('allocationEventId', () => {
  it('is the same for every delivery of a source event, and differs by index, stream and source', () => {
    const id = allocationEventId('ev-1', 'allocation-a-2026-04-15', 0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(allocationEventId('ev-1', 'allocation-a-2026-04-15', 0)).toBe(id);
    expect(allocationEventId('ev-1', 'allocation-a-2026-04-15', 1)).not.toBe(id);
    expect(allocationEventId('ev-2', 'allocation-a-2026-04-15', 0)).not.toBe(id);
    expect(allocationEventId('ev-1', 'allocation-a-2026-04-16', 0)).not.toBe(id);
  });
});

describe('placesOn', () => {
  it("uses the day's override, else the default", () => {
    const activity = { placesPerDay: 24, placeOverrides: { '2026-04-15': 12 } };
    expect(placesOn(activity, '2026-04-15')).toBe(12);
    expect(placesOn(activity, '2026-04-22')).toBe(24);
  });
});

describe('allocationFollowUps', () => {
  const STREAM = 'allocation-alsh-mercredi-pm-2026-04-15';
  const ref = { requestId: 'req-1', familyId: 'fam-1', childId: 'child-1' };
  const day = { activityId: 'alsh-mercredi-pm', date: '2026-04-15' };
  const jobId = `${STREAM}|req-1`;

  it('an offer schedules its expiry job at the end of the window and tells the family', () => {
    const expiresAt = '2026-04-04T08:00:00.000Z';
    expect(allocationFollowUps(STREAM, { type: 'PlaceOffered', data: { ...ref, offeredAt: NOW, expiresAt } })).toEqual([
      { kind: 'schedule-job', name: OFFER_EXPIRY_JOB, id: jobId, runAt: expiresAt, payload: { streamId: STREAM, requestId: 'req-1' } },
      { kind: 'notify-family', notice: { kind: 'place-offered', ...ref, ...day, expiresAt } },
    ]);
    expect(expireOfferCommand({ streamId: STREAM, requestId: 'req-1' }, expiresAt, SETTINGS.offerWindowMs)).toEqual({
      type: 'ExpireOffer',
      requestId: 'req-1',
      now: expiresAt,
      offerWindowMs: SETTINGS.offerWindowMs,
    });
  });

  it('an answer cancels the job; a closure tells the family why', () => {
    expect(allocationFollowUps(STREAM, { type: 'OfferAccepted', data: { ...ref, acceptedAt: NOW, by: 'jean.dupont' } })).toEqual([
      { kind: 'cancel-job', name: OFFER_EXPIRY_JOB, id: jobId },
    ]);
    expect(allocationFollowUps(STREAM, { type: 'PlaceReleased', data: { ...ref, reason: 'closure', closureReason: 'Grève' } })).toEqual([
      { kind: 'cancel-job', name: OFFER_EXPIRY_JOB, id: jobId },
      { kind: 'notify-family', notice: { kind: 'day-closed', ...ref, ...day, reason: 'Grève' } },
    ]);
    expect(allocationFollowUps(STREAM, { type: 'RemovedFromWaitingList', data: { ...ref, reason: 'cancelled' } })).toEqual([]);
  });

  it('staff decisions and the waiting list are told to the family', () => {
    expect(
      allocationFollowUps(STREAM, {
        type: 'RequestRefusedByStaff',
        data: { ...ref, reason: 'Dossier incomplet', refusedAt: NOW, refusedBy: 'agent' },
      }),
    ).toEqual([{ kind: 'notify-family', notice: { kind: 'refused-by-staff', ...ref, ...day, reason: 'Dossier incomplet' } }]);
    expect(
      allocationFollowUps(STREAM, { type: 'RequestWaitListed', data: { ...ref, position: 3, validation: 'automatic', rank: 2 } }),
    ).toEqual([{ kind: 'notify-family', notice: { kind: 'wait-listed', ...ref, ...day, rank: 2 } }]);
    expect(
      allocationFollowUps(STREAM, { type: 'PlaceAllocated', data: { ...ref, position: 3, validation: 'automatic', awaitingStaff: false } }),
    ).toEqual([]);
  });
});
