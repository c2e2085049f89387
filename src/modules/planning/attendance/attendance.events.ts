import { type EventOf, eventTable } from '../../../platform/domain/event-table';
import type { Instant, LocalDate } from '../planning.types';

/** One stream per activity-day for what staff saw: `attendance-<activityId>-<date>`. */
export function attendanceStream(activityId: string, date: LocalDate): string {
  return `attendance-${activityId}-${date}`;
}

export const ATTENDANCE_STATUSES = ['present', 'absent', 'absent-excused', 'absent-billed'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = {
  present: 'Présent',
  absent: 'Absence à vérifier',
  'absent-excused': 'Absent excusé',
  'absent-billed': 'Absent facturé',
};

/** Staff recorded (or corrected) the attendance of a child on an activity-day. */
export type AttendanceRecordedData = {
  activityId: string;
  date: LocalDate;
  familyId: string;
  childId: string;
  status: AttendanceStatus;
  recordedAt: Instant;
  recordedBy: string;
};

type AttendanceEventData = { AttendanceRecorded: AttendanceRecordedData };

export const attendanceEvents = eventTable<AttendanceEventData>({
  AttendanceRecorded: { version: 1, personalData: ['recordedBy'] },
});

export type AttendanceEvent = EventOf<AttendanceEventData>;
export type AttendanceRecorded = EventOf<AttendanceEventData, 'AttendanceRecorded'>;
