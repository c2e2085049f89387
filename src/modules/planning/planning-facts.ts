import { Inject, Injectable } from '@nestjs/common';

import { familyRecordOf } from '../../../projections/family-record/family-record.queries';
import { StreamReader } from '../../platform/commands/stream-reader';
import type { AppConfig } from '../../platform/config/config';
import { ReadModels } from '../../platform/projections/read-models';
import { APP_CONFIG } from '../../platform/tokens';
import { calendarCommands } from './calendar/calendar.commands';
import { calendarInForce } from './calendar/calendar.decider';
import { officialSchoolCalendar } from './calendar/official-school-calendar';
import { publicHolidaysOf } from './calendar/public-holidays';
import { ActivityInCatalog, CatalogLookup } from './catalog/catalog-lookup';
import type { Activity, Closure, LocalDate, SchoolCalendar, Zone } from './planning.types';

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
    private readonly reader: StreamReader,
    private readonly readModels: ReadModels,
    private readonly catalog: CatalogLookup,
  ) {
    this.official = officialSchoolCalendar(config.schoolZone as Zone);
  }

  officialCalendar(): SchoolCalendar {
    return this.official;
  }

  /**
   * The calendar in force: the official one of the zone with the commune's adjustments (their stream's
   * state, caught up at each call), so a holiday change reaches every rule and every grid at the next request.
   */
  async schoolCalendar(): Promise<SchoolCalendar> {
    const { state, revision } = await this.reader.state(calendarCommands, undefined);
    if (this.cached?.revision !== revision) this.cached = { revision, calendar: calendarInForce(this.official, state) };
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
    const family = await familyRecordOf(this.readModels, familyId);
    const resident = family?.commune !== undefined && communes.has(family.commune.toUpperCase());
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
