import { Controller, Get, Inject, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Public } from '../../../platform/auth/auth.decorators';
import { DomainError } from '../../../platform/domain/domain-error';
import { patternText } from '../../../platform/domain/text';
import { FILE_STORE, type FileStore } from '../../../platform/files/file-store.port';
import type { HttpResponse } from '../../../platform/http/command-http';
import { FamilyExport } from './family-export';

class DownloadParams extends createZodDto(
  z.strictObject({
    token: patternText(/^[0-9a-f]{32}$/, 'Lien de téléchargement invalide.'),
    format: z.enum(['json', 'html']),
  }),
) {}

const expired = () =>
  new DomainError('EXPORT_LINK_EXPIRED', 'Ce lien de téléchargement a expiré ou n’existe pas : demandez un nouvel export.', 'not_found');

/** The download link of a GDPR export: its random token is the credential, and it expires (family-export.ts). */
@ApiTags('RGPD')
@Controller('gdpr/downloads')
export class GdprDownloadController {
  constructor(
    private readonly exports: FamilyExport,
    @Inject(FILE_STORE) private readonly files: FileStore,
  ) {}

  @Get(':token/:format')
  @Public()
  @ApiOperation({ summary: "Téléchargement d'un export RGPD par son lien (valable 7 jours)" })
  async download(@Param() p: DownloadParams, @Res({ passthrough: true }) rs: HttpResponse): Promise<StreamableFile> {
    const found = await this.exports.byToken(p.token);
    if (!found?.files) throw expired();
    const opened = await this.files.open(found.files[p.format]);
    if (!opened) throw expired();
    rs.header('Cache-Control', 'no-store');
    rs.header('Referrer-Policy', 'no-referrer');
    return new StreamableFile(opened.stream, {
      type: opened.file.contentType,
      disposition: `attachment; filename="${opened.file.filename ?? `export.${p.format}`}"`,
      length: opened.file.size,
    });
  }
}
