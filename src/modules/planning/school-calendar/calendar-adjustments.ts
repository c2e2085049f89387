import type { Decider, DomainEvent, EventTypeDefinition } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import { adjustCalendar, CalendarAdjustment } from '../calendar/school-calendar';
import type { Instant, SchoolCalendar } from '../planning.types';

/** The commune's changes to the official school calendar, in order: one stream. */
export const CALENDAR_STREAM = 'school-calendar';

export type CalendarAdjustedData = { adjustment: CalendarAdjustment; adjustedAt: Instant; adjustedBy: string };
export type CalendarAdjusted = DomainEvent<'CalendarAdjusted', CalendarAdjustedData>;

export const calendarEventTypes: EventTypeDefinition[] = [{ type: 'CalendarAdjusted', version: 1, personalData: [] }];

export type AdjustCalendar = {
  type: 'AdjustCalendar';
  adjustment: CalendarAdjustment;
  /** the official calendar of the commune's zone, the base the adjustments apply to */
  base: SchoolCalendar;
  at: Instant;
  actor: { userId: string; role: string };
};

export type CalendarState = { adjustments: CalendarAdjustment[] };

/**
 * A commune adjusts its school calendar (a "pont de l'Ascension", a moved week, its own rentrée). An
 * adjustment that does not apply to the calendar as it stands (a period that does not exist, a reversed
 * range) is refused and nothing is written.
 */
export const calendarDecider: Decider<AdjustCalendar, CalendarAdjusted, CalendarState> = {
  initialState: () => ({ adjustments: [] }),
  evolve: (state, event) => ({ adjustments: [...state.adjustments, event.data.adjustment] }),
  decide(command, state) {
    if (!['staff', 'admin', 'system'].includes(command.actor.role)) {
      throw new DomainError('FORBIDDEN_ROLE', 'Seuls les agents ajustent le calendrier scolaire.', 'forbidden');
    }
    adjustCalendar(command.base, [...state.adjustments, command.adjustment]); // throws when it does not apply
    return [
      { type: 'CalendarAdjusted', data: { adjustment: command.adjustment, adjustedAt: command.at, adjustedBy: command.actor.userId } },
    ];
  },
};

/** The calendar in force: the official one with the commune's adjustments. */
export function calendarInForce(base: SchoolCalendar, state: CalendarState): SchoolCalendar {
  return adjustCalendar(base, state.adjustments);
}
