import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { familiesEnrolledIn } from '../../../../projections/activity-members/activity-members.queries';
import { allFacilities } from '../../../../projections/catalog/catalog.queries';
import { queueKeyOf } from '../../../../projections/message-threads/message-threads.projection';
import { staffQueue, staffQueueCount } from '../../../../projections/message-threads/message-threads.queries';
import { Roles } from '../../../platform/auth/auth.decorators';
import { scopeFilter } from '../../../platform/auth/family-access';
import { DomainError } from '../../../platform/domain/domain-error';
import { patternText } from '../../../platform/domain/text';
import { AuthenticatedRequest, type HttpResponse, pathId, setRevision } from '../../../platform/http/command-http';
import { AcceptsUploads } from '../../../platform/http/multipart-upload';
import { InboxService } from '../inbox.service';
import { COMMUNE_SERVICE, COMMUNE_SERVICE_NAME } from '../messaging.events';
import { broadcastBodySchema, queueQuerySchema } from '../messaging.schemas';
import { broadcastCommands } from './broadcast.commands';

class FacilityParam extends createZodDto(z.strictObject({ facilityId: pathId })) {}
class QueueQuery extends createZodDto(
  queueQuerySchema.extend({ commune: patternText(/^[A-Za-z' -]{1,60}$/, 'Commune invalide.').optional() }),
) {}
class BroadcastBody extends createZodDto(broadcastBodySchema) {}

/**
 * Staff side of the inbox: the queues of conversations waiting for an answer (per facility and per
 * commune family service, oldest first, with counts), and broadcasts to the families of an activity or a
 * facility (each family gets its own conversation).
 */
@ApiTags('Boîte de réception (agents)')
@ApiBearerAuth()
@Roles('staff', 'admin')
@Controller()
export class StaffInboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get('staff/inbox/queues')
  @ApiOperation({ summary: 'Conversations en attente de réponse, par structure de votre périmètre : nombre et plus ancienne' })
  async queues(@Req() rq: AuthenticatedRequest) {
    const communes = scopeFilter(rq.principal);
    const facilities = (await allFacilities(this.inbox.readModels)).filter((d) => !communes || communes.includes(d.commune.toUpperCase()));
    const queues = [
      ...[...new Set(facilities.map((d) => d.commune))].map((commune) => ({
        commune,
        facilityId: COMMUNE_SERVICE,
        facilityName: COMMUNE_SERVICE_NAME,
      })),
      ...facilities.map((d) => ({ commune: d.commune, facilityId: d.facility.facilityId, facilityName: d.facility.name })),
    ];
    const items = await Promise.all(
      queues.map(async (q) => {
        const key = queueKeyOf(q.commune, q.facilityId);
        const [waiting, oldest] = await Promise.all([
          staffQueueCount(this.inbox.readModels, key),
          staffQueue(this.inbox.readModels, key, { limit: 1 }),
        ]);
        return { ...q, waiting, oldestWaitingSince: oldest.items[0]?.awaitingSince ?? null };
      }),
    );
    return { items, total: items.reduce((n, q) => n + q.waiting, 0) };
  }

  @Get('facilities/:facilityId/inbox/queue')
  @ApiOperation({
    summary:
      'File des conversations d’une structure en attente de réponse, la plus ancienne d’abord (service famille : « service-famille » et ?commune=)',
  })
  async queue(@Param() p: FacilityParam, @Query() q: QueueQuery, @Req() rq: AuthenticatedRequest) {
    let commune: string;
    if (p.facilityId === COMMUNE_SERVICE) {
      commune = (q.commune ?? rq.principal.scope?.find((s) => s !== '*') ?? '').toUpperCase();
      if (!commune || !this.inbox.covers(rq.principal, commune)) {
        throw new DomainError('FACILITY_NOT_FOUND', `La structure « ${p.facilityId} » n'existe pas.`, 'not_found');
      }
    } else {
      commune = (await this.inbox.staffFacility(rq.principal, p.facilityId)).commune;
    }
    const key = queueKeyOf(commune, p.facilityId);
    const [page, waiting] = await Promise.all([
      staffQueue(this.inbox.readModels, key, { limit: q.limit, cursor: q.cursor }),
      staffQueueCount(this.inbox.readModels, key),
    ]);
    return { facilityId: p.facilityId, commune, waiting, items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  @Post('facilities/:facilityId/broadcasts')
  @AcceptsUploads()
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: BroadcastBody })
  @ApiOperation({ summary: 'Écrire aux familles d’une activité (activityId) ou de toute la structure : une conversation par famille' })
  async broadcast(@Param() p: FacilityParam, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    const facility = await this.inbox.staffFacility(rq.principal, p.facilityId);
    const catalog = (await allFacilities(this.inbox.readModels)).find((d) => d.facility.facilityId === p.facilityId);
    const broadcastId = this.inbox.newId();
    return this.inbox.withMessage(rq, broadcastBodySchema, { kind: 'broadcast', broadcastId }, async (body, attachments) => {
      const activityIds = body.activityId ? [body.activityId] : (catalog?.activityIds ?? []);
      if (body.activityId && !catalog?.activityIds.includes(body.activityId)) {
        throw new DomainError('ACTIVITY_NOT_FOUND', `L'activité « ${body.activityId} » n'existe pas dans cette structure.`, 'not_found');
      }
      const recipients = await familiesEnrolledIn(this.inbox.readModels, activityIds);
      const result = await this.inbox.commands.send(
        broadcastCommands,
        broadcastId,
        {
          type: 'SendBroadcast',
          broadcastId,
          ...facility,
          ...(body.activityId ? { activityId: body.activityId } : {}),
          topic: body.topic,
          subject: body.subject,
          body: body.body,
          authorName: this.inbox.authorName(rq.principal),
          attachments,
          recipients,
        },
        this.inbox.context(rq),
      );
      setRevision(rs, result.revision);
      return { broadcastId, recipients: recipients.length, attachments };
    });
  }
}
