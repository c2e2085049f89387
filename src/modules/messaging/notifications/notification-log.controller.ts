import { Controller, Get, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import { AuthenticatedRequest, FamilyIdParam } from '../../../platform/http/command-http';
import { NotificationLog } from './notification-log';

/** What was sent to a family, on which channel and how it went. */
@ApiTags('Notifications')
@ApiBearerAuth()
@Controller('families/:familyId/notifications')
@Roles('staff', 'admin', 'auditor')
export class NotificationLogController {
  constructor(
    private readonly log: NotificationLog,
    private readonly access: FamilyAccessPolicy,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Notifications envoyées à la famille : quoi, à qui, par quel canal, quand ; remise, échec ou non envoyée (et pourquoi)',
  })
  async list(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    return { items: await this.log.of(p.familyId) };
  }
}
