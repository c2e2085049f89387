import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Roles } from '../../platform/auth/auth.decorators';
import { FamilyAccessPolicy } from '../../platform/auth/family-access';
import type { EventStore } from '../../platform/event-store/event-store.port';
import type { AuthenticatedRequest } from '../../platform/http/command-http';
import { FamilyIdParam } from '../../platform/http/command-http';
import { EVENT_STORE } from '../../platform/tokens';
import { accessLogStream } from './audit.events';

@ApiTags('Audit')
@ApiBearerAuth()
@Controller('families/:familyId/access-log')
export class AccessLogController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly access: FamilyAccessPolicy,
  ) {}

  @Get()
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Qui a consulté les données sanitaires ou bancaires de la famille, et quand' })
  async list(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const stored = await this.events.readStream(accessLogStream(p.familyId), { direction: 'backwards', maxCount: 1000 });
    return { familyId: p.familyId, reads: stored.map((e) => e.data) };
  }
}
