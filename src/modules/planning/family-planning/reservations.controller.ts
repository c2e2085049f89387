import { randomUUID } from 'node:crypto';

import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import { Commands } from '../../../platform/commands/stream-command';
import { DomainError } from '../../../platform/domain/domain-error';
import {
  AuthenticatedRequest,
  commandContext,
  EmptyBody,
  FamilyIdParam,
  type HttpResponse,
  pathId,
  setRevision,
} from '../../../platform/http/command-http';
import { RequiredDocuments } from '../../documents';
import { PlanningFacts } from '../planning-facts';
import { BulkReservations } from './bulk-reservations';
import { familyPlanningCommands } from './family-planning.commands';
import { MAX_BULK_ITEMS, RequestReservations, schoolYearFor } from './family-planning.decider';
import { requestReservationBodySchema, requestReservationsBodySchema, typicalWeekBodySchema } from './family-planning.schemas';
import { requireActivity, ReservationLookup } from './reservation-lookup';
import { expandTypicalWeek } from './typical-week';

class RequestReservationBody extends createZodDto(requestReservationBodySchema) {}
class RequestReservationsBody extends createZodDto(requestReservationsBodySchema) {}
class TypicalWeekBody extends createZodDto(typicalWeekBodySchema) {}
class CancelManyBody extends createZodDto(
  z.strictObject({
    requestIds: z
      .array(pathId)
      .min(1, 'Choisissez au moins une réservation à annuler.')
      .max(MAX_BULK_ITEMS, `${MAX_BULK_ITEMS} réservations au plus par demande.`),
  }),
) {}
export class ReservationParam extends createZodDto(z.strictObject({ familyId: pathId, requestId: pathId })) {}

/**
 * « Mes enfants » → Agenda: reservations one day at a time or in bulk (a « semaine type »), and
 * cancellations. Every request is checked by the booking rules and either refused at once with the rule's
 * French reason, or recorded as « Demande en attente » on the family's planning stream; the place
 * allocator then decides it in arrival order.
 */
@ApiTags('Planning (Mes enfants)')
@ApiBearerAuth()
@Controller('families/:familyId/reservations')
export class ReservationsController {
  constructor(
    private readonly commands: Commands,
    private readonly facts: PlanningFacts,
    private readonly access: FamilyAccessPolicy,
    private readonly lookup: ReservationLookup,
    private readonly bulkReservations: BulkReservations,
    private readonly documents: RequiredDocuments,
  ) {}

  @Post()
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: 'Demander une réservation pour un jour (refusée tout de suite si une règle ne le permet pas, avec la raison)' })
  async reserve(
    @Param() p: FamilyIdParam,
    @Body() body: RequestReservationBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    await this.lookup.assertChild(rq.principal, p.familyId, body.childId);
    const facts = await this.facts.forActivities(p.familyId, [body.activityId], [body.date]);
    const activity = requireActivity(facts.activities, body.activityId);
    await this.documents.assertProvided(p.familyId, [body]);
    const requestId = randomUUID();
    const { calendar, closures, publicHolidays, familyCategory } = facts;
    const result = await this.commands.send(
      familyPlanningCommands,
      { familyId: p.familyId, schoolYear: schoolYearFor(body.date, calendar) },
      { type: 'RequestReservation', requestId, ...body, activity, calendar, closures, publicHolidays, familyCategory },
      commandContext(rq),
    );
    setRevision(rs, result.revision);
    const stored = result.events.find((e) => e.type === 'ReservationRequested');
    return {
      requestId: (stored?.data as { requestId?: string } | undefined)?.requestId ?? requestId,
      status: 'requested',
      revision: result.revision,
    };
  }

  @Post('bulk')
  @HttpCode(200)
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: 'Réserver plusieurs jours, pour plusieurs enfants : une réponse par jour (1000 jours au plus)' })
  async reserveMany(@Param() p: FamilyIdParam, @Body() body: RequestReservationsBody, @Req() rq: AuthenticatedRequest) {
    for (const childId of new Set(body.items.map((i) => i.childId))) await this.lookup.assertChild(rq.principal, p.familyId, childId);
    const items = body.items.map((item) => ({ ...item, requestId: randomUUID() }));
    return this.bulk(rq, p.familyId, items);
  }

  @Post('typical-week')
  @HttpCode(200)
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: 'Appliquer une « semaine type » sur une période, pour un ou plusieurs enfants : une réponse par jour' })
  async typicalWeek(@Param() p: FamilyIdParam, @Body() body: TypicalWeekBody, @Req() rq: AuthenticatedRequest) {
    for (const childId of new Set(body.lines.map((l) => l.childId))) await this.lookup.assertChild(rq.principal, p.familyId, childId);
    const facts = await this.facts.forActivities(
      p.familyId,
      body.lines.map((l) => l.activityId),
      [body.from, body.to],
    );
    const items = expandTypicalWeek(body, facts, () => randomUUID());
    if (items.length === 0) throw new DomainError('NO_DAYS', "Aucun jour de la période n'est ouvert pour ces activités.", 'invalid');
    return this.bulk(rq, p.familyId, items);
  }

  @Post(':requestId/cancel')
  @HttpCode(200)
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: "Annuler une réservation avant le délai d'annulation de l'activité" })
  async cancel(
    @Param() p: ReservationParam,
    @Body() _b: EmptyBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    const result = await this.cancelOne(rq, p.familyId, p.requestId);
    setRevision(rs, result.revision);
    return { requestId: p.requestId, status: 'cancelled', revision: result.revision };
  }

  @Post('cancel')
  @HttpCode(200)
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: 'Annuler plusieurs réservations (plusieurs jours, plusieurs enfants) : une réponse par réservation' })
  async cancelMany(@Param() p: FamilyIdParam, @Body() body: CancelManyBody, @Req() rq: AuthenticatedRequest) {
    // Who may act on the family is decided for the whole request, not day by day.
    await this.access.assertCanReach(rq.principal, p.familyId);
    const results: { requestId: string; status: 'cancelled' | 'refused'; code?: string; message?: string }[] = [];
    for (const requestId of body.requestIds) {
      // One cancellation at a time, letting other requests in between: a long list must not hold the event loop.
      if (results.length > 0) await new Promise((resolve) => setImmediate(resolve));
      try {
        await this.cancelOne(rq, p.familyId, requestId);
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

  private async cancelOne(rq: AuthenticatedRequest, familyId: string, requestId: string) {
    const reservation = await this.lookup.reservation(rq.principal, familyId, requestId);
    const facts = await this.facts.forActivities(familyId, [reservation.activityId], [reservation.date]);
    const activity = requireActivity(facts.activities, reservation.activityId);
    return this.commands.send(
      familyPlanningCommands,
      { familyId, schoolYear: reservation.schoolYear },
      { type: 'CancelReservation', requestId, activity, publicHolidays: facts.publicHolidays },
      commandContext(rq),
    );
  }

  private async bulk(rq: AuthenticatedRequest, familyId: string, items: RequestReservations['items']) {
    // documents an activity requires (documents context): refused as a whole, naming the first missing one
    await this.documents.assertProvided(familyId, items);
    const facts = await this.facts.forActivities(
      familyId,
      items.map((i) => i.activityId),
      items.map((i) => i.date),
    );
    return this.bulkReservations.request(familyId, items, facts, commandContext(rq));
  }
}
