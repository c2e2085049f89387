import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { opaqueText, patternText } from '../../../platform/domain/text';
import { AuthenticatedRequest, commandContext } from '../../../platform/http/command-http';
import { LedgerImportService } from './ledger-import.service';

class LedgerImportBody extends createZodDto(
  z.strictObject({
    file: patternText(/^[A-Za-z0-9._-]{1,100}$/, 'Nom de fichier invalide.'),
    content: opaqueText(900_000, 'Contenu du fichier CSV'),
  }),
) {}

/** Admin: the history of the previous software (invoices, payments, opening balances), all or nothing. */
@ApiTags('Facturation (agents)')
@ApiBearerAuth()
@Controller('billing/imports')
export class LedgerImportController {
  constructor(private readonly ledger: LedgerImportService) {}

  @Post()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Reprendre l’historique (CSV « type;famille;regie;numero;… ») : tout ou rien, erreurs par ligne' })
  import(@Body() body: LedgerImportBody, @Req() rq: AuthenticatedRequest) {
    return this.ledger.import(body.file, body.content, commandContext(rq));
  }
}
