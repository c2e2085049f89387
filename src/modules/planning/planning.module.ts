import { Module } from '@nestjs/common';

import { ActivityDaysController } from './allocation/activity-days.controller';
import { ActivityDaysInScope } from './allocation/activity-days-in-scope';
import { OfferExpiryJob } from './allocation/offer-expiry.job';
import { OffersController } from './allocation/offers.controller';
import { PlanningNoticeJob } from './allocation/planning-notice.job';
import { AttendanceController } from './attendance/attendance.controller';
import { SchoolCalendarController } from './calendar/school-calendar.controller';
import { CatalogController } from './catalog/catalog.controller';
import { CatalogLookup } from './catalog/catalog-lookup';
import { AbsencesController } from './family-planning/absences.controller';
import { BulkReservations } from './family-planning/bulk-reservations';
import { EnrolmentsController } from './family-planning/enrolments.controller';
import { ReservationLookup } from './family-planning/reservation-lookup';
import { ReservationsController } from './family-planning/reservations.controller';
import { PlanningGridController } from './grid/planning-grid.controller';
import { PlanningWorkflows } from './planning.workflows';
import { PlanningFacts } from './planning-facts';

/** Bounded context "planning": facilities and activities, enrolments, reservations, places, absences, attendance. */
@Module({
  controllers: [
    CatalogController,
    SchoolCalendarController,
    EnrolmentsController,
    ReservationsController,
    AbsencesController,
    OffersController,
    ActivityDaysController,
    AttendanceController,
    PlanningGridController,
  ],
  providers: [
    CatalogLookup,
    PlanningFacts,
    ReservationLookup,
    BulkReservations,
    ActivityDaysInScope,
    PlanningWorkflows,
    OfferExpiryJob,
    PlanningNoticeJob,
  ],
  // billing prices the days with the school calendar in force
  exports: [PlanningFacts],
})
export class PlanningModule {}
