import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import { StreamCommand } from '../../../platform/commands/stream-command';
import { fold } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import type { EventStore } from '../../../platform/event-store/event-store.port';
import { EventSerializer } from '../../../platform/events/event-serializer';
import { AuthenticatedRequest, commandContext, EmptyBody } from '../../../platform/http/command-http';
import { EVENT_STORE } from '../../../platform/tokens';
import { allocationDecider, freePlaces, heldPlaces, offerWindowMs } from '../allocation/allocation.decider';
import { placesOn } from '../allocation/allocation-consumer';
import { attendanceDecider, MAX_ATTENDANCE_ENTRIES } from '../attendance/attendance.decider';
import { ATTENDANCE_LABELS, ATTENDANCE_STATUSES, AttendanceEvent, attendanceStream } from '../attendance/attendance.events';
import { AllocationEvent, allocationStream } from '../planning.events';
import { CatalogRepository } from './catalog-repository';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Identifiant invalide.');
class DayParam extends createZodDto(z.strictObject({ activityId: id, date: z.iso.date('Date invalide : format attendu AAAA-MM-JJ.') })) {}
class DayRequestParam extends createZodDto(z.strictObject({ activityId: id, date: z.iso.date(), requestId: id })) {}
class RefuseReservationBody extends createZodDto(
  z.strictObject({ reason: z.string().trim().min(1, 'Indiquez le motif du refus.').max(500) }),
) {}
class AttendanceBody extends createZodDto(
  z.strictObject({
    entries: z
      .array(z.strictObject({ familyId: id, childId: z.string().min(1).max(100), status: z.enum(ATTENDANCE_STATUSES) }))
      .min(1)
      .max(MAX_ATTENDANCE_ENTRIES)
      .describe('present, absent (à vérifier), absent-excused, absent-billed'),
  }),
) {}

/** Staff: the day list of an activity (places taken, waiting list) and the decisions on pending requests. */
@ApiTags('Planning (agents)')
@ApiBearerAuth()
@Controller('activities/:activityId/days/:date')
export class ActivityDaysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly catalog: CatalogRepository,
    private readonly access: FamilyAccessPolicy,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly serializer: EventSerializer,
  ) {}

  @Get()
  @Roles('staff', 'admin', 'auditor')
  @ApiOperation({ summary: "Liste du jour d'une activité : places, réservations, demandes à valider, propositions, liste d'attente" })
  async day(@Param() p: DayParam, @Req() rq: AuthenticatedRequest) {
    const { activity } = await this.inScope(rq, p.activityId);
    const stored = await this.events.readStream(allocationStream(p.activityId, p.date));
    const state = fold(
      allocationDecider,
      stored.map((e) => this.serializer.deserialize<AllocationEvent>(e)),
    );
    const who = (requestId: string) => {
      const r = state.requests[requestId];
      return { requestId, familyId: r.familyId, childId: r.childId, position: r.position, validation: r.validation };
    };
    const attendance = fold(
      attendanceDecider,
      (await this.events.readStream(attendanceStream(p.activityId, p.date))).map((e) => this.serializer.deserialize<AttendanceEvent>(e)),
    ).byChild;
    return {
      activityId: p.activityId,
      activityName: activity.name,
      attendance: Object.entries(attendance).map(([k, status]) => {
        const [familyId, childId] = k.split('|');
        return { familyId, childId, status, label: ATTENDANCE_LABELS[status] };
      }),
      date: p.date,
      places: state.places ?? placesOn(activity, p.date),
      taken: heldPlaces(state),
      free: state.places === null ? placesOn(activity, p.date) : freePlaces(state),
      closed: state.closed,
      allocated: state.allocated.map(who),
      awaitingStaff: state.pendingStaff.map(who),
      offered: Object.entries(state.offers).map(([requestId, expiresAt]) => ({ ...who(requestId), expiresAt })),
      waiting: state.waiting.map((requestId, index) => ({ ...who(requestId), rank: index + 1 })),
    };
  }

  @Post('attendance')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Relever les présences du jour : présent, absent, absent excusé, absent facturé' })
  async attendance(@Param() p: DayParam, @Body() body: AttendanceBody, @Req() rq: AuthenticatedRequest) {
    await this.inScope(rq, p.activityId);
    const stored = await this.events.readStream(allocationStream(p.activityId, p.date));
    const day = fold(
      allocationDecider,
      stored.map((e) => this.serializer.deserialize<AllocationEvent>(e)),
    );
    const booked = day.allocated.map((requestId) => `${day.requests[requestId].familyId}|${day.requests[requestId].childId}`);
    const result = await this.commands.execute(
      new StreamCommand(
        attendanceStream(p.activityId, p.date),
        attendanceDecider,
        (at) => ({
          type: 'RecordAttendance' as const,
          activityId: p.activityId,
          date: p.date,
          at,
          actor: { userId: rq.principal.userId, role: rq.principal.role },
          entries: body.entries,
          booked,
        }),
        commandContext(rq),
      ),
    );
    return { recorded: result.events.length };
  }

  @Post('requests/:requestId/accept')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Valider une réservation en attente de validation' })
  async accept(@Param() p: DayRequestParam, @Body() _b: EmptyBody, @Req() rq: AuthenticatedRequest) {
    await this.inScope(rq, p.activityId);
    const actor = { userId: rq.principal.userId, role: rq.principal.role };
    await this.commands.execute(
      new StreamCommand(
        allocationStream(p.activityId, p.date),
        allocationDecider,
        (at) => ({ type: 'AcceptByStaff' as const, requestId: p.requestId, now: at, actor }),
        commandContext(rq),
      ),
    );
    return { requestId: p.requestId, status: 'accepted' };
  }

  @Post('requests/:requestId/refuse')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Refuser une réservation, avec un motif communiqué à la famille (la place va à la suivante)' })
  async refuse(@Param() p: DayRequestParam, @Body() body: RefuseReservationBody, @Req() rq: AuthenticatedRequest) {
    await this.inScope(rq, p.activityId);
    const actor = { userId: rq.principal.userId, role: rq.principal.role };
    await this.commands.execute(
      new StreamCommand(
        allocationStream(p.activityId, p.date),
        allocationDecider,
        (at) => ({
          type: 'RefuseByStaff' as const,
          requestId: p.requestId,
          reason: body.reason,
          now: at,
          actor,
          offerWindowMs: offerWindowMs(),
        }),
        commandContext(rq),
      ),
    );
    return { requestId: p.requestId, status: 'refused' };
  }

  /** Staff and auditors see the activities of their communes; another commune's activity is "not found". */
  private async inScope(rq: AuthenticatedRequest, activityId: string) {
    const found = await this.catalog.activity(activityId);
    try {
      this.access.assertCanRegisterIn(rq.principal, found.facility.commune);
    } catch {
      throw new DomainError('ACTIVITY_NOT_FOUND', `L'activité « ${activityId} » n'existe pas.`, 'not_found');
    }
    return found;
  }
}
