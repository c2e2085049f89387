import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { Actor } from '../../../platform/domain/command-target';
import { AdjustCalendar, calendarDecider, calendarInForce } from './calendar.decider';
import type { CalendarAdjusted } from './calendar.events';
import { officialSchoolCalendar } from './official-school-calendar';
import { holidayOn } from './school-calendar';

const base = officialSchoolCalendar('C');
const staff: Actor = { userId: 'agent', role: 'staff' };
const bridge = {
  type: 'add-holiday' as const,
  holiday: { name: "Pont de l'Ascension", kind: 'petites' as const, from: '2027-05-07', to: '2027-05-09' },
};
const adjust = (adjustment: AdjustCalendar['adjustment'], actor = staff): AdjustCalendar => ({
  type: 'AdjustCalendar',
  adjustment,
  base,
  at: '2027-01-10T10:00:00.000Z',
  actor,
});
const adjusted = (adjustment: AdjustCalendar['adjustment']): CalendarAdjusted => ({
  type: 'CalendarAdjusted',
  data: { adjustment, adjustedAt: '2027-01-10T10:00:00.000Z', adjustedBy: 'agent' },
});

describe('school calendar adjustments', () => {
  const spec = DeciderSpecification.for(calendarDecider);

  it('records an adjustment that applies, and the calendar in force follows it', () => {
    const state = spec
      .given([])
      .when(adjust(bridge))
      .then([adjusted(bridge)]);
    expect(holidayOn('2027-05-07', calendarInForce(base, state))?.name).toBe("Pont de l'Ascension");
    expect(holidayOn('2027-05-07', base)).toBeUndefined();
  });

  it('refuses an adjustment that does not apply, and anyone but staff', () => {
    spec
      .given([])
      .when(adjust({ type: 'move-holiday', name: 'Vacances de Noël', currentFrom: '1999-12-18', from: '2026-12-20', to: '2027-01-03' }))
      .thenThrows('HOLIDAY_NOT_FOUND');
    spec
      .given([])
      .when(adjust({ type: 'remove-holiday-days', from: '2027-02-10', to: '2027-02-01' }))
      .thenThrows('INVALID_CALENDAR_ADJUSTMENT');
    spec
      .given([])
      .when(adjust(bridge, { userId: 'p', role: 'parent' }))
      .thenThrows('FORBIDDEN_ROLE');
  });
});
