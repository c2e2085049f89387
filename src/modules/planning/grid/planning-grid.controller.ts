import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { familyRecordOf } from '../../../../projections/family-record/family-record.queries';
import { childMonth } from '../../../../projections/planning-grid/planning-grid.queries';
import { monthOf } from '../../../../projections/planning-grid/planning-grid.types';
import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy, familyNotFound } from '../../../platform/auth/family-access';
import type { Clock } from '../../../platform/clock/clock';
import { DomainError } from '../../../platform/domain/domain-error';
import { bodyId, patternText } from '../../../platform/domain/text';
import { AuthenticatedRequest, FamilyIdParam, pathId } from '../../../platform/http/command-http';
import { ReadModels } from '../../../platform/projections/read-models';
import { CLOCK } from '../../../platform/tokens';
import { parisDateOf } from '../calendar/local-date';
import { PlanningFacts } from '../planning-facts';
import { buildFamilyView, buildGridView } from './planning-grid.view';

const month = patternText(/^\d{4}-(0[1-9]|1[0-2])$/, 'Mois invalide : format attendu AAAA-MM.')
  .optional()
  .describe('Mois affiché (AAAA-MM), le mois courant par défaut');
class MonthQuery extends createZodDto(z.strictObject({ month })) {}
class ChildParam extends createZodDto(z.strictObject({ familyId: pathId, childId: bodyId("Identifiant de l'enfant") })) {}

/**
 * « Mes enfants » → Agenda: one month for one child, or for the whole family. The read model holds what
 * the events say (requests, places, absences, attendance); the calendar (F, P, G, closures) and what the
 * parent may do now, and until when, are laid over it at read time, so a closure or a holiday change
 * reaches every grid at once.
 */
@ApiTags('Planning (Mes enfants)')
@ApiBearerAuth()
@Controller('families/:familyId')
export class PlanningGridController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly facts: PlanningFacts,
    private readonly access: FamilyAccessPolicy,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('children/:childId/planning')
  @Roles('parent', 'staff', 'admin', 'auditor')
  @ApiOperation({
    summary:
      "Planning d'un enfant pour un mois : une ligne par activité, une colonne par jour, l'état de chaque case et ce qu'on peut y faire",
  })
  async child(@Param() p: ChildParam, @Query() q: MonthQuery, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    this.access.assertCanReachChild(rq.principal, p.childId);
    const children = await this.children(p.familyId);
    if (!children.some((c) => c.childId === p.childId)) {
      throw new DomainError('CHILD_NOT_FOUND', 'Enfant introuvable dans cette famille.', 'not_found');
    }
    return this.view(p.familyId, p.childId, q.month ?? this.thisMonth());
  }

  @Get('planning')
  @Roles('parent', 'staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Planning de la famille pour un mois : tous les enfants' })
  async family(@Param() p: FamilyIdParam, @Query() q: MonthQuery, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const shown = this.access.visibleChildren(rq.principal, await this.children(p.familyId));
    const monthId = q.month ?? this.thisMonth();
    const views = await Promise.all(shown.map(async (c) => ({ view: await this.view(p.familyId, c.childId, monthId), name: c.firstName })));
    return buildFamilyView({ familyId: p.familyId, month: monthId, children: views });
  }

  private thisMonth(): string {
    return monthOf(parisDateOf(this.clock.now().toISOString()));
  }

  private async children(familyId: string): Promise<{ childId: string; firstName: string }[]> {
    const family = await familyRecordOf(this.readModels, familyId);
    if (!family) throw familyNotFound();
    return family.children ?? [];
  }

  private async view(familyId: string, childId: string, monthId: string) {
    const document = await childMonth(this.readModels, familyId, childId, monthId);
    const activityIds = Object.keys(document?.rows ?? {});
    const facts = await this.facts.forActivities(familyId, activityIds, [`${monthId}-15`]);
    return buildGridView({
      familyId,
      childId,
      document,
      month: monthId,
      calendar: facts.calendar,
      publicHolidays: facts.publicHolidays,
      activities: facts.catalog,
      familyCategory: facts.familyCategory,
      now: this.clock.now().toISOString(),
    });
  }
}
