import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { invoicesOfRun } from '../../../../projections/invoices/invoices.queries';
import { Roles } from '../../../platform/auth/auth.decorators';
import { AuthenticatedRequest, commandContext, strip } from '../../../platform/http/command-http';
import { ReadModels } from '../../../platform/projections/read-models';
import { monthId, regieId } from '../billing.schemas';
import { formatEuros } from '../billing.types';
import { RegieAccess } from '../regies/regie-access';
import { InvoicingService } from './invoicing.service';

class RunParam extends createZodDto(z.strictObject({ regieId, month: monthId })) {}

/** Staff: the monthly invoicing run of a régie — a draft to check, then the issue. Auditors read. */
@ApiTags('Facturation (agents)')
@ApiBearerAuth()
@Controller('regies/:regieId/invoicing/:month')
export class InvoicingController {
  constructor(
    private readonly invoicing: InvoicingService,
    private readonly access: RegieAccess,
    private readonly readModels: ReadModels,
  ) {}

  @Post('draft')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Préparer (ou préparer à nouveau) le brouillon de facturation du mois' })
  async draft(@Param() p: RunParam, @Req() rq: AuthenticatedRequest) {
    this.access.reachable(rq.principal, (await this.invoicing.regie(p.regieId).catch(() => ({ regie: null }))).regie);
    return this.present(await this.invoicing.prepareDraft(p.regieId, p.month, commandContext(rq)));
  }

  @Get()
  @Roles('staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Le lot de facturation du mois : brouillon ou factures émises, totaux' })
  async read(@Param() p: RunParam, @Req() rq: AuthenticatedRequest) {
    this.access.reachable(rq.principal, (await this.invoicing.regie(p.regieId).catch(() => ({ regie: null }))).regie);
    const run = await this.invoicing.run(p.regieId, p.month);
    const issued = run.status === 'issued' ? (await invoicesOfRun(this.readModels, run.runId)).map(strip) : [];
    return { ...this.present(run), issued };
  }

  @Post('issue')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Émettre les factures du brouillon : numéros continus par régie et par an, échéance' })
  async issue(@Param() p: RunParam, @Req() rq: AuthenticatedRequest) {
    this.access.reachable(rq.principal, (await this.invoicing.regie(p.regieId).catch(() => ({ regie: null }))).regie);
    const result = await this.invoicing.issue(p.regieId, p.month, commandContext(rq));
    return { ...this.present(result), numbers: result.numbers };
  }

  private present<R extends Awaited<ReturnType<InvoicingService['run']>>>(run: R) {
    const total = run.draft?.totalCents ?? 0;
    return {
      ...run,
      totals: {
        invoices: run.draft?.invoices.length ?? 0,
        totalCents: total,
        total: formatEuros(total),
        problems: run.draft?.problems.length ?? 0,
      },
    };
  }
}
