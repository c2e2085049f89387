import { Injectable, OnModuleInit } from '@nestjs/common';

import { StreamReader } from '../../platform/commands/stream-reader';
import type { ProjectedEvent } from '../../platform/projections/projection';
import { WorkflowHost } from '../../platform/workflows/workflow-host';
import { allocationCommands } from './allocation/allocation.commands';
import { offerWindowMs, placesOn } from './allocation/allocation.decider';
import { parseAllocationStream } from './allocation/allocation.events';
import { allocationWorkflow } from './allocation/allocation.workflow';
import { allocationFollowUpsWorkflow } from './allocation/allocation-follow-ups.workflow';
import { CAPACITY_HORIZON_DAYS, capacityWorkflow } from './allocation/capacity.workflow';
import { addDays, parisDateOf } from './calendar/local-date';
import { CatalogLookup } from './catalog/catalog-lookup';
import { closureWorkflow } from './closures/closure.workflow';
import { schoolYearFor } from './family-planning/family-planning.decider';
import { familyIdFromPlanningStream } from './family-planning/family-planning.events';
import { reservationOutcomeWorkflow } from './family-planning/reservation-outcome.workflow';
import type { Activity, Closure } from './planning.types';
import { PlanningFacts } from './planning-facts';
import { regularContractWorkflow } from './regular-contracts/regular-contract.workflow';

/**
 * The planning context's workflows, each a pure decision (its own file and spec), with what it needs to know
 * loaded here. A fact that is not there yet (the catalog read model behind the event, at start-up or with a
 * projector running late) throws: the runner retries the event later, it never skips it.
 */
@Injectable()
export class PlanningWorkflows implements OnModuleInit {
  constructor(
    private readonly host: WorkflowHost,
    private readonly catalog: CatalogLookup,
    private readonly facts: PlanningFacts,
    private readonly reader: StreamReader,
  ) {}

  onModuleInit(): void {
    this.host.register(allocationWorkflow, async (event) => {
      const { activityId, date } = event.data as { activityId: string; date: string };
      // The request passed the booking rules, so its activity exists in the catalog's stream.
      const { activity } = await this.catalog.activity(activityId);
      return { places: placesOn(activity, date), offerWindowMs: offerWindowMs() };
    });
    this.host.register(allocationFollowUpsWorkflow, async () => undefined);
    this.host.register(reservationOutcomeWorkflow, (event) => this.outcomeFacts(event));
    this.host.register(closureWorkflow, (event) => this.closureFacts(event));
    this.host.register(capacityWorkflow, (event) => this.capacityFacts(event));
    this.host.register(regularContractWorkflow, (event) => this.contractFacts(event));
  }

  /** The school year of the activity-day an allocation ending happened on. */
  private async outcomeFacts(event: ProjectedEvent): Promise<{ schoolYear: string }> {
    const day = parseAllocationStream(event.streamId);
    if (!day) throw new Error(`reservation outcome: ${event.streamId} is not an allocation stream`);
    return { schoolYear: schoolYearFor(day.date, await this.facts.schoolCalendar()) };
  }

  /** The activities a declared closure covers. */
  private async closureFacts(event: ProjectedEvent): Promise<{ activityIds: string[] }> {
    const { closure } = event.data as { closure: Closure };
    if ('activityId' in closure.scope) return { activityIds: [closure.scope.activityId] };
    const facility = await this.catalog.facility(closure.scope.facilityId);
    if (!facility) throw new Error(`closure ${closure.closureId}: facility ${closure.scope.facilityId} not in the catalog read model yet`);
    return { activityIds: Object.keys(facility.activities) };
  }

  /** The activity-days of the horizon that already have an allocation stream, with their places. */
  private async capacityFacts(event: ProjectedEvent) {
    const { activity } = event.data as { activity: Activity };
    const days = [];
    for (let i = 0, date = parisDateOf(event.metadata.recordedAt); i < CAPACITY_HORIZON_DAYS; i++, date = addDays(date, 1)) {
      const { state, revision } = await this.reader.state(allocationCommands, { activityId: activity.activityId, date });
      if (revision >= 0) days.push({ date, places: state.places });
    }
    return { days, offerWindowMs: offerWindowMs() };
  }

  /** The booking facts of the enrolled activity for the school year. */
  private async contractFacts(event: ProjectedEvent) {
    const { activityId, schoolYear } = event.data as { activityId: string; schoolYear: string };
    const familyId = familyIdFromPlanningStream(event.streamId) ?? '';
    // As for allocations: an enrolment names an existing activity; a catalog read model behind makes this event wait.
    await this.catalog.activity(activityId);
    const calendar = await this.facts.schoolCalendar();
    const year = calendar.schoolYears.find((y) => y.id === schoolYear);
    const dates = year ? [year.start, year.end] : [];
    const facts = await this.facts.forActivities(familyId, [activityId], dates);
    const { activities, closures, publicHolidays, familyCategory } = facts;
    return { calendar: facts.calendar, activities, closures, publicHolidays, familyCategory };
  }
}
