import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { Commands } from '../../../platform/commands/stream-command';
import { StreamReader } from '../../../platform/commands/stream-reader';
import { isoDate, singleLineText } from '../../../platform/domain/text';
import { AuthenticatedRequest, commandContext, EmptyBody, pathId } from '../../../platform/http/command-http';
import { attendanceCommands } from '../attendance/attendance.commands';
import { ATTENDANCE_LABELS } from '../attendance/attendance.events';
import { ActivityDaysInScope, DayParam } from './activity-days-in-scope';
import { allocationCommands } from './allocation.commands';
import { freePlaces, heldPlaces, offerWindowMs, placesOn } from './allocation.decider';

class DayRequestParam extends createZodDto(z.strictObject({ activityId: pathId, date: isoDate(), requestId: pathId })) {}
class RefuseReservationBody extends createZodDto(z.strictObject({ reason: singleLineText(500, 'Motif du refus') })) {}

/** Staff: the day list of an activity (places taken, waiting list) and the decisions on pending requests. */
@ApiTags('Planning (agents)')
@ApiBearerAuth()
@Controller('activities/:activityId/days/:date')
export class ActivityDaysController {
  constructor(
    private readonly commands: Commands,
    private readonly reader: StreamReader,
    private readonly days: ActivityDaysInScope,
  ) {}

  @Get()
  @Roles('staff', 'admin', 'auditor')
  @ApiOperation({ summary: "Liste du jour d'une activité : places, réservations, demandes à valider, propositions, liste d'attente" })
  async day(@Param() p: DayParam, @Req() rq: AuthenticatedRequest) {
    const { activity } = await this.days.inScope(rq, p.activityId);
    const day = { activityId: p.activityId, date: p.date };
    const { state } = await this.reader.state(allocationCommands, day);
    const { state: attendance } = await this.reader.state(attendanceCommands, day);
    const who = (requestId: string) => {
      const r = state.requests[requestId];
      return { requestId, familyId: r.familyId, childId: r.childId, position: r.position, validation: r.validation };
    };
    return {
      activityId: p.activityId,
      activityName: activity.name,
      attendance: Object.entries(attendance.byChild).map(([k, status]) => {
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

  @Post('requests/:requestId/accept')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Valider une réservation en attente de validation' })
  async accept(@Param() p: DayRequestParam, @Body() _b: EmptyBody, @Req() rq: AuthenticatedRequest) {
    await this.days.inScope(rq, p.activityId);
    await this.commands.send(
      allocationCommands,
      { activityId: p.activityId, date: p.date },
      { type: 'AcceptByStaff', requestId: p.requestId },
      commandContext(rq),
    );
    return { requestId: p.requestId, status: 'accepted' };
  }

  @Post('requests/:requestId/refuse')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Refuser une réservation, avec un motif communiqué à la famille (la place va à la suivante)' })
  async refuse(@Param() p: DayRequestParam, @Body() body: RefuseReservationBody, @Req() rq: AuthenticatedRequest) {
    await this.days.inScope(rq, p.activityId);
    await this.commands.send(
      allocationCommands,
      { activityId: p.activityId, date: p.date },
      { type: 'RefuseByStaff', requestId: p.requestId, reason: body.reason, offerWindowMs: offerWindowMs() },
      commandContext(rq),
    );
    return { requestId: p.requestId, status: 'refused' };
  }
}
