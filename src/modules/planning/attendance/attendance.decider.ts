import { type CommandMeta, STAFF_ROLES } from '../../../platform/domain/command-target';
import type { Decider } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import { parisDateOf } from '../calendar/local-date';
import type { LocalDate } from '../planning.types';
import { ATTENDANCE_STATUSES, AttendanceEvent, AttendanceStatus } from './attendance.events';

/** A day's list is a few dozen children; a few hundred bounds a mistaken or hostile request. */
export const MAX_ATTENDANCE_ENTRIES = 500;

export type RecordAttendance = CommandMeta & {
  type: 'RecordAttendance';
  activityId: string;
  date: LocalDate;
  entries: { familyId: string; childId: string; status: AttendanceStatus }[];
  /** the children booked that day (`familyId|childId`), from the day's allocation: only they can be marked */
  booked: string[];
};

/** The attendance of each child of the day, last record wins (a correction is a new record). */
export type AttendanceState = { byChild: Record<string, AttendanceStatus> };

const key = (familyId: string, childId: string) => `${familyId}|${childId}`;

/**
 * Staff record who came: any status for the children booked that day, « present » also for a child who
 * came without a booking; the day must have begun (nobody is marked in advance); recording the same status
 * again writes nothing.
 */
export const attendanceDecider: Decider<RecordAttendance, AttendanceEvent, AttendanceState> = {
  initialState: () => ({ byChild: {} }),
  evolve: (state, event) => ({ byChild: { ...state.byChild, [key(event.data.familyId, event.data.childId)]: event.data.status } }),
  decide(command, state) {
    if (!STAFF_ROLES.includes(command.actor.role)) {
      throw new DomainError('FORBIDDEN_ROLE', 'Seuls les agents relèvent les présences.', 'forbidden');
    }
    if (command.entries.length === 0 || command.entries.length > MAX_ATTENDANCE_ENTRIES) {
      throw new DomainError('INVALID_ATTENDANCE', `Indiquez de 1 à ${MAX_ATTENDANCE_ENTRIES} enfants.`, 'invalid');
    }
    if (parisDateOf(command.at) < command.date) {
      throw new DomainError('DAY_NOT_STARTED', 'Les présences se relèvent le jour même ou après.', 'invalid', { date: command.date });
    }
    const booked = new Set(command.booked);
    const seen = new Set<string>();
    const events: AttendanceEvent[] = [];
    for (const { familyId, childId, status } of command.entries) {
      const k = key(familyId, childId);
      if (!ATTENDANCE_STATUSES.includes(status)) {
        throw new DomainError('INVALID_ATTENDANCE', `Statut de présence inconnu : ${String(status)}.`, 'invalid');
      }
      // A child who came without a booking is recorded present (« Heure hors contrat » on the grid, billed
      // as such); an absence can only be noted for a child who was expected.
      if (!booked.has(k) && status !== 'present') {
        throw new DomainError('NOT_BOOKED', "Cet enfant n'était pas attendu ce jour-là : seule sa présence peut être notée.", 'conflict', {
          familyId,
          childId,
        });
      }
      if (seen.has(k)) throw new DomainError('DUPLICATE_CHILD', 'Un enfant figure deux fois dans le relevé.', 'invalid', { childId });
      seen.add(k);
      if (state.byChild[k] === status) continue;
      events.push({
        type: 'AttendanceRecorded',
        data: {
          activityId: command.activityId,
          date: command.date,
          familyId,
          childId,
          status,
          recordedAt: command.at,
          recordedBy: command.actor.userId,
        },
      });
    }
    return events;
  },
};
