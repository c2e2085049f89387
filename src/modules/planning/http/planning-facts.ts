import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../../platform/config/config';
import type { DocumentStore } from '../../../platform/document-store/document-store.port';
import { ProjectionRunner } from '../../../platform/projections/projection-runner';
import { APP_CONFIG, DOCUMENT_STORE } from '../../../platform/tokens';
import { officialSchoolCalendar } from '../calendar/official-school-calendar';
import { publicHolidaysOf } from '../calendar/public-holidays';
import type { Activity, Closure, LocalDate, SchoolCalendar, Zone } from '../planning.types';
import { CatalogRepository } from './catalog-repository';

export interface BookingContext {
  calendar: SchoolCalendar;
  publicHolidays: LocalDate[];
  familyCategory: string;
  activities: Record<string, Activity>;
  closures: Closure[];
}

/**
 * The facts the planning deciders take (they read nothing themselves): the school calendar of the
 * commune's zone, the public holidays of the years concerned, the family's category (resident of the
 * facility's commune or not), the activities and the closures in force.
 */
@Injectable()
export class PlanningFacts {
  private readonly calendar: SchoolCalendar;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    private readonly projections: ProjectionRunner,
    private readonly catalog: CatalogRepository,
  ) {
    this.calendar = officialSchoolCalendar(config.schoolZone as Zone);
  }

  schoolCalendar(): SchoolCalendar {
    return this.calendar;
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
    const closures: Closure[] = [];
    const communes = new Set<string>();
    for (const activityId of new Set(activityIds)) {
      const found = await this.catalog.activity(activityId).catch(() => null);
      if (!found) continue; // the decider refuses an unknown activity (404 ACTIVITY_NOT_FOUND) per day
      activities[activityId] = found.activity;
      closures.push(...found.closures);
      communes.add(found.facility.commune.toUpperCase());
    }
    const family = await this.documents.get<{ commune?: string }>(await this.projections.collectionOf('family-record'), familyId);
    const resident = family?.data.commune !== undefined && communes.has(family.data.commune.toUpperCase());
    return {
      calendar: this.calendar,
      publicHolidays: this.publicHolidays(dates),
      familyCategory: resident ? 'resident' : 'non-resident',
      activities,
      closures,
    };
  }
}
