import { randomUUID } from 'node:crypto';

import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import { Commands } from '../../../platform/commands/stream-command';
import type { PayloadOf } from '../../../platform/domain/command-target';
import {
  AuthenticatedRequest,
  commandContext,
  EmptyBody,
  type HttpResponse,
  pathId,
  setRevision,
} from '../../../platform/http/command-http';
import { catalogCommands } from './catalog.commands';
import { changeActivityBodySchema, declareClosureBodySchema, defineActivityBodySchema, defineFacilityBodySchema } from './catalog.schemas';
import { CatalogLookup } from './catalog-lookup';

class DefineFacilityBody extends createZodDto(defineFacilityBodySchema) {}
class DefineActivityBody extends createZodDto(defineActivityBodySchema) {}
class ChangeActivityBody extends createZodDto(changeActivityBodySchema) {}
class DeclareClosureBody extends createZodDto(declareClosureBodySchema) {}
class FacilityParam extends createZodDto(z.strictObject({ facilityId: pathId })) {}
class ActivityParam extends createZodDto(z.strictObject({ facilityId: pathId, activityId: pathId })) {}
class ClosureParam extends createZodDto(z.strictObject({ facilityId: pathId, closureId: pathId })) {}

/** What staff set up: facilities, their activities (places, rules, windows) and closures. */
@ApiTags('Structures et activités')
@ApiBearerAuth()
@Controller('facilities')
export class CatalogController {
  constructor(
    private readonly commands: Commands,
    private readonly catalog: CatalogLookup,
    private readonly access: FamilyAccessPolicy,
  ) {}

  @Get()
  @Roles('parent', 'staff', 'auditor', 'admin')
  @ApiOperation({ summary: 'Les structures, leurs activités et les fermetures en vigueur' })
  async list() {
    return { items: (await this.catalog.all()).map(({ allClosures: _a, ...doc }) => doc) };
  }

  @Post()
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Créer une structure (accueil de loisirs, garderie périscolaire, restauration scolaire…)' })
  async defineFacility(@Body() body: DefineFacilityBody, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    this.access.assertCanRegisterIn(rq.principal, body.commune);
    return this.send(rq, rs, body.facilityId, { type: 'DefineFacility', name: body.name, commune: body.commune.toUpperCase() });
  }

  @Post(':facilityId/activities')
  @Roles('staff', 'admin')
  @ApiOperation({
    summary: 'Créer une activité : places, validation, délais de réservation et d’annulation, fenêtres d’ouverture, périodes',
  })
  async defineActivity(
    @Param() p: FacilityParam,
    @Body() body: DefineActivityBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    await this.assertFacilityInScope(rq, p.facilityId);
    const { activityId, ...config } = body;
    return this.send(rq, rs, p.facilityId, { type: 'DefineActivity', activityId, config });
  }

  @Put(':facilityId/activities/:activityId')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Changer la configuration complète d’une activité' })
  async changeActivity(
    @Param() p: ActivityParam,
    @Body() body: ChangeActivityBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    await this.assertFacilityInScope(rq, p.facilityId);
    return this.send(rq, rs, p.facilityId, { type: 'ChangeActivity', activityId: p.activityId, config: body });
  }

  @Post(':facilityId/closures')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Déclarer une fermeture (toute la structure ou une activité, une date ou une période)' })
  async declareClosure(
    @Param() p: FacilityParam,
    @Body() body: DeclareClosureBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    await this.assertFacilityInScope(rq, p.facilityId);
    const closureId = randomUUID();
    return { ...(await this.send(rq, rs, p.facilityId, { type: 'DeclareClosure', closureId, ...body })), closureId };
  }

  @Post(':facilityId/closures/:closureId/cancel')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Annuler une fermeture' })
  async cancelClosure(
    @Param() p: ClosureParam,
    @Body() _b: EmptyBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    await this.assertFacilityInScope(rq, p.facilityId);
    return this.send(rq, rs, p.facilityId, { type: 'CancelClosure', closureId: p.closureId });
  }

  /** Staff manage the facilities of their communes; an unknown facility is left to the decider (404). */
  private async assertFacilityInScope(rq: AuthenticatedRequest, facilityId: string): Promise<void> {
    const doc = await this.catalog.facility(facilityId);
    if (doc) this.access.assertCanRegisterIn(rq.principal, doc.commune);
  }

  private async send(rq: AuthenticatedRequest, rs: HttpResponse, facilityId: string, command: PayloadOf<typeof catalogCommands>) {
    const result = await this.commands.send(catalogCommands, facilityId, command, commandContext(rq));
    this.catalog.invalidate();
    setRevision(rs, result.revision);
    return { facilityId, revision: result.revision, events: result.events.map((e) => e.type) };
  }
}
