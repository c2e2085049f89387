import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../auth/auth.decorators';
import { OUTBOX, Outbox } from './mailer.port';

class OutboxQuery extends createZodDto(
  z.strictObject({ to: z.email().max(254).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }),
) {}

/**
 * The e-mails of the embedded runtime (and of a server without SMTP), newest first. Administrators only:
 * activation and reset links are in them.
 */
@ApiTags('Exploitation')
@ApiBearerAuth()
@Controller('admin/outbox')
export class OutboxController {
  constructor(@Inject(OUTBOX) private readonly outbox: Outbox) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: "Boîte d'envoi des e-mails (mode embarqué)" })
  async list(@Query() query: OutboxQuery) {
    return { items: await this.outbox.list({ to: query.to, limit: query.limit }) };
  }
}
