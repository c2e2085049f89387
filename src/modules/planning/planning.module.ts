import { Module, OnModuleInit } from '@nestjs/common';

import { WorkflowRunner } from '../../platform/workflows/workflow-runner';
import { ActivityDaysController } from './http/activity-days.controller';
import {
  AllocationFollowUpWorkflow,
  AllocationWorkflow,
  CapacityWorkflow,
  ClosureWorkflow,
  RegularContractWorkflow,
  ReservationOutcomeWorkflow,
} from './http/allocation.workflow';
import { BulkReservations } from './http/bulk-reservations';
import { CatalogController } from './http/catalog.controller';
import { CatalogRepository } from './http/catalog-repository';
import { FamilyPlanningController } from './http/family-planning.controller';
import { PlanningFacts } from './http/planning-facts';
import { PlanningGridController } from './http/planning-grid.controller';
import { SchoolCalendarController } from './http/school-calendar.controller';

/** Bounded context "planning": facilities and activities, enrolments, reservations, places, absences. */
@Module({
  controllers: [CatalogController, FamilyPlanningController, ActivityDaysController, PlanningGridController, SchoolCalendarController],
  providers: [
    CatalogRepository,
    PlanningFacts,
    BulkReservations,
    AllocationWorkflow,
    AllocationFollowUpWorkflow,
    ClosureWorkflow,
    CapacityWorkflow,
    RegularContractWorkflow,
    ReservationOutcomeWorkflow,
  ],
  exports: [CatalogRepository],
})
export class PlanningModule implements OnModuleInit {
  constructor(
    private readonly workflows: WorkflowRunner,
    private readonly allocation: AllocationWorkflow,
    private readonly followUps: AllocationFollowUpWorkflow,
    private readonly closures: ClosureWorkflow,
    private readonly capacity: CapacityWorkflow,
    private readonly contracts: RegularContractWorkflow,
    private readonly outcomes: ReservationOutcomeWorkflow,
  ) {}

  onModuleInit(): void {
    this.followUps.registerJobs();
    this.workflows.register(this.allocation, this.followUps, this.closures, this.capacity, this.contracts, this.outcomes);
  }
}
