import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import { Commands } from '../../../platform/commands/stream-command';
import { StreamReader } from '../../../platform/commands/stream-reader';
import { DomainError } from '../../../platform/domain/domain-error';
import { AuthenticatedRequest, commandContext, FamilyIdParam, type HttpResponse, setRevision } from '../../../platform/http/command-http';
import { familyCommands } from '../../families';
import { PlanningFacts } from '../planning-facts';
import { familyPlanningCommands } from './family-planning.commands';
import { enrolChildBodySchema } from './family-planning.schemas';
import { requireActivity } from './reservation-lookup';

class EnrolChildBody extends createZodDto(enrolChildBodySchema) {}

/** Staff enrol a child in an activity for a school year (« inscription »), with an optional regular contract. */
@ApiTags('Planning (Mes enfants)')
@ApiBearerAuth()
@Controller('families/:familyId/enrolments')
export class EnrolmentsController {
  constructor(
    private readonly commands: Commands,
    private readonly facts: PlanningFacts,
    private readonly access: FamilyAccessPolicy,
    private readonly reader: StreamReader,
  ) {}

  @Post()
  @Roles('staff', 'admin')
  @ApiOperation({ summary: "Inscrire un enfant à une activité pour l'année scolaire, avec un contrat régulier éventuel" })
  async enrol(
    @Param() p: FamilyIdParam,
    @Body() body: EnrolChildBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const { activities, catalog } = await this.facts.forActivities(p.familyId, [body.activityId], []);
    const activity = requireActivity(activities, body.activityId);
    // Staff enrol only in the activities of their communes: another commune's activity is "not found".
    try {
      this.access.assertCanRegisterIn(rq.principal, catalog[body.activityId].facility.commune);
    } catch {
      throw new DomainError('ACTIVITY_NOT_FOUND', `L'activité « ${body.activityId} » n'existe pas.`, 'not_found');
    }
    // The family's own stream says who its children are (the read model may not show a child just added).
    const familyChildIds = await this.reader.read(
      familyCommands,
      p.familyId,
      (family) => family.record?.children.map((c) => c.childId) ?? [],
    );
    const result = await this.commands.send(
      familyPlanningCommands,
      { familyId: p.familyId, schoolYear: body.schoolYear },
      { type: 'EnrolChild', ...body, activity, familyChildIds },
      commandContext(rq),
    );
    setRevision(rs, result.revision);
    return { familyId: p.familyId, revision: result.revision };
  }
}
