import { Body, Controller, Get, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { patternText } from '../../../platform/domain/text';
import type { AuthenticatedRequest } from '../../../platform/http/command-http';
import { RetentionRules } from './retention';

class CommuneParam extends createZodDto(
  z.strictObject({ commune: patternText(/^[A-Z][A-Z' -]{0,79}$/, 'Commune invalide (en majuscules, ex. SAINT-JEAN).') }),
) {}
class RuleBody extends createZodDto(
  z.strictObject({
    eraseAfterInactiveMonths: z
      .number()
      .int()
      .min(1)
      .max(600)
      .describe("Mois sans activité d'une famille avant l'effacement de ses données"),
  }),
) {}

/** The communes' retention rules (GDPR), applied by a daily job. */
@ApiTags('RGPD')
@ApiBearerAuth()
@Controller('admin/retention-rules')
export class RetentionController {
  constructor(private readonly retention: RetentionRules) {}

  @Get()
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'Règles de conservation des données, par commune' })
  async list() {
    return { rules: await this.retention.rules() };
  }

  @Put(':commune')
  @Roles('admin')
  @ApiOperation({ summary: "Fixer la règle de conservation d'une commune (appliquée chaque nuit)" })
  async set(@Param() p: CommuneParam, @Body() body: RuleBody) {
    const rule = { commune: p.commune, eraseAfterInactiveMonths: body.eraseAfterInactiveMonths };
    await this.retention.setRule(rule);
    return rule;
  }

  @Post('apply')
  @Roles('admin')
  @ApiOperation({ summary: 'Appliquer les règles de conservation maintenant (sinon : chaque nuit)' })
  async apply(@Req() rq: AuthenticatedRequest) {
    return this.retention.apply(rq.id ?? 'retention-now');
  }
}
