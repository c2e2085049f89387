import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { v5 as uuidv5 } from 'uuid';

import type { Principal } from '../../../platform/commands/command-context';
import { StreamCommand } from '../../../platform/commands/stream-command';
import type { DocumentStore } from '../../../platform/document-store/document-store.port';
import { fold } from '../../../platform/domain/decider';
import type { EventStore } from '../../../platform/event-store/event-store.port';
import { EventSerializer } from '../../../platform/events/event-serializer';
import type { JobScheduler } from '../../../platform/jobs/job-scheduler.port';
import { MAILER, Mailer } from '../../../platform/mail/mailer.port';
import type { ProjectedEvent } from '../../../platform/projections/projection';
import { ProjectionRunner } from '../../../platform/projections/projection-runner';
import { DOCUMENT_STORE, EVENT_STORE, JOB_SCHEDULER } from '../../../platform/tokens';
import type { WorkflowDefinition } from '../../../platform/workflows/workflow';
import { allocationDecider, offerWindowMs } from '../allocation/allocation.decider';
import {
  ALLOCATION_SOURCE_EVENT_TYPES,
  allocationFollowUps,
  expireOfferCommand,
  FamilyNotice,
  OFFER_EXPIRY_JOB,
  OfferExpiryPayload,
  placesOn,
  routeToAllocation,
} from '../allocation/allocation-consumer';
import { endingOf, noticeText } from '../allocation/notices';
import { addDays, parisDateOf } from '../calendar/local-date';
import { FamilyPlanningCommand, familyPlanningDecider, MAX_BULK_ITEMS } from '../family-planning/family-planning.decider';
import { expandTypicalWeek } from '../family-planning/typical-week';
import {
  ALLOCATION_EVENT_TYPES,
  AllocationEvent,
  allocationStream,
  asAllocationEvent,
  familyIdFromPlanningStream,
  planningStream,
} from '../planning.events';
import type { Activity, Weekday } from '../planning.types';
import { BulkReservations } from './bulk-reservations';
import { CatalogRepository } from './catalog-repository';
import { PlanningFacts } from './planning-facts';

const ALLOCATOR: Principal = { userId: 'allocator', role: 'system' };

/**
 * The place allocator: the one ordered consumer of families' reservation requests and cancellations.
 * It runs each on the activity-day's allocation stream, in the order of the event log (= arrival order),
 * with event ids derived from the source event, so a redelivery or a second consumer changes nothing.
 */
@Injectable()
export class AllocationWorkflow implements WorkflowDefinition {
  readonly name = 'place-allocation';
  readonly eventTypes = [...ALLOCATION_SOURCE_EVENT_TYPES];

  constructor(
    private readonly commands: CommandBus,
    private readonly catalog: CatalogRepository,
  ) {}

  async handle(event: ProjectedEvent): Promise<void> {
    const { activityId, date } = event.data as { activityId: string; date: string };
    // The request passed the booking rules, so its activity exists in the catalog's stream; if the catalog
    // read model does not show it yet (a start-up, a projector behind), this throws and the runner retries
    // the event later: skipping it would lose the request.
    const activity = await this.catalog.activity(activityId);
    const route = routeToAllocation(
      { id: event.metadata.eventId, streamId: event.streamId, position: event.position, type: event.type, data: event.data },
      () => ({ places: placesOn(activity.activity, date), offerWindowMs: offerWindowMs() }),
      // time comes from the event: a redelivery decides the same
      event.metadata.recordedAt,
    );
    if (!route) return;
    await this.commands.execute(
      new StreamCommand(route.streamId, allocationDecider, () => route.command, {
        principal: ALLOCATOR,
        correlationId: event.metadata.correlationId,
        causationId: event.metadata.eventId,
        idempotencyKey: `allocation:${route.sourceEventId}`,
        familyId: event.metadata.familyId,
      }),
    );
  }
}

/**
 * What follows an allocation decision: the offer's expiry job (deterministic id: scheduled once) and the
 * family's e-mail. Delivered at least once: a redelivered event may send its e-mail again, never lose it.
 */
@Injectable()
export class AllocationFollowUpWorkflow implements WorkflowDefinition {
  readonly name = 'allocation-follow-ups';
  readonly eventTypes = [...ALLOCATION_EVENT_TYPES];
  private readonly logger = new Logger('AllocationFollowUps');

  constructor(
    @Inject(JOB_SCHEDULER) private readonly jobs: JobScheduler,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    private readonly projections: ProjectionRunner,
    private readonly catalog: CatalogRepository,
    private readonly commands: CommandBus,
  ) {}

  /** The offer-expiry job: registered by the module before the scheduler starts. */
  registerJobs(): void {
    this.jobs.register<OfferExpiryPayload>({
      name: OFFER_EXPIRY_JOB,
      attempts: 10,
      backoffMs: 5000,
      handler: async (job) => {
        await this.commands.execute(
          new StreamCommand(job.payload.streamId, allocationDecider, (at) => expireOfferCommand(job.payload, at, offerWindowMs()), {
            principal: ALLOCATOR,
            correlationId: `job-${job.id}`,
            idempotencyKey: `offer-expiry:${job.payload.streamId}:${job.payload.requestId}`,
          }),
        );
      },
    });
  }

  async handle(event: ProjectedEvent): Promise<void> {
    const allocationEvent = asAllocationEvent(event) as AllocationEvent | null;
    if (!allocationEvent) return;
    for (const followUp of allocationFollowUps(event.streamId, allocationEvent)) {
      switch (followUp.kind) {
        case 'schedule-job':
          await this.jobs.schedule(followUp.name, followUp.id, followUp.payload, { runAt: new Date(followUp.runAt) });
          break;
        case 'cancel-job':
          await this.jobs.cancel(followUp.name, followUp.id);
          break;
        case 'notify-family':
          await this.notify(followUp.notice, event.metadata.correlationId);
          break;
      }
    }
  }

  private async notify(notice: FamilyNotice, correlationId: string): Promise<void> {
    // A place on the waiting list shows in the grid with its rank; the family is written to when a place
    // is offered. (On a booking-opening morning, one e-mail per waiting request would be thousands.)
    if (notice.kind === 'wait-listed') return;
    const family = await this.documents.get<{
      guardian?: { email?: string; firstName: string; lastName: string; emailConsent?: boolean };
      children?: { childId: string; firstName: string }[];
    }>(await this.projections.collectionOf('family-record'), notice.familyId);
    const guardian = family?.data.guardian;
    if (!guardian?.email) {
      this.logger.warn({ familyId: notice.familyId, kind: notice.kind }, 'family has no e-mail: notice not sent');
      return;
    }
    const child = family?.data.children?.find((c) => c.childId === notice.childId)?.firstName ?? 'votre enfant';
    const activity = await this.catalog.activity(notice.activityId).then(
      (a) => a.activity.name,
      () => notice.activityId,
    );
    const { title, message } = noticeText(notice, child, activity);
    await this.mailer.send({
      to: guardian.email,
      template: 'planning-notice',
      correlationId,
      data: { displayName: `${guardian.firstName} ${guardian.lastName}`, title, message },
    });
  }
}

/**
 * A closure declared by staff closes every affected activity-day: bookings and waiting requests are
 * released (the families are told by the follow-ups above), later requests are refused. Idempotent: the
 * Close of a day already closed decides nothing. A cancelled closure does not reopen a closed day (the
 * families were told; staff reopen by changing the calendar or asking families to book again).
 */
@Injectable()
export class ClosureWorkflow implements WorkflowDefinition {
  readonly name = 'closures';
  readonly eventTypes = ['ClosureDeclared'];

  constructor(
    private readonly commands: CommandBus,
    private readonly catalog: CatalogRepository,
  ) {}

  async handle(event: ProjectedEvent): Promise<void> {
    const { closure } = event.data as {
      closure: { scope: { facilityId?: string; activityId?: string }; from: string; to: string; reason: string };
    };
    const docs = await this.catalog.all();
    const activityIds = closure.scope.activityId
      ? [closure.scope.activityId]
      : Object.keys(docs.find((d) => d.facility.facilityId === closure.scope.facilityId)?.activities ?? {});
    for (const activityId of activityIds) {
      for (let date = closure.from; date <= closure.to; date = addDays(date, 1)) {
        const streamId = allocationStream(activityId, date);
        await this.commands.execute(
          new StreamCommand(
            streamId,
            allocationDecider,
            (at) => ({ type: 'Close' as const, reason: closure.reason, now: at, by: event.metadata.userId }),
            {
              principal: ALLOCATOR,
              correlationId: event.metadata.correlationId,
              causationId: event.metadata.eventId,
              idempotencyKey: `closure:${event.metadata.eventId}:${streamId}`,
            },
          ),
        );
      }
    }
  }
}

/**
 * A change of an activity's places reaches the days already open for booking: each existing
 * activity-day stream of the coming school year gets the new number (more places are offered to the
 * waiting list in order; fewer never take a place back). Days nobody booked yet take the new number
 * from the configuration when their first request arrives.
 */
@Injectable()
export class CapacityWorkflow implements WorkflowDefinition {
  readonly name = 'capacity';
  readonly eventTypes = ['ActivityChanged'];

  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly serializer: EventSerializer,
  ) {}

  async handle(event: ProjectedEvent): Promise<void> {
    const { activity } = event.data as { activity: Activity };
    const today = parisDateOf(event.metadata.recordedAt);
    for (let i = 0, date = today; i < 400; i++, date = addDays(date, 1)) {
      const streamId = allocationStream(activity.activityId, date);
      const stored = await this.events.readStream(streamId);
      if (stored.length === 0) continue;
      const state = fold(
        allocationDecider,
        stored.map((e) => this.serializer.deserialize<AllocationEvent>(e)),
      );
      const places = placesOn(activity, date);
      if (state.places === places) continue;
      await this.commands.execute(
        new StreamCommand(
          streamId,
          allocationDecider,
          (at) => ({ type: 'ChangeCapacity' as const, places, now: at, offerWindowMs: offerWindowMs() }),
          {
            principal: ALLOCATOR,
            correlationId: event.metadata.correlationId,
            causationId: event.metadata.eventId,
            idempotencyKey: `capacity:${event.metadata.eventId}:${streamId}`,
          },
        ),
      );
    }
  }
}

/**
 * A regular contract (the weekdays booked by default) becomes reservations: when a child is enrolled with
 * contract days, every such day of the school year still open to booking is requested at once, as a
 * « semaine type » would (the booking rules decide each day; the places are allocated in log order).
 */
@Injectable()
export class RegularContractWorkflow implements WorkflowDefinition {
  readonly name = 'regular-contracts';
  readonly eventTypes = ['ChildEnrolled'];
  private readonly logger = new Logger('RegularContracts');

  constructor(
    private readonly facts: PlanningFacts,
    private readonly bulk: BulkReservations,
    private readonly catalog: CatalogRepository,
  ) {}

  async handle(event: ProjectedEvent): Promise<void> {
    const { childId, activityId, schoolYear, regularDays } = event.data as {
      childId: string;
      activityId: string;
      schoolYear: string;
      regularDays: Weekday[];
    };
    const familyId = familyIdFromPlanningStream(event.streamId);
    if (!familyId || regularDays.length === 0) return;
    // The school year as the calendar in force has it (its rentrée and its end), from today on.
    const calendar = await this.facts.schoolCalendar();
    const year = calendar.schoolYears.find((y) => y.id === schoolYear);
    if (!year) return;
    const today = parisDateOf(event.metadata.recordedAt);
    const from = today > year.start ? today : year.start;
    const last = year.end;
    if (from > last) return;
    // As above: an enrolment names an existing activity; a catalog read model behind makes this event wait.
    await this.catalog.activity(activityId);
    const facts = await this.facts.forActivities(familyId, [activityId], [from, last]);
    const items = expandTypicalWeek({ from, to: last, lines: [{ childId, activityId, weekdays: regularDays }] }, facts, (c, a, date) =>
      uuidv5(`${event.metadata.eventId}|${c}|${a}|${date}`, CONTRACT_NAMESPACE),
    ).slice(0, MAX_BULK_ITEMS);
    if (items.length === 0) return;
    const answer = await this.bulk.request(familyId, items, facts, {
      principal: { userId: 'regular-contract', role: 'system' },
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.eventId,
      idempotencyKey: `contract:${event.metadata.eventId}`,
    });
    this.logger.log({ familyId, childId, activityId, requested: answer.requested, refused: answer.refused }, 'regular contract booked');
  }
}

const CONTRACT_NAMESPACE = 'c3f0d9a4-5b1e-4c47-9d0a-8e2f6b7a1c55';

/**
 * Feeds the allocator's endings back to the family's planning stream, so a day whose request was refused,
 * rejected, closed or whose offer lapsed can be asked for again (and is no longer cancellable).
 */
@Injectable()
export class ReservationOutcomeWorkflow implements WorkflowDefinition {
  readonly name = 'reservation-outcomes';
  readonly eventTypes = ['PlaceReleased', 'RemovedFromWaitingList', 'RequestRefusedByStaff', 'RequestRejected'];

  constructor(private readonly commands: CommandBus) {}

  async handle(event: ProjectedEvent): Promise<void> {
    const data = event.data as { requestId: string; familyId: string; reason?: string };
    const reason = endingOf(event.type, data.reason);
    if (!reason) return;
    const system = { userId: 'allocator', role: 'system' };
    await this.commands.execute(
      new StreamCommand(
        planningStream(data.familyId),
        familyPlanningDecider,
        (at): FamilyPlanningCommand => ({
          type: 'RecordReservationEnd',
          familyId: data.familyId,
          at,
          actor: system,
          requestId: data.requestId,
          reason,
        }),
        {
          principal: ALLOCATOR,
          correlationId: event.metadata.correlationId,
          causationId: event.metadata.eventId,
          idempotencyKey: `outcome:${event.metadata.eventId}`,
          familyId: data.familyId,
        },
      ),
    );
  }
}
