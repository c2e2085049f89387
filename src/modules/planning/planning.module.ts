import { Module, OnModuleInit } from '@nestjs/common';
import { WorkflowRunner } from '../../platform/workflows/workflow-runner';
import { AllocationFollowUpWorkflow, AllocationWorkflow } from './http/allocation.workflow';
import { CatalogController } from './http/catalog.controller';
import { CatalogRepository } from './http/catalog-repository';

/** Bounded context "planning": facilities and activities, enrolments, reservations, places, absences. */
@Module({
  controllers: [CatalogController],
  providers: [CatalogRepository, AllocationWorkflow, AllocationFollowUpWorkflow],
  exports: [CatalogRepository],
})
export class PlanningModule implements OnModuleInit {
  constructor(
    private readonly workflows: WorkflowRunner,
    private readonly allocation: AllocationWorkflow,
    private readonly followUps: AllocationFollowUpWorkflow,
  ) {}

  onModuleInit(): void {
    this.followUps.registerJobs();
    this.workflows.register(this.allocation, this.followUps);
  }
}
