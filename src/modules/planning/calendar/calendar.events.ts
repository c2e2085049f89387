import { type EventOf, eventTable } from '../../../platform/domain/event-table';
import type { Instant } from '../planning.types';
import type { CalendarAdjustment } from './school-calendar';

/** The commune's changes to the official school calendar, in order: one stream. */
export const CALENDAR_STREAM = 'school-calendar';

export type CalendarAdjustedData = { adjustment: CalendarAdjustment; adjustedAt: Instant; adjustedBy: string };

type CalendarEventData = { CalendarAdjusted: CalendarAdjustedData };

/** A calendar is about the commune, never a family: no personal data. */
export const calendarEvents = eventTable<CalendarEventData>({
  CalendarAdjusted: { version: 1, personalData: [] },
});

export type CalendarEvent = EventOf<CalendarEventData>;
export type CalendarAdjusted = EventOf<CalendarEventData, 'CalendarAdjusted'>;
