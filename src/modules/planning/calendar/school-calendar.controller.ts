import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { forbidden } from '../../../platform/auth/auth.guard';
import { Commands } from '../../../platform/commands/stream-command';
import { singleLineText } from '../../../platform/domain/text';
import { AuthenticatedRequest, commandContext } from '../../../platform/http/command-http';
import { localDateSchema } from '../catalog/catalog.schemas';
import { PlanningFacts } from '../planning-facts';
import { calendarCommands } from './calendar.commands';
import { OFFICIAL_CALENDAR_SOURCE } from './official-school-calendar';

const name = singleLineText(100, 'Nom');
class AdjustmentBody extends createZodDto(
  z.strictObject({
    adjustment: z.discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('add-holiday'),
        holiday: z.strictObject({ name, kind: z.enum(['petites', 'grandes']), from: localDateSchema, to: localDateSchema }),
      }),
      z.strictObject({ type: z.literal('remove-holiday-days'), from: localDateSchema, to: localDateSchema }),
      z.strictObject({ type: z.literal('move-holiday'), name, currentFrom: localDateSchema, from: localDateSchema, to: localDateSchema }),
    ]),
  }),
) {}

/** The school calendar in force (official calendar of the zone, with the commune's adjustments). */
@ApiTags('Structures et activités')
@ApiBearerAuth()
@Controller('school-calendar')
export class SchoolCalendarController {
  constructor(
    private readonly facts: PlanningFacts,
    private readonly commands: Commands,
  ) {}

  @Get()
  @Roles('parent', 'staff', 'auditor', 'admin')
  @ApiOperation({ summary: 'Le calendrier scolaire en vigueur : années scolaires et vacances de la zone, avec la source officielle' })
  async calendar() {
    return { source: OFFICIAL_CALENDAR_SOURCE, ...(await this.facts.schoolCalendar()) };
  }

  @Post('adjustments')
  @Roles('staff', 'admin')
  @ApiOperation({
    summary:
      'Ajuster le calendrier (ajouter un pont, retirer ou déplacer des jours de vacances) : toutes les règles et tous les plannings en tiennent compte',
  })
  async adjust(@Body() body: AdjustmentBody, @Req() rq: AuthenticatedRequest) {
    // One calendar serves every commune of the portal: only agents of every commune, or admins, change it.
    if (rq.principal.role === 'staff' && !(rq.principal.scope ?? []).includes('*')) throw forbidden();
    const base = this.facts.officialCalendar();
    const result = await this.commands.send(
      calendarCommands,
      undefined,
      { type: 'AdjustCalendar', adjustment: body.adjustment, base },
      commandContext(rq),
    );
    return { revision: result.revision, calendar: await this.facts.schoolCalendar() };
  }
}
