import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { Commands } from '../../../platform/commands/stream-command';
import { StreamReader } from '../../../platform/commands/stream-reader';
import { AuthenticatedRequest, commandContext, type HttpResponse, pathId, setRevision } from '../../../platform/http/command-http';
import { defineRegieSchema, endTariffSchema, regieId, regieSettingsSchema, tariffSchema } from '../billing.schemas';
import { InvoicingJob } from '../invoicing/invoicing.job';
import { InvoicingService } from '../invoicing/invoicing.service';
import { regieCommands } from './regie.commands';
import { RegieAccess } from './regie-access';

class DefineRegieBody extends createZodDto(defineRegieSchema) {}
class RegieSettingsBody extends createZodDto(regieSettingsSchema) {}
class TariffBody extends createZodDto(tariffSchema) {}
class EndTariffBody extends createZodDto(endTariffSchema) {}
class RegieParam extends createZodDto(z.strictObject({ regieId })) {}
class TariffParam extends createZodDto(z.strictObject({ regieId, tariffId: pathId })) {}

/** Staff: the régies (billing units) and their tariffs. */
@ApiTags('Facturation (agents)')
@ApiBearerAuth()
@Controller('regies')
export class RegiesController {
  constructor(
    private readonly commands: Commands,
    private readonly reader: StreamReader,
    private readonly access: RegieAccess,
    private readonly invoicing: InvoicingService,
    private readonly job: InvoicingJob,
  ) {}

  @Post()
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Créer une régie : nom, préfixe de numérotation (AL), communes, moyens de paiement, échéance' })
  async define(@Body() body: DefineRegieBody, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    const { regieId: id, ...settings } = body;
    for (const commune of settings.communes) this.access.assertCommune(rq.principal, commune);
    const result = await this.commands.send(regieCommands, id, { type: 'DefineRegie', settings }, commandContext(rq));
    await this.job.scheduleFrom(id); // its monthly invoicing
    setRevision(rs, result.revision);
    return { regieId: id, revision: result.revision, events: result.events.map((e) => e.type) };
  }

  @Get(':regieId')
  @Roles('staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Une régie, ses tarifs et les activités qu’elle facture' })
  async read(@Param() p: RegieParam, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    const { state, revision } = await this.reader.state(regieCommands, p.regieId);
    const regie = this.access.reachable(rq.principal, state.regie);
    setRevision(rs, revision);
    const activities = (await this.invoicing.activitiesOf(p.regieId)).map((a) => ({ activityId: a.activityId, name: a.name }));
    return { regie, tariffs: Object.values(state.tariffs), activities };
  }

  @Put(':regieId')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Modifier une régie' })
  async change(
    @Param() p: RegieParam,
    @Body() body: RegieSettingsBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    const { state } = await this.reader.state(regieCommands, p.regieId);
    this.access.reachable(rq.principal, state.regie);
    for (const commune of body.communes) this.access.assertCommune(rq.principal, commune);
    const result = await this.commands.send(regieCommands, p.regieId, { type: 'ChangeRegie', settings: body }, commandContext(rq));
    setRevision(rs, result.revision);
    return { regieId: p.regieId, revision: result.revision, events: result.events.map((e) => e.type) };
  }

  @Post(':regieId/tariffs')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Ajouter un tarif : prix fixe, tranches de QF, taux d’effort, forfait ; réduction fratrie' })
  async defineTariff(
    @Param() p: RegieParam,
    @Body() body: TariffBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    const { state } = await this.reader.state(regieCommands, p.regieId);
    this.access.reachable(rq.principal, state.regie);
    const result = await this.commands.send(regieCommands, p.regieId, { type: 'DefineTariff', tariff: body }, commandContext(rq));
    setRevision(rs, result.revision);
    return { tariffId: body.tariffId, revision: result.revision, events: result.events.map((e) => e.type) };
  }

  @Post(':regieId/tariffs/:tariffId/end')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Terminer un tarif à une date (un tarif ne se modifie pas : un nouveau lui succède)' })
  async endTariff(
    @Param() p: TariffParam,
    @Body() body: EndTariffBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    const { state } = await this.reader.state(regieCommands, p.regieId);
    this.access.reachable(rq.principal, state.regie);
    const result = await this.commands.send(
      regieCommands,
      p.regieId,
      { type: 'EndTariff', tariffId: p.tariffId, validTo: body.validTo },
      commandContext(rq),
    );
    setRevision(rs, result.revision);
    return { tariffId: p.tariffId, revision: result.revision, events: result.events.map((e) => e.type) };
  }
}
