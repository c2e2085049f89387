import { Inject, Injectable } from '@nestjs/common';

import type { AppConfig } from '../../../platform/config/config';
import type { DocumentStore } from '../../../platform/document-store/document-store.port';
import { fold } from '../../../platform/domain/decider';
import type { EventStore } from '../../../platform/event-store/event-store.port';
import { EventSerializer } from '../../../platform/events/event-serializer';
import { ProjectionRunner } from '../../../platform/projections/projection-runner';
import { APP_CONFIG, DOCUMENT_STORE, EVENT_STORE } from '../../../platform/tokens';
import { officialSchoolCalendar } from '../calendar/official-school-calendar';
import { publicHolidaysOf } from '../calendar/public-holidays';
import type { Activity, Closure, LocalDate, SchoolCalendar, Zone } from '../planning.types';
import { CALENDAR_STREAM, CalendarAdjusted, calendarDecider, calendarInForce } from '../school-calendar/calendar-adjustments';
import { ActivityInCatalog, CatalogRepository } from './catalog-repository';

export interface BookingContext {
  calendar: SchoolCalendar;
  publicHolidays: LocalDate[];
  familyCategory: string;
  activities: Record<string, Activity>;
  closures: Closure[];
  /** each known activity with its facility and its own closures (what the grid lays over the days) */
  catalog: Record<string, ActivityInCatalog>;
}

/**
 * The facts the planning deciders take (they read nothing themselves): the school calendar of the
 * commune's zone, the public holidays of the years concerned, the family's category (resident of the
 * facility's commune or not), the activities and the closures in force.
 */
@Injectable()
export class PlanningFacts {
  private readonly official: SchoolCalendar;
  private cached?: { revision: number; calendar: SchoolCalendar };

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly serializer: EventSerializer,
    private readonly projections: ProjectionRunner,
    private readonly catalog: CatalogRepository,
  ) {
    this.official = officialSchoolCalendar(config.schoolZone as Zone);
  }

  officialCalendar(): SchoolCalendar {
    return this.official;
  }

  /**
   * The calendar in force: the official one of the zone with the commune's adjustments (read from their
   * stream, re-read only when a new adjustment was appended), so a holiday change reaches every rule and
   * every grid at the next request.
   */
  async schoolCalendar(): Promise<SchoolCalendar> {
    const [last] = await this.events.readStream(CALENDAR_STREAM, { direction: 'backwards', maxCount: 1 });
    const revision = last?.revision ?? -1;
    if (this.cached?.revision === revision) return this.cached.calendar;
    const stored = revision < 0 ? [] : await this.events.readStream(CALENDAR_STREAM);
    const state = fold(
      calendarDecider,
      stored.map((e) => this.serializer.deserialize<CalendarAdjusted>(e)),
    );
    this.cached = { revision, calendar: calendarInForce(this.official, state) };
    return this.cached.calendar;
  }

  publicHolidays(dates: LocalDate[]): LocalDate[] {
    const years = new Set<number>();
    for (const date of dates) {
      const year = Number(date.slice(0, 4));
      if (Number.isInteger(year)) for (const y of [year - 1, year, year + 1]) years.add(y);
    }
    return [...years].flatMap((year) => [...publicHolidaysOf(year).keys()]);
  }

  async forActivities(familyId: string, activityIds: string[], dates: LocalDate[]): Promise<BookingContext> {
    const activities: Record<string, Activity> = {};
    const catalog: Record<string, ActivityInCatalog> = {};
    const closures: Closure[] = [];
    const communes = new Set<string>();
    for (const activityId of new Set(activityIds)) {
      const found = await this.catalog.activity(activityId).catch(() => null);
      if (!found) continue; // the decider refuses an unknown activity (404 ACTIVITY_NOT_FOUND) per day
      activities[activityId] = found.activity;
      catalog[activityId] = found;
      closures.push(...found.closures);
      communes.add(found.facility.commune.toUpperCase());
    }
    const family = await this.documents.get<{ commune?: string }>(await this.projections.collectionOf('family-record'), familyId);
    const resident = family?.data.commune !== undefined && communes.has(family.data.commune.toUpperCase());
    return {
      calendar: await this.schoolCalendar(),
      publicHolidays: this.publicHolidays(dates),
      familyCategory: resident ? 'resident' : 'non-resident',
      activities,
      closures,
      catalog,
    };
  }
}
