import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { DomainError } from '../../../platform/domain/domain-error';
import { patternText } from '../../../platform/domain/text';
import { FILE_ID } from '../../../platform/files/file-store.port';
import { AuthenticatedRequest, type HttpResponse, pathId } from '../../../platform/http/command-http';
import { download } from '../../../platform/http/content-disposition';
import { InboxService } from '../inbox.service';

class AttachmentParams extends createZodDto(
  z.strictObject({ familyId: pathId, threadId: pathId, fileId: patternText(FILE_ID, 'Identifiant de fichier invalide.') }),
) {}

function attachmentNotFound(): DomainError {
  return new DomainError('ATTACHMENT_NOT_FOUND', 'Pièce jointe introuvable.', 'not_found');
}

/**
 * A conversation's attachment, for the family's parents and the staff of its commune only. Always a download
 * (Content-Disposition: attachment) with the type checked from the bytes when it was uploaded, and nosniff:
 * a browser never renders it in the portal's origin.
 */
@ApiTags('Boîte de réception')
@ApiBearerAuth()
@Controller('families/:familyId/inbox/threads/:threadId/attachments')
@Roles('parent', 'staff', 'admin')
export class AttachmentsController {
  constructor(private readonly inbox: InboxService) {}

  @Get(':fileId')
  @ApiOperation({ summary: 'Télécharger une pièce jointe (PDF, JPEG ou PNG)' })
  async download(@Param() p: AttachmentParams, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    const thread = await this.inbox.thread(rq.principal, p.familyId, p.threadId);
    const attachment = thread.attachments.find((a) => a.fileId === p.fileId);
    if (!attachment) throw attachmentNotFound();
    const opened = await this.inbox.files.open(p.fileId);
    if (!opened) throw attachmentNotFound();
    return download(rs, opened, attachment.filename, attachment.contentType);
  }
}
