import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { familyFolder, familyUnread } from '../../../../projections/message-threads/message-threads.queries';
import { messagesOfThread, searchFamilyMessages } from '../../../../projections/thread-messages/thread-messages.queries';
import { Roles } from '../../../platform/auth/auth.decorators';
import type { Clock } from '../../../platform/clock/clock';
import {
  AuthenticatedRequest,
  EmptyBody,
  FamilyIdParam,
  type HttpResponse,
  pathId,
  setRevision,
} from '../../../platform/http/command-http';
import { AcceptsUploads } from '../../../platform/http/multipart-upload';
import { CLOCK } from '../../../platform/tokens';
import { InboxService } from '../inbox.service';
import { folderQuerySchema, postMessageBodySchema, searchQuerySchema, startThreadBodySchema } from '../messaging.schemas';
import { threadCommands } from './thread.commands';
import { RESTORE_WINDOW_DAYS } from './thread.decider';

class ThreadParams extends createZodDto(z.strictObject({ familyId: pathId, threadId: pathId })) {}
class FolderQuery extends createZodDto(folderQuerySchema) {}
class SearchQuery extends createZodDto(searchQuerySchema) {}
/** For the OpenAPI document only: the handlers read JSON or multipart themselves. */
class StartThreadBody extends createZodDto(startThreadBodySchema) {}
class PostMessageBody extends createZodDto(postMessageBodySchema) {}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * « Boîte de réception » of a family: its conversations with the facilities and the commune's family
 * service, seen by the family's parents and by the staff of its commune. Each side has its own read/unread
 * marks and its own deleted folder.
 */
@ApiTags('Boîte de réception')
@ApiBearerAuth()
@Controller('families/:familyId/inbox')
@Roles('parent', 'staff', 'admin')
export class ThreadsController {
  constructor(
    private readonly inbox: InboxService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Un dossier de la boîte de réception : reçus, envoyés (avec leurs réponses), supprimés (30 jours)' })
  async folder(@Param() p: FamilyIdParam, @Query() q: FolderQuery, @Req() rq: AuthenticatedRequest) {
    await this.inbox.access.assertCanReach(rq.principal, p.familyId);
    const deletedSince = new Date(this.clock.now().getTime() - RESTORE_WINDOW_DAYS * DAY_MS).toISOString();
    const page = await familyFolder(this.inbox.readModels, p.familyId, q.folder, { deletedSince, limit: q.limit, cursor: q.cursor });
    return { folder: q.folder, items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  @Get('unread')
  @ApiOperation({ summary: '« Vous avez N nouveau(x) message(s) » : les messages non lus de la famille' })
  async unread(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest) {
    await this.inbox.access.assertCanReach(rq.principal, p.familyId);
    const { messages, threads } = await familyUnread(this.inbox.readModels, p.familyId);
    return { messages, threads, text: `Vous avez ${messages} nouveau(x) message(s)` };
  }

  @Get('search')
  @ApiOperation({ summary: 'Rechercher dans les messages par mots et par dates' })
  async search(@Param() p: FamilyIdParam, @Query() q: SearchQuery, @Req() rq: AuthenticatedRequest) {
    await this.inbox.access.assertCanReach(rq.principal, p.familyId);
    const messages = await searchFamilyMessages(this.inbox.readModels, {
      familyId: p.familyId,
      words: q.q.split(/\s+/).filter(Boolean),
      ...(q.from ? { from: `${q.from}T00:00:00.000Z` } : {}),
      ...(q.to ? { to: `${q.to}T23:59:59.999Z` } : {}),
    });
    return { items: messages };
  }

  @Post('threads')
  @AcceptsUploads()
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiOperation({
    summary:
      'Écrire à une structure de la commune (ou au service famille) : objet, message, jusqu’à 5 pièces jointes PDF, JPEG ou PNG de 5 Mo (champ « attachments »)',
  })
  @ApiBody({ type: StartThreadBody })
  async start(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    const commune = await this.inbox.familyCommune(rq.principal, p.familyId);
    const side = this.inbox.sideOf(rq.principal);
    const threadId = this.inbox.newId();
    return this.inbox.withMessage(
      rq,
      startThreadBodySchema,
      { familyId: p.familyId, kind: 'attachment', threadId },
      async (body, attachments) => {
        const to =
          side === 'family'
            ? await this.inbox.recipient(commune, body.facilityId)
            : await this.staffRecipient(rq, commune, body.facilityId);
        const result = await this.inbox.commands.send(
          threadCommands,
          { familyId: p.familyId, threadId },
          {
            type: 'StartThread',
            side,
            ...to,
            topic: body.topic,
            subject: body.subject,
            messageId: this.inbox.newId(),
            body: body.body,
            authorName: this.inbox.authorName(rq.principal),
            attachments,
          },
          this.inbox.context(rq),
        );
        setRevision(rs, result.revision);
        return { threadId, revision: result.revision, attachments, events: result.events.map((e) => e.type) };
      },
    );
  }

  @Get('threads/:threadId')
  @ApiOperation({ summary: 'Une conversation et ses messages (le texte est rendu tel qu’écrit : à échapper à l’affichage)' })
  async read(@Param() p: ThreadParams, @Req() rq: AuthenticatedRequest) {
    const thread = await this.inbox.thread(rq.principal, p.familyId, p.threadId);
    const messages = await messagesOfThread(this.inbox.readModels, p.threadId);
    return { ...thread, messages };
  }

  @Post('threads/:threadId/messages')
  @AcceptsUploads()
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiOperation({ summary: 'Répondre dans une conversation (pièces jointes possibles, champ « attachments »)' })
  @ApiBody({ type: PostMessageBody })
  async reply(@Param() p: ThreadParams, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    await this.inbox.thread(rq.principal, p.familyId, p.threadId);
    const messageId = this.inbox.newId();
    return this.inbox.withMessage(
      rq,
      postMessageBodySchema,
      { familyId: p.familyId, kind: 'attachment', threadId: p.threadId },
      async (body, attachments) => {
        const result = await this.inbox.commands.send(
          threadCommands,
          { familyId: p.familyId, threadId: p.threadId },
          {
            type: 'PostMessage',
            side: this.inbox.sideOf(rq.principal),
            messageId,
            body: body.body,
            authorName: this.inbox.authorName(rq.principal),
            attachments,
          },
          this.inbox.context(rq),
        );
        setRevision(rs, result.revision);
        return { threadId: p.threadId, messageId, revision: result.revision, attachments };
      },
    );
  }

  @Post('threads/:threadId/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Marquer la conversation comme lue (pour son propre côté)' })
  markRead(@Param() p: ThreadParams, @Body() _b: EmptyBody, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    return this.mark(rq, rs, p, 'MarkThreadRead');
  }

  @Post('threads/:threadId/unread')
  @HttpCode(200)
  @ApiOperation({ summary: 'Marquer la conversation comme non lue' })
  markUnread(
    @Param() p: ThreadParams,
    @Body() _b: EmptyBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    return this.mark(rq, rs, p, 'MarkThreadUnread');
  }

  @Post('threads/:threadId/delete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mettre la conversation dans les messages supprimés (restaurable 30 jours)' })
  remove(@Param() p: ThreadParams, @Body() _b: EmptyBody, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    return this.mark(rq, rs, p, 'DeleteThread');
  }

  @Post('threads/:threadId/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restaurer une conversation supprimée depuis moins de 30 jours' })
  restore(@Param() p: ThreadParams, @Body() _b: EmptyBody, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    return this.mark(rq, rs, p, 'RestoreThread');
  }

  private async mark(
    rq: AuthenticatedRequest,
    rs: HttpResponse,
    p: ThreadParams,
    type: 'MarkThreadRead' | 'MarkThreadUnread' | 'DeleteThread' | 'RestoreThread',
  ) {
    await this.inbox.thread(rq.principal, p.familyId, p.threadId);
    const result = await this.inbox.commands.send(
      threadCommands,
      { familyId: p.familyId, threadId: p.threadId },
      { type, side: this.inbox.sideOf(rq.principal) },
      this.inbox.context(rq),
    );
    setRevision(rs, result.revision);
    return { threadId: p.threadId, revision: result.revision, events: result.events.map((e) => e.type) };
  }

  /** Staff write from a facility of their scope (or the family's commune service). */
  private async staffRecipient(rq: AuthenticatedRequest, commune: string, facilityId: string | undefined) {
    if (!facilityId) return this.inbox.recipient(commune, undefined);
    return this.inbox.staffFacility(rq.principal, facilityId);
  }
}
