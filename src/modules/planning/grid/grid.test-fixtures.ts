/**
 * Builders of the event log the planning-grid tests fold: typed events of the family planning stream
 * and of the allocation streams, with the positions, revisions and metadata the runner would give them.
 */
import type { ProjectedEvent } from '../../../platform/projections/projection';
import { type AllocationEvent, allocationStream, type RequestRef } from '../allocation/allocation.events';
import { type AttendanceStatus, attendanceStream } from '../attendance/attendance.events';
import { type ChildEnrolled, type FamilyPlanningEvent } from '../family-planning/family-planning.events';
import {
  type AbsenceDayDecision,
  planningStream,
  type ReservationRequested,
  type ValidationMode,
} from '../family-planning/family-planning.events';
import type { Instant, LocalDate, Weekday } from '../planning.types';

export const FAMILY_ID = 'fam-dupont';
export const OTHER_FAMILY_ID = 'fam-martin';
export const LUCAS = 'child-lucas';
export const EMMA = 'child-emma';
export const LEO = 'child-leo-martin';

/** An append-only log: each event gets the next global position and its stream's next revision. */
export class EventLog {
  readonly events: ProjectedEvent[] = [];
  private position = 0;
  private readonly revisions = new Map<string, number>();

  constructor(private at: Instant = '2027-03-01T08:00:00.000Z') {}

  /** The instant the next events are recorded at. */
  atTime(at: Instant): this {
    this.at = at;
    return this;
  }

  planning(event: FamilyPlanningEvent, familyId: string = FAMILY_ID): this {
    return this.append(planningStream(familyId, '2026-2027'), event, familyId);
  }

  allocation(activityId: string, date: LocalDate, ...events: AllocationEvent[]): this {
    for (const event of events) this.append(allocationStream(activityId, date), event);
    return this;
  }

  /** Staff record a child's attendance on an activity-day. */
  attendance(activityId: string, date: LocalDate, status: AttendanceStatus, childId: string = LUCAS, familyId: string = FAMILY_ID): this {
    return this.append(attendanceStream(activityId, date), {
      type: 'AttendanceRecorded',
      data: { activityId, date, familyId, childId, status, recordedAt: this.at, recordedBy: 'agent-1' },
    });
  }

  private append(streamId: string, event: { type: string; data: object }, familyId?: string): this {
    const revision = (this.revisions.get(streamId) ?? -1) + 1;
    this.revisions.set(streamId, revision);
    this.position += 1;
    this.events.push({
      type: event.type,
      data: { ...event.data } as Record<string, unknown>,
      metadata: {
        eventId: `evt-${this.position}`,
        correlationId: `corr-${this.position}`,
        causationId: `corr-${this.position}`,
        userId: 'user-test',
        role: familyId ? 'parent' : 'system',
        ...(familyId ? { familyId } : {}),
        recordedAt: this.at,
      },
      streamId,
      revision,
      position: this.position,
      recordedAt: this.at,
    });
    return this;
  }
}

export function enrolled(childId: string, activityId: string, regularDays: Weekday[] = [], schoolYear = '2026-2027'): ChildEnrolled {
  return {
    type: 'ChildEnrolled',
    data: { childId, activityId, schoolYear, regularDays, enrolledAt: '2026-08-20T08:00:00.000Z', enrolledBy: 'agent-1' },
  };
}

export function requested(
  requestId: string,
  childId: string,
  activityId: string,
  date: LocalDate,
  validation: ValidationMode = 'automatic',
): ReservationRequested {
  return {
    type: 'ReservationRequested',
    data: { requestId, childId, activityId, date, requestedAt: '2027-03-01T08:00:00.000Z', requestedBy: 'user-jean', validation },
  };
}

export function cancelled(requestId: string, childId: string, activityId: string, date: LocalDate): FamilyPlanningEvent {
  return {
    type: 'CancellationRequested',
    data: { requestId, childId, activityId, date, cancelledAt: '2027-03-02T08:00:00.000Z', by: 'user-jean' },
  };
}

export function absent(
  absenceId: string,
  childId: string,
  activityId: string,
  decisions: AbsenceDayDecision[],
  declaredAt: Instant = '2027-03-03T07:00:00.000Z',
): FamilyPlanningEvent {
  return {
    type: 'AbsenceDeclared',
    data: { absenceId, childId, activityId, days: decisions.map((d) => d.date), declaredAt, declaredBy: 'user-jean', decisions },
  };
}

export function ref(requestId: string, childId: string = LUCAS, familyId: string = FAMILY_ID): RequestRef {
  return { requestId, familyId, childId };
}

export function allocated(r: RequestRef, awaitingStaff = false, position = 1): AllocationEvent {
  return { type: 'PlaceAllocated', data: { ...r, position, validation: awaitingStaff ? 'staff' : 'automatic', awaitingStaff } };
}
