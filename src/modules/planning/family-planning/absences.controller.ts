import { randomUUID } from 'node:crypto';

import { Body, Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import type { Clock } from '../../../platform/clock/clock';
import { Commands } from '../../../platform/commands/stream-command';
import { DomainError } from '../../../platform/domain/domain-error';
import { AuthenticatedRequest, commandContext, FamilyIdParam, type HttpResponse, setRevision } from '../../../platform/http/command-http';
import { CLOCK } from '../../../platform/tokens';
import { PlanningFacts } from '../planning-facts';
import { familyPlanningCommands } from './family-planning.commands';
import { schoolYearFor } from './family-planning.decider';
import { declareAbsenceBodySchema } from './family-planning.schemas';
import { requireActivity, ReservationLookup } from './reservation-lookup';

class DeclareAbsenceBody extends createZodDto(declareAbsenceBodySchema) {}

/** « Déclarer une absence » : a day or a period, with an optional medical certificate. */
@ApiTags('Planning (Mes enfants)')
@ApiBearerAuth()
@Controller('families/:familyId/absences')
export class AbsencesController {
  constructor(
    private readonly commands: Commands,
    private readonly facts: PlanningFacts,
    private readonly lookup: ReservationLookup,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('parent', 'staff', 'admin')
  @ApiOperation({
    summary:
      'Déclarer une absence (un jour ou une période), avec un certificat médical éventuel : chaque jour est excusé ou facturé selon les règles',
  })
  async declare(
    @Param() p: FamilyIdParam,
    @Body() body: DeclareAbsenceBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    await this.lookup.assertChild(rq.principal, p.familyId, body.childId);
    const facts = await this.facts.forActivities(p.familyId, [body.activityId], [body.from]);
    const activity = requireActivity(facts.activities, body.activityId);
    const schoolYear = schoolYearFor(body.from, facts.calendar);
    if (body.to >= body.from && schoolYearFor(body.to, facts.calendar) !== schoolYear) {
      throw new DomainError(
        'PERIOD_SPANS_SCHOOL_YEARS',
        "Une absence se déclare dans une seule année scolaire : déclarez une période jusqu'à la fin de l'année, puis une autre à partir de la rentrée.",
        'invalid',
        { field: 'to' },
      );
    }
    const absenceId = randomUUID();
    const { certificate, ...rest } = body;
    const result = await this.commands.send(
      familyPlanningCommands,
      { familyId: p.familyId, schoolYear },
      {
        type: 'DeclareAbsence',
        absenceId,
        ...rest,
        // The instant the certificate reaches the portal is the server's, never the parent's word.
        ...(certificate ? { certificate: { reference: certificate.reference, providedAt: this.clock.now().toISOString() } } : {}),
        policy: activity.absencePolicy,
      },
      commandContext(rq),
    );
    setRevision(rs, result.revision);
    const declared = result.events.find((e) => e.type === 'AbsenceDeclared');
    return { absenceId, revision: result.revision, days: (declared?.data as { decisions?: unknown } | undefined)?.decisions ?? [] };
  }
}
