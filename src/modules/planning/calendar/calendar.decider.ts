import { type CommandMeta, STAFF_ROLES } from '../../../platform/domain/command-target';
import type { Decider } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import type { SchoolCalendar } from '../planning.types';
import type { CalendarAdjusted } from './calendar.events';
import { adjustCalendar, CalendarAdjustment } from './school-calendar';

export type AdjustCalendar = CommandMeta & {
  type: 'AdjustCalendar';
  adjustment: CalendarAdjustment;
  /** the official calendar of the commune's zone, the base the adjustments apply to */
  base: SchoolCalendar;
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
    if (!STAFF_ROLES.includes(command.actor.role)) {
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
