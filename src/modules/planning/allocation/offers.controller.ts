import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Roles } from '../../../platform/auth/auth.decorators';
import { Commands } from '../../../platform/commands/stream-command';
import { AuthenticatedRequest, commandContext, EmptyBody } from '../../../platform/http/command-http';
import { ReservationLookup } from '../family-planning/reservation-lookup';
import { ReservationParam } from '../family-planning/reservations.controller';
import { allocationCommands } from './allocation.commands';
import { offerWindowMs } from './allocation.decider';

/** A family answers a freed place offered from the waiting list (on the activity-day's allocation stream). */
@ApiTags('Planning (Mes enfants)')
@ApiBearerAuth()
@Controller('families/:familyId/reservations/:requestId/offer')
export class OffersController {
  constructor(
    private readonly commands: Commands,
    private readonly lookup: ReservationLookup,
  ) {}

  @Post('accept')
  @HttpCode(200)
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: 'Accepter la place libérée proposée (avant la fin du délai de réponse)' })
  async accept(@Param() p: ReservationParam, @Body() _b: EmptyBody, @Req() rq: AuthenticatedRequest) {
    const { activityId, date } = await this.lookup.reservation(rq.principal, p.familyId, p.requestId);
    await this.commands.send(
      allocationCommands,
      { activityId, date },
      { type: 'AcceptOffer', requestId: p.requestId, familyId: p.familyId },
      commandContext(rq),
    );
    return { requestId: p.requestId, status: 'accepted' };
  }

  @Post('decline')
  @HttpCode(200)
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({ summary: 'Refuser la place proposée (elle va à la famille suivante)' })
  async decline(@Param() p: ReservationParam, @Body() _b: EmptyBody, @Req() rq: AuthenticatedRequest) {
    const { activityId, date } = await this.lookup.reservation(rq.principal, p.familyId, p.requestId);
    await this.commands.send(
      allocationCommands,
      { activityId, date },
      { type: 'DeclineOffer', requestId: p.requestId, familyId: p.familyId, offerWindowMs: offerWindowMs() },
      commandContext(rq),
    );
    return { requestId: p.requestId, status: 'declined' };
  }
}
