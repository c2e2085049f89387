import {
  type AllocationCommand,
  allocationDecider,
  type AllocationState,
  initialAllocationState,
} from '../../src/modules/planning/allocation/allocation.decider';
import { type AllocationEvent } from '../../src/modules/planning/allocation/allocation.events';
import {
  absent,
  allocated,
  cancelled,
  EMMA,
  enrolled,
  EventLog,
  FAMILY_ID,
  LEO,
  LUCAS,
  OTHER_FAMILY_ID,
  ref,
  requested,
} from '../../src/modules/planning/grid/grid.test-fixtures';
import { projectAll } from '../../test/support/projection-harness';
import { evolvePlanningGrid, type PlanningGridDocument, planningGridProjection } from './planning-grid.projection';
import { type GridCell, gridDocumentId } from './planning-grid.types';

const CANTINE = 'restauration-scolaire';
const ALSH = 'alsh-vacances';
const DAY = '2027-04-22';
const APRIL = gridDocumentId(FAMILY_ID, LUCAS, '2027-04');

const project = (log: EventLog): Map<string, PlanningGridDocument> => projectAll(planningGridProjection, log.events);

function cellOf(log: EventLog, activityId: string = CANTINE, date: string = DAY, id: string = APRIL): GridCell | undefined {
  return project(log).get(id)?.rows[activityId]?.days[date];
}

/** A log where Lucas is enrolled in the canteen and has asked for DAY (request r1). */
function bookedLog(): EventLog {
  return new EventLog().planning(enrolled(LUCAS, CANTINE, [1, 2, 4, 5])).planning(requested('r1', LUCAS, CANTINE, DAY));
}

describe('planning-grid projection', () => {
  it('is one document per family, child and month, queried by those three', () => {
    expect(planningGridProjection.name).toBe('planning-grid');
    expect(planningGridProjection.indexedFields).toEqual(['familyId', 'childId', 'month']);
    // DayClosed names no family: the releases that follow it do, and the view shows the closure itself.
    expect(planningGridProjection.eventTypes).not.toContain('DayClosed');
    expect(planningGridProjection.eventTypes).toEqual(
      expect.arrayContaining(['ChildEnrolled', 'EnrolmentEnded', 'ReservationRequested', 'CancellationRequested', 'AbsenceDeclared']),
    );
  });

  describe('enrolments', () => {
    it('gives the child a row in every month of the school year, September to August, with its regular days', () => {
      const documents = project(new EventLog().planning(enrolled(LUCAS, CANTINE, [1, 2, 4, 5])));
      expect([...documents.keys()]).toEqual(
        [
          '2026-09',
          '2026-10',
          '2026-11',
          '2026-12',
          '2027-01',
          '2027-02',
          '2027-03',
          '2027-04',
          '2027-05',
          '2027-06',
          '2027-07',
          '2027-08',
        ].map((month) => gridDocumentId(FAMILY_ID, LUCAS, month)),
      );
      expect(documents.get(APRIL)).toEqual({
        familyId: FAMILY_ID,
        childId: LUCAS,
        month: '2027-04',
        rows: {
          [CANTINE]: {
            activityId: CANTINE,
            enrolment: { schoolYear: '2026-2027', regularDays: [1, 2, 4, 5], active: true, enrolledAt: '2026-08-20T08:00:00.000Z' },
            days: {},
          },
        },
        updatedAt: '2027-03-01T08:00:00.000Z',
      });
    });

    it('keeps the row of an ended enrolment, marked as no longer in force', () => {
      const log = new EventLog()
        .planning(enrolled(LUCAS, CANTINE))
        .atTime('2027-01-10T09:00:00.000Z')
        .planning({
          type: 'EnrolmentEnded',
          data: { childId: LUCAS, activityId: CANTINE, schoolYear: '2026-2027', endedAt: '2027-01-10T09:00:00.000Z', endedBy: 'agent-1' },
        });
      const documents = project(log);
      expect(documents.size).toBe(12);
      expect(documents.get(APRIL)?.rows[CANTINE].enrolment).toMatchObject({ active: false, endedAt: '2027-01-10T09:00:00.000Z' });
      expect(documents.get(APRIL)?.updatedAt).toBe('2027-01-10T09:00:00.000Z');
    });

    it('creates no document for an event that changes nothing (an end without an enrolment)', () => {
      const log = new EventLog().planning({
        type: 'EnrolmentEnded',
        data: { childId: LUCAS, activityId: CANTINE, schoolYear: '2026-2027', endedAt: '2027-01-10T09:00:00.000Z', endedBy: 'agent-1' },
      });
      expect(project(log).size).toBe(0);
    });
  });

  describe('a request and its allocation', () => {
    it('is « requested » until the allocator decides, then « booked » (automatic validation)', () => {
      const log = bookedLog();
      expect(cellOf(log)).toEqual({
        status: 'requested',
        requestId: 'r1',
        reservation: 'requested',
        validation: 'automatic',
        updatedAt: '2027-03-01T08:00:00.000Z',
      });
      log.atTime('2027-03-01T08:00:01.000Z').allocation(CANTINE, DAY, allocated(ref('r1')));
      expect(cellOf(log)).toMatchObject({ status: 'booked', requestId: 'r1', updatedAt: '2027-03-01T08:00:01.000Z' });
    });

    it('holds the place while staff decide, then books it when staff accept', () => {
      const log = new EventLog().planning(requested('r1', LUCAS, ALSH, DAY, 'staff')).allocation(ALSH, DAY, allocated(ref('r1'), true));
      expect(cellOf(log, ALSH)).toMatchObject({ status: 'awaiting-staff', validation: 'staff' });
      log.allocation(ALSH, DAY, {
        type: 'RequestAcceptedByStaff',
        data: { ...ref('r1'), acceptedAt: '2027-03-02T10:00:00.000Z', acceptedBy: 'agent-1' },
      });
      expect(cellOf(log, ALSH)).toMatchObject({ status: 'booked', staffApproved: true });
      // The request row has no enrolment event: it is still shown, without an enrolment.
      expect(project(log).get(APRIL)?.rows[ALSH].enrolment).toBeNull();
    });

    it('shows a staff refusal with its reason, and the release that follows keeps it refused', () => {
      const log = new EventLog().planning(requested('r1', LUCAS, ALSH, DAY, 'staff')).allocation(
        ALSH,
        DAY,
        allocated(ref('r1'), true),
        {
          type: 'RequestRefusedByStaff',
          data: { ...ref('r1'), reason: 'Dossier incomplet', refusedAt: '2027-03-02T10:00:00.000Z', refusedBy: 'agent-1' },
        },
        { type: 'PlaceReleased', data: { ...ref('r1'), reason: 'refused-by-staff' } },
      );
      expect(cellOf(log, ALSH)).toMatchObject({ status: 'refused', reason: 'Dossier incomplet', endReason: 'refused-by-staff' });
    });

    it('goes through the waiting list: waiting with its rank, offered until a deadline, booked once the offer is accepted', () => {
      const log = bookedLog().allocation(CANTINE, DAY, {
        type: 'RequestWaitListed',
        data: { ...ref('r1'), position: 2, validation: 'automatic', rank: 2 },
      });
      expect(cellOf(log)).toMatchObject({ status: 'waiting', rank: 2 });
      log.allocation(CANTINE, DAY, {
        type: 'PlaceOffered',
        data: { ...ref('r1'), offeredAt: '2027-03-04T08:00:00.000Z', expiresAt: '2027-03-06T08:00:00.000Z' },
      });
      expect(cellOf(log)).toMatchObject({ status: 'offered', offer: { expiresAt: '2027-03-06T08:00:00.000Z' } });
      expect(cellOf(log)?.rank).toBeUndefined();
      log.allocation(
        CANTINE,
        DAY,
        { type: 'OfferAccepted', data: { ...ref('r1'), acceptedAt: '2027-03-05T08:00:00.000Z', by: 'user-jean' } },
        allocated(ref('r1')),
      );
      expect(cellOf(log)).toMatchObject({ status: 'booked', requestId: 'r1' });
    });

    it('empties the day when the offer expires or is declined (the place went to the next family)', () => {
      const offered: AllocationEvent[] = [
        { type: 'RequestWaitListed', data: { ...ref('r1'), position: 2, validation: 'automatic', rank: 1 } },
        { type: 'PlaceOffered', data: { ...ref('r1'), offeredAt: '2027-03-04T08:00:00.000Z', expiresAt: '2027-03-06T08:00:00.000Z' } },
      ];
      const expired = bookedLog().allocation(
        CANTINE,
        DAY,
        ...offered,
        { type: 'OfferExpired', data: { ...ref('r1'), expiredAt: '2027-03-06T08:00:00.000Z' } },
        { type: 'PlaceReleased', data: { ...ref('r1'), reason: 'offer-expired' } },
      );
      expect(cellOf(expired)).toMatchObject({ status: 'released', endReason: 'offer-expired' });
      const declined = bookedLog().allocation(
        CANTINE,
        DAY,
        ...offered,
        { type: 'OfferDeclined', data: { ...ref('r1'), declinedAt: '2027-03-05T08:00:00.000Z', by: 'user-jean' } },
        { type: 'PlaceReleased', data: { ...ref('r1'), reason: 'offer-declined' } },
      );
      expect(cellOf(declined)).toMatchObject({ status: 'released', endReason: 'offer-declined' });
    });

    it('pre-approves a waiting request accepted by staff: it stays waiting until it gets its place', () => {
      const log = new EventLog()
        .planning(requested('r1', LUCAS, ALSH, DAY, 'staff'))
        .allocation(
          ALSH,
          DAY,
          { type: 'RequestWaitListed', data: { ...ref('r1'), position: 2, validation: 'staff', rank: 3 } },
          { type: 'RequestAcceptedByStaff', data: { ...ref('r1'), acceptedAt: '2027-03-02T10:00:00.000Z', acceptedBy: 'agent-1' } },
        );
      expect(cellOf(log, ALSH)).toMatchObject({ status: 'waiting', rank: 3, staffApproved: true });
    });
  });

  describe('cancellations, in every order the log can deliver them', () => {
    it('a cancellation after the allocation empties the day, and the release that follows changes nothing', () => {
      const log = bookedLog()
        .allocation(CANTINE, DAY, allocated(ref('r1')))
        .planning(cancelled('r1', LUCAS, CANTINE, DAY));
      expect(cellOf(log)).toMatchObject({ status: 'cancelled', requestId: 'r1' });
      log.allocation(CANTINE, DAY, { type: 'PlaceReleased', data: { ...ref('r1'), reason: 'cancelled' } });
      expect(cellOf(log)).toMatchObject({ status: 'cancelled', requestId: 'r1' });
    });

    it('a cancellation recorded before the allocator caught up is never undone by the late allocation', () => {
      const log = bookedLog()
        .planning(cancelled('r1', LUCAS, CANTINE, DAY))
        .allocation(CANTINE, DAY, allocated(ref('r1')));
      expect(cellOf(log)?.status).toBe('cancelled');
      log.allocation(CANTINE, DAY, { type: 'PlaceReleased', data: { ...ref('r1'), reason: 'cancelled' } });
      expect(cellOf(log)?.status).toBe('cancelled');
    });

    it('a cancelled waiting request leaves the list: the day is empty', () => {
      const log = bookedLog()
        .allocation(CANTINE, DAY, { type: 'RequestWaitListed', data: { ...ref('r1'), position: 2, validation: 'automatic', rank: 1 } })
        .planning(cancelled('r1', LUCAS, CANTINE, DAY))
        .allocation(CANTINE, DAY, { type: 'RemovedFromWaitingList', data: { ...ref('r1'), reason: 'cancelled' } });
      expect(cellOf(log)).toMatchObject({ status: 'cancelled' });
      expect(cellOf(log)?.rank).toBeUndefined();
    });

    it('a day cancelled and booked again follows the new request; late events of the old one are ignored', () => {
      const log = bookedLog()
        .planning(cancelled('r1', LUCAS, CANTINE, DAY))
        .planning(requested('r2', LUCAS, CANTINE, DAY))
        // the allocator reaches r1 only now: allocated, then released by its cancellation
        .allocation(CANTINE, DAY, allocated(ref('r1')), { type: 'PlaceReleased', data: { ...ref('r1'), reason: 'cancelled' } });
      expect(cellOf(log)).toMatchObject({ status: 'requested', requestId: 'r2' });
      log.allocation(CANTINE, DAY, allocated(ref('r2'), false, 3));
      expect(cellOf(log)).toMatchObject({ status: 'booked', requestId: 'r2' });
    });

    it('a redelivered request does not undo its allocation', () => {
      const log = bookedLog().allocation(CANTINE, DAY, allocated(ref('r1')));
      const documents = project(log);
      const [, request] = log.events;
      expect(request.type).toBe('ReservationRequested');
      expect(evolvePlanningGrid(documents.get(APRIL)!, request, APRIL)).toBe(documents.get(APRIL));
    });
  });

  describe('closures', () => {
    it('a closure releases every live request of the day, whatever the family: the days show the closure and its reason', () => {
      // Driven by the real allocator: Lucas gets the last place, Léo (another family) waits, then the day closes.
      let state: AllocationState = initialAllocationState();
      const log = new EventLog()
        .planning(requested('r1', LUCAS, CANTINE, DAY))
        .planning(requested('r2', LEO, CANTINE, DAY), OTHER_FAMILY_ID);
      const run = (command: AllocationCommand): void => {
        const events = allocationDecider.decide(command, state);
        for (const event of events) state = allocationDecider.evolve(state, event);
        log.allocation(CANTINE, DAY, ...events);
      };
      const terms = {
        at: '2027-03-01T08:00:05.000Z',
        actor: { userId: 'allocator', role: 'system' as const },
        offerWindowMs: 2 * 86_400_000,
      };
      run({ type: 'Allocate', request: { ...ref('r1'), position: 1, validation: 'automatic' }, places: 1, ...terms });
      run({ type: 'Allocate', request: { ...ref('r2', LEO, OTHER_FAMILY_ID), position: 2, validation: 'automatic' }, places: 1, ...terms });
      const leoApril = gridDocumentId(OTHER_FAMILY_ID, LEO, '2027-04');
      expect(cellOf(log)?.status).toBe('booked');
      expect(cellOf(log, CANTINE, DAY, leoApril)).toMatchObject({ status: 'waiting', rank: 1 });

      run({
        type: 'Close',
        reason: 'Grève du personnel de cantine',
        at: '2027-04-20T08:00:00.000Z',
        actor: { userId: 'agent-1', role: 'staff' },
      });
      expect(log.events.map((e) => e.type).slice(-3)).toEqual(['DayClosed', 'PlaceReleased', 'RemovedFromWaitingList']);
      expect(cellOf(log)).toMatchObject({ status: 'closed', endReason: 'closure', reason: 'Grève du personnel de cantine' });
      expect(cellOf(log, CANTINE, DAY, leoApril)).toMatchObject({ status: 'closed', reason: 'Grève du personnel de cantine' });
      // DayClosed itself is routed to no document.
      const dayClosed = log.events.find((e) => e.type === 'DayClosed')!;
      expect(planningGridProjection.documentIds(dayClosed)).toEqual([]);

      // A request that reaches the closed day is refused, with the closure's reason.
      log.planning(requested('r3', EMMA, CANTINE, DAY));
      run({ type: 'Allocate', request: { ...ref('r3', EMMA), position: 9, validation: 'automatic' }, places: 1, ...terms });
      expect(cellOf(log, CANTINE, DAY, gridDocumentId(FAMILY_ID, EMMA, '2027-04'))).toMatchObject({
        status: 'refused',
        endReason: 'day-closed',
        reason: 'Grève du personnel de cantine',
      });
    });
  });

  describe('absences', () => {
    it('shows each day as its decision says, in the month of each day', () => {
      const log = new EventLog()
        .planning(requested('r1', LUCAS, CANTINE, '2027-03-29'))
        .planning(requested('r2', LUCAS, CANTINE, '2027-03-30'))
        .planning(requested('r3', LUCAS, CANTINE, '2027-04-01'))
        .allocation(CANTINE, '2027-03-29', allocated(ref('r1')))
        .allocation(CANTINE, '2027-03-30', allocated(ref('r2')))
        .allocation(CANTINE, '2027-04-01', allocated(ref('r3')))
        .planning(
          absent('a1', LUCAS, CANTINE, [
            { date: '2027-03-29', outcome: 'excused' },
            { date: '2027-03-30', outcome: 'billed' },
            { date: '2027-04-01', outcome: 'to-verify' },
          ]),
        );
      const absenceEvent = log.events[log.events.length - 1];
      expect(planningGridProjection.documentIds(absenceEvent)).toEqual([
        gridDocumentId(FAMILY_ID, LUCAS, '2027-03'),
        gridDocumentId(FAMILY_ID, LUCAS, '2027-04'),
      ]);
      const march = gridDocumentId(FAMILY_ID, LUCAS, '2027-03');
      expect(cellOf(log, CANTINE, '2027-03-29', march)).toMatchObject({ status: 'absent-excused', reservation: 'booked', requestId: 'r1' });
      expect(cellOf(log, CANTINE, '2027-03-30', march)?.status).toBe('absent-billed');
      expect(cellOf(log, CANTINE, '2027-04-01')).toMatchObject({
        status: 'absence-pending',
        absence: { absenceId: 'a1', outcome: 'to-verify', withCertificate: false },
      });
    });

    it('an absence survives a later staff acceptance, and gives way to a closure or a cancellation', () => {
      const log = new EventLog()
        .planning(requested('r1', LUCAS, ALSH, DAY, 'staff'))
        .allocation(ALSH, DAY, allocated(ref('r1'), true))
        .planning(absent('a1', LUCAS, ALSH, [{ date: DAY, outcome: 'excused' }]))
        .allocation(ALSH, DAY, {
          type: 'RequestAcceptedByStaff',
          data: { ...ref('r1'), acceptedAt: '2027-03-04T10:00:00.000Z', acceptedBy: 'agent-1' },
        });
      expect(cellOf(log, ALSH)).toMatchObject({ status: 'absent-excused', reservation: 'booked' });
      log.allocation(ALSH, DAY, { type: 'PlaceReleased', data: { ...ref('r1'), reason: 'closure', closureReason: 'Inondation' } });
      expect(cellOf(log, ALSH)).toMatchObject({ status: 'closed', reason: 'Inondation' });

      const cancelledAfterAbsence = bookedLog()
        .allocation(CANTINE, DAY, allocated(ref('r1')))
        .planning(absent('a1', LUCAS, CANTINE, [{ date: DAY, outcome: 'billed' }]))
        .planning(cancelled('r1', LUCAS, CANTINE, DAY));
      expect(cellOf(cancelledAfterAbsence)).toMatchObject({ status: 'cancelled', absence: { absenceId: 'a1' } });
    });
  });

  describe('attendance', () => {
    it('a booked child noted absent is an absence to verify until staff excuse or bill it', () => {
      const log = bookedLog()
        .allocation(CANTINE, DAY, allocated(ref('r1')))
        .atTime('2027-04-22T10:00:00.000Z')
        .attendance(CANTINE, DAY, 'absent');
      expect(planningGridProjection.documentIds(log.events[log.events.length - 1])).toEqual([APRIL]);
      expect(cellOf(log)).toMatchObject({
        status: 'absence-to-verify',
        reservation: 'booked',
        requestId: 'r1',
        attendance: { status: 'absent', recordedAt: '2027-04-22T10:00:00.000Z' },
      });
      log.attendance(CANTINE, DAY, 'absent-excused');
      expect(cellOf(log)?.status).toBe('absent-excused');
      log.attendance(CANTINE, DAY, 'absent-billed');
      expect(cellOf(log)?.status).toBe('absent-billed');
    });

    it("staff's record wins over the family's declaration: a child declared absent who came is booked", () => {
      const log = bookedLog()
        .allocation(CANTINE, DAY, allocated(ref('r1')))
        .planning(absent('a1', LUCAS, CANTINE, [{ date: DAY, outcome: 'billed' }]))
        .attendance(CANTINE, DAY, 'present');
      expect(cellOf(log)).toMatchObject({ status: 'booked', absence: { outcome: 'billed' }, attendance: { status: 'present' } });
    });

    it('the same record again changes nothing', () => {
      const log = bookedLog()
        .allocation(CANTINE, DAY, allocated(ref('r1')))
        .attendance(CANTINE, DAY, 'present');
      const before = project(log).get(APRIL)!;
      log.atTime('2027-04-23T10:00:00.000Z').attendance(CANTINE, DAY, 'present');
      expect(evolvePlanningGrid(before, log.events[log.events.length - 1], APRIL)).toBe(before);
    });
  });

  it('routes each event to its own family and child', () => {
    const log = new EventLog()
      .planning(requested('r1', LUCAS, CANTINE, DAY))
      .planning(requested('r2', EMMA, CANTINE, DAY))
      .planning(requested('r3', LEO, CANTINE, '2027-05-03'), OTHER_FAMILY_ID)
      .allocation(CANTINE, DAY, allocated(ref('r2', EMMA)));
    const documents = project(log);
    expect([...documents.keys()].sort()).toEqual(
      [APRIL, gridDocumentId(FAMILY_ID, EMMA, '2027-04'), gridDocumentId(OTHER_FAMILY_ID, LEO, '2027-05')].sort(),
    );
    expect(documents.get(APRIL)?.rows[CANTINE].days[DAY].status).toBe('requested');
    expect(documents.get(gridDocumentId(FAMILY_ID, EMMA, '2027-04'))?.rows[CANTINE].days[DAY].status).toBe('booked');
  });
});
