import { randomUUID } from 'node:crypto';

import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import type { Clock } from '../../../platform/clock/clock';
import { StreamCommand } from '../../../platform/commands/stream-command';
import { fold } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import type { EventStore } from '../../../platform/event-store/event-store.port';
import { EventSerializer } from '../../../platform/events/event-serializer';
import { AuthenticatedRequest, commandContext, EmptyBody, setRevision } from '../../../platform/http/command-http';
import { FamilyIdParam } from '../../../platform/http/command-http';
import { CLOCK, EVENT_STORE } from '../../../platform/tokens';
import { allocationDecider, offerWindowMs } from '../allocation/allocation.decider';
import {
  FamilyPlanningCommand,
  familyPlanningDecider,
  MAX_BULK_ITEMS,
  RequestReservations,
} from '../family-planning/family-planning.decider';
import type { FamilyPlanningStreamEvent } from '../family-planning/family-planning.events';
import {
  declareAbsenceBodySchema,
  enrolChildBodySchema,
  requestReservationBodySchema,
  requestReservationsBodySchema,
  typicalWeekBodySchema,
} from '../family-planning/family-planning.schemas';
import { expandTypicalWeek } from '../family-planning/typical-week';
import { allocationStream, planningStream } from '../planning.events';
import type { LocalDate } from '../planning.types';
import { BulkReservations } from './bulk-reservations';
import { PlanningFacts } from './planning-facts';

class EnrolChildBody extends createZodDto(enrolChildBodySchema) {}
class RequestReservationBody extends createZodDto(requestReservationBodySchema) {}
class RequestReservationsBody extends createZodDto(requestReservationsBodySchema) {}
class TypicalWeekBody extends createZodDto(typicalWeekBodySchema) {}
class DeclareAbsenceBody extends createZodDto(declareAbsenceBodySchema) {}
class CancelManyBody extends createZodDto(
  z.strictObject({
    requestIds: z
      .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Identifiant invalide.'))
      .min(1, 'Choisissez au moins une réservation à annuler.')
      .max(MAX_BULK_ITEMS, `${MAX_BULK_ITEMS} réservations au plus par demande.`),
  }),
) {}
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Identifiant invalide.');
class ReservationParam extends createZodDto(z.strictObject({ familyId: id, requestId: id })) {}

type WithoutMeta<C> = C extends unknown ? Omit<C, 'familyId' | 'at' | 'actor'> : never;

/**
 * « Mes enfants » → Agenda: enrolments (staff), reservations one day at a time or in bulk (a « semaine
 * type »), cancellations and absences. Every request is checked by the booking rules and either refused
 * at once with the rule's French reason, or recorded as « Demande en attente » on the family's planning
 * stream; the place allocator then decides it in arrival order.
 */
@ApiTags('Planning (Mes enfants)')
@ApiBearerAuth()
@Controller('families/:familyId')
export class FamilyPlanningController {
  constructor(
    private readonly commands: CommandBus,
    private readonly facts: PlanningFacts,
    private readonly access: FamilyAccessPolicy,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly serializer: EventSerializer,
    private readonly bulkReservations: BulkReservations,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('enrolments')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: "Inscrire un enfant à une activité pour l'année scolaire, avec un contrat régulier éventuel" })
  async enrol(
    @Param() p: FamilyIdParam,
    @Body() body: EnrolChildBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: Response,
  ) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const { activities } = await this.facts.forActivities(p.familyId, [body.activityId], []);
    const activity = this.requireActivity(activities, body.activityId);
    const result = await this.send(rq, p.familyId, { type: 'EnrolChild', ...body, activity });
    setRevision(rs, result.revision);
    return { familyId: p.familyId, revision: result.revision };
  }

  @Post('reservations')
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: 'Demander une réservation pour un jour (refusée tout de suite si une règle ne le permet pas, avec la raison)' })
  async reserve(
    @Param() p: FamilyIdParam,
    @Body() body: RequestReservationBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: Response,
  ) {
    await this.assertChild(rq, p.familyId, body.childId);
    const facts = await this.facts.forActivities(p.familyId, [body.activityId], [body.date]);
    const activity = this.requireActivity(facts.activities, body.activityId);
    const requestId = randomUUID();
    const result = await this.send(rq, p.familyId, {
      type: 'RequestReservation',
      requestId,
      ...body,
      activity,
      calendar: facts.calendar,
      closures: facts.closures,
      publicHolidays: facts.publicHolidays,
      familyCategory: facts.familyCategory,
    });
    setRevision(rs, result.revision);
    const stored = result.events.find((e) => e.type === 'ReservationRequested');
    return {
      requestId: (stored?.data as { requestId?: string } | undefined)?.requestId ?? requestId,
      status: 'requested',
      revision: result.revision,
    };
  }

  @Post('reservations/bulk')
  @HttpCode(200)
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: 'Réserver plusieurs jours, pour plusieurs enfants : une réponse par jour (1000 jours au plus)' })
  async reserveMany(@Param() p: FamilyIdParam, @Body() body: RequestReservationsBody, @Req() rq: AuthenticatedRequest) {
    for (const childId of new Set(body.items.map((i) => i.childId))) await this.assertChild(rq, p.familyId, childId);
    const items = body.items.map((item) => ({ ...item, requestId: randomUUID() }));
    return this.bulk(rq, p.familyId, items);
  }

  @Post('reservations/typical-week')
  @HttpCode(200)
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: 'Appliquer une « semaine type » sur une période, pour un ou plusieurs enfants : une réponse par jour' })
  async typicalWeek(@Param() p: FamilyIdParam, @Body() body: TypicalWeekBody, @Req() rq: AuthenticatedRequest) {
    for (const childId of new Set(body.lines.map((l) => l.childId))) await this.assertChild(rq, p.familyId, childId);
    const facts = await this.facts.forActivities(
      p.familyId,
      body.lines.map((l) => l.activityId),
      [body.from, body.to],
    );
    const items = expandTypicalWeek(body, facts, () => randomUUID());
    if (items.length === 0) throw new DomainError('NO_DAYS', "Aucun jour de la période n'est ouvert pour ces activités.", 'invalid');
    return this.bulk(rq, p.familyId, items);
  }

  @Post('reservations/:requestId/cancel')
  @HttpCode(200)
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: "Annuler une réservation avant le délai d'annulation de l'activité" })
  async cancel(
    @Param() p: ReservationParam,
    @Body() _b: EmptyBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: Response,
  ) {
    const reservation = await this.reservation(rq, p.familyId, p.requestId);
    const facts = await this.facts.forActivities(p.familyId, [reservation.activityId], [reservation.date]);
    const activity = this.requireActivity(facts.activities, reservation.activityId);
    const result = await this.send(rq, p.familyId, {
      type: 'CancelReservation',
      requestId: p.requestId,
      activity,
      publicHolidays: facts.publicHolidays,
    });
    setRevision(rs, result.revision);
    return { requestId: p.requestId, status: 'cancelled', revision: result.revision };
  }

  @Post('reservations/cancel')
  @HttpCode(200)
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: 'Annuler plusieurs réservations (plusieurs jours, plusieurs enfants) : une réponse par réservation' })
  async cancelMany(@Param() p: FamilyIdParam, @Body() body: CancelManyBody, @Req() rq: AuthenticatedRequest) {
    // Who may act on the family is decided for the whole request, not day by day.
    await this.access.assertCanReach(rq.principal, p.familyId);
    const results: { requestId: string; status: 'cancelled' | 'refused'; code?: string; message?: string }[] = [];
    for (const requestId of body.requestIds) {
      try {
        const reservation = await this.reservation(rq, p.familyId, requestId);
        const facts = await this.facts.forActivities(p.familyId, [reservation.activityId], [reservation.date]);
        const activity = this.requireActivity(facts.activities, reservation.activityId);
        await this.send(rq, p.familyId, { type: 'CancelReservation', requestId, activity, publicHolidays: facts.publicHolidays });
        results.push({ requestId, status: 'cancelled' });
      } catch (error) {
        // A refusal answers for its day; anything else (a store failure) stops the bulk: the days already
        // cancelled are in the answer of the retry (they then answer NOT_BOOKED).
        if (!(error instanceof DomainError)) throw error;
        results.push({ requestId, status: 'refused', code: error.code, message: error.message });
      }
    }
    return {
      cancelled: results.filter((r) => r.status === 'cancelled').length,
      refused: results.filter((r) => r.status === 'refused').length,
      results,
    };
  }

  @Post('reservations/:requestId/offer/accept')
  @HttpCode(200)
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: 'Accepter la place libérée proposée (avant la fin du délai de réponse)' })
  async acceptOffer(@Param() p: ReservationParam, @Body() _b: EmptyBody, @Req() rq: AuthenticatedRequest) {
    const reservation = await this.reservation(rq, p.familyId, p.requestId);
    await this.commands.execute(
      new StreamCommand(
        allocationStream(reservation.activityId, reservation.date),
        allocationDecider,
        (at) => ({
          type: 'AcceptOffer' as const,
          requestId: p.requestId,
          familyId: p.familyId,
          now: at,
          by: rq.principal.userId,
        }),
        commandContext(rq),
      ),
    );
    return { requestId: p.requestId, status: 'accepted' };
  }

  @Post('reservations/:requestId/offer/decline')
  @HttpCode(200)
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: 'Refuser la place proposée (elle va à la famille suivante)' })
  async declineOffer(@Param() p: ReservationParam, @Body() _b: EmptyBody, @Req() rq: AuthenticatedRequest) {
    const reservation = await this.reservation(rq, p.familyId, p.requestId);
    await this.commands.execute(
      new StreamCommand(
        allocationStream(reservation.activityId, reservation.date),
        allocationDecider,
        (at) => ({
          type: 'DeclineOffer' as const,
          requestId: p.requestId,
          familyId: p.familyId,
          now: at,
          by: rq.principal.userId,
          offerWindowMs: offerWindowMs(),
        }),
        commandContext(rq),
      ),
    );
    return { requestId: p.requestId, status: 'declined' };
  }

  @Post('absences')
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({
    summary:
      'Déclarer une absence (un jour ou une période), avec un certificat médical éventuel : chaque jour est excusé ou facturé selon les règles',
  })
  async declareAbsence(
    @Param() p: FamilyIdParam,
    @Body() body: DeclareAbsenceBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: Response,
  ) {
    await this.assertChild(rq, p.familyId, body.childId);
    const facts = await this.facts.forActivities(p.familyId, [body.activityId], [body.from]);
    const activity = this.requireActivity(facts.activities, body.activityId);
    const absenceId = randomUUID();
    const { certificate, ...rest } = body;
    const result = await this.send(rq, p.familyId, {
      type: 'DeclareAbsence',
      absenceId,
      ...rest,
      // The instant the certificate reaches the portal is the server's, never the parent's word.
      ...(certificate ? { certificate: { reference: certificate.reference, providedAt: this.clock.now().toISOString() } } : {}),
      policy: activity.absencePolicy,
    });
    setRevision(rs, result.revision);
    const declared = result.events.find((e) => e.type === 'AbsenceDeclared');
    return { absenceId, revision: result.revision, days: (declared?.data as { decisions?: unknown } | undefined)?.decisions ?? [] };
  }

  private async bulk(rq: AuthenticatedRequest, familyId: string, items: RequestReservations['items']) {
    const facts = await this.facts.forActivities(
      familyId,
      items.map((i) => i.activityId),
      items.map((i) => i.date),
    );
    return this.bulkReservations.request(familyId, items, facts, commandContext(rq));
  }

  private async reservation(rq: AuthenticatedRequest, familyId: string, requestId: string) {
    await this.access.assertCanReach(rq.principal, familyId);
    const stored = await this.events.readStream(planningStream(familyId));
    const state = fold(
      familyPlanningDecider,
      stored.map((e) => this.serializer.deserialize<FamilyPlanningStreamEvent>(e)),
    );
    const reservation = state.reservations[requestId];
    if (!reservation) throw new DomainError('RESERVATION_NOT_FOUND', 'Réservation introuvable.', 'not_found');
    this.access.assertCanReachChild(rq.principal, reservation.childId);
    return reservation as { childId: string; activityId: string; date: LocalDate };
  }

  private async assertChild(rq: AuthenticatedRequest, familyId: string, childId: string): Promise<void> {
    await this.access.assertCanReach(rq.principal, familyId);
    this.access.assertCanReachChild(rq.principal, childId);
  }

  private requireActivity<A>(activities: Record<string, A>, activityId: string): A {
    const activity = activities[activityId];
    if (!activity) throw new DomainError('ACTIVITY_NOT_FOUND', `L'activité « ${activityId} » n'existe pas.`, 'not_found');
    return activity;
  }

  private send(rq: AuthenticatedRequest, familyId: string, command: WithoutMeta<FamilyPlanningCommand>) {
    const { principal } = rq;
    return this.commands.execute(
      new StreamCommand(
        planningStream(familyId),
        familyPlanningDecider,
        (at) => ({ ...command, familyId, at, actor: { userId: principal.userId, role: principal.role } }) as FamilyPlanningCommand,
        { ...commandContext(rq), familyId },
      ),
    );
  }
}
