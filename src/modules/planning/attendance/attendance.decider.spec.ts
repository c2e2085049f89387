import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { Actor } from '../../../platform/domain/command-target';
import { attendanceDecider, RecordAttendance } from './attendance.decider';
import type { AttendanceRecorded } from './attendance.events';

const spec = DeciderSpecification.for(attendanceDecider);
const staff: Actor = { userId: 'agent', role: 'staff' };
const base: RecordAttendance = {
  type: 'RecordAttendance',
  activityId: 'alsh',
  date: '2027-01-13',
  at: '2027-01-13T16:00:00.000Z',
  actor: staff,
  entries: [{ familyId: 'f1', childId: 'c1', status: 'present' }],
  booked: ['f1|c1', 'f2|c2'],
};
const recorded = (childId: string, familyId: string, status: AttendanceRecorded['data']['status']): AttendanceRecorded => ({
  type: 'AttendanceRecorded',
  data: { activityId: 'alsh', date: '2027-01-13', familyId, childId, status, recordedAt: base.at, recordedBy: 'agent' },
});

describe('attendance decider', () => {
  it('records the children booked that day', () => {
    spec
      .given([])
      .when({
        ...base,
        entries: [
          { familyId: 'f1', childId: 'c1', status: 'present' },
          { familyId: 'f2', childId: 'c2', status: 'absent-billed' },
        ],
      })
      .then([recorded('c1', 'f1', 'present'), recorded('c2', 'f2', 'absent-billed')]);
  });

  it('writes nothing when the same status is recorded again, and records a correction', () => {
    spec
      .given([recorded('c1', 'f1', 'present')])
      .when(base)
      .then([]);
    spec
      .given([recorded('c1', 'f1', 'present')])
      .when({ ...base, entries: [{ familyId: 'f1', childId: 'c1', status: 'absent-excused' }] })
      .then([recorded('c1', 'f1', 'absent-excused')]);
  });

  it('records a child who came without a booking as present, but no absence for a child who was not expected', () => {
    spec
      .given([])
      .when({ ...base, entries: [{ familyId: 'f3', childId: 'c3', status: 'present' }] })
      .then([recorded('c3', 'f3', 'present')]);
    spec
      .given([])
      .when({ ...base, entries: [{ familyId: 'f3', childId: 'c3', status: 'absent' }] })
      .thenThrows('NOT_BOOKED');
  });

  it('refuses twice the same child, a day not begun (Paris time), a parent, an empty list', () => {
    spec
      .given([])
      .when({ ...base, entries: [base.entries[0], base.entries[0]] })
      .thenThrows('DUPLICATE_CHILD');
    // 23:30 UTC on the 12th is 00:30 on the 13th in Paris (UTC+1 in January): the day has begun.
    spec
      .given([])
      .when({ ...base, at: '2027-01-12T23:30:00.000Z' })
      .then([recorded('c1', 'f1', 'present')].map((e) => ({ ...e, data: { ...e.data, recordedAt: '2027-01-12T23:30:00.000Z' } })));
    spec
      .given([])
      .when({ ...base, at: '2027-01-12T22:59:00.000Z' })
      .thenThrows('DAY_NOT_STARTED');
    spec
      .given([])
      .when({ ...base, actor: { userId: 'p', role: 'parent' } })
      .thenThrows('FORBIDDEN_ROLE');
    spec
      .given([])
      .when({ ...base, entries: [] })
      .thenThrows('INVALID_ATTENDANCE');
  });
});
