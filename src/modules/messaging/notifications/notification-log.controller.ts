import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import type { Clock } from '../../../platform/clock/clock';
import { StreamReader } from '../../../platform/commands/stream-reader';
import { AuthenticatedRequest, FamilyIdParam } from '../../../platform/http/command-http';
import { CLOCK } from '../../../platform/tokens';
import { notificationLogCommands } from './notification-log.commands';
import type { NotificationLogEntry } from './notification-log.decider';

/** What was sent to a family, on which channel and how it went: this year's and last year's log. */
@ApiTags('Notifications')
@ApiBearerAuth()
@Controller('families/:familyId/notifications')
@Roles('staff', 'admin', 'auditor')
export class NotificationLogController {
  constructor(
    private readonly reader: StreamReader,
    private readonly access: FamilyAccessPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Notifications envoyées à la famille : quoi, par quel canal, quand, remise, échec ou non envoyée (sans consentement)',
  })
  async list(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const year = this.clock.now().getUTCFullYear();
    const items: NotificationLogEntry[] = [];
    for (const y of [year, year - 1]) {
      items.push(
        ...(await this.reader.read(notificationLogCommands, { familyId: p.familyId, year: String(y) }, (state) =>
          Object.values(state.entries).map((e) => ({ ...e })),
        )),
      );
    }
    return { items: items.sort((a, b) => b.at.localeCompare(a.at)) };
  }
}
