import { randomUUID } from 'node:crypto';

import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { accountStatementOf, homeAccountOf, statementOf } from '../../../../projections/account-statement/account-statement.queries';
import { invoiceById, unpaidInvoices } from '../../../../projections/invoices/invoices.queries';
import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import type { Clock } from '../../../platform/clock/clock';
import { Commands } from '../../../platform/commands/stream-command';
import { StreamReader } from '../../../platform/commands/stream-reader';
import { DomainError } from '../../../platform/domain/domain-error';
import {
  AuthenticatedRequest,
  commandContext,
  FamilyIdParam,
  type HttpResponse,
  pathId,
  setRevision,
  strip,
} from '../../../platform/http/command-http';
import { ReadModels } from '../../../platform/projections/read-models';
import { CLOCK } from '../../../platform/tokens';
import { parisDateOf } from '../../planning';
import { cancelPaymentSchema, creditNoteSchema, localDate, recordPaymentSchema, regieId, schoolYear } from '../billing.schemas';
import { formatEuros, schoolYearOfDate } from '../billing.types';
import { formatNumber, numberingCommands } from '../invoicing/numbering';
import { InvoicePdfService } from '../pdf/invoice-pdf.service';
import { regieCommands } from '../regies/regie.commands';
import { RegieAccess } from '../regies/regie-access';
import { accountCommands } from './account.commands';

class StatementQuery extends createZodDto(z.strictObject({ schoolYear: schoolYear.optional(), asOf: localDate.optional() })) {}
class AsOfQuery extends createZodDto(z.strictObject({ asOf: localDate.optional() })) {}
class RecordPaymentBody extends createZodDto(recordPaymentSchema) {}
class CancelPaymentBody extends createZodDto(cancelPaymentSchema) {}
class CreditNoteBody extends createZodDto(creditNoteSchema) {}
class PaymentParam extends createZodDto(z.strictObject({ familyId: pathId, paymentId: pathId })) {}
class InvoiceParam extends createZodDto(z.strictObject({ familyId: pathId, invoiceId: pathId })) {}
class UnpaidQuery extends createZodDto(z.strictObject({ regieId: regieId.optional() })) {}

/**
 * « Accueil » (balance and unpaid invoices at a date), « Relevé de compte » (Mes factures, Mes règlements,
 * Relevé des opérations per school year, at a date), and what staff record on a family's account.
 */
@ApiTags('Factures et règlements')
@ApiBearerAuth()
@Controller()
export class AccountController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly access: FamilyAccessPolicy,
    private readonly regies: RegieAccess,
    private readonly commands: Commands,
    private readonly reader: StreamReader,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly pdfs: InvoicePdfService,
  ) {}

  private today(): string {
    return parisDateOf(this.clock.now().toISOString());
  }

  @Get('families/:familyId/account')
  @Roles('parent', 'staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Accueil : le solde et les factures impayées à une date (?asOf=AAAA-MM-JJ, aujourd’hui par défaut)' })
  async home(@Param() p: FamilyIdParam, @Query() q: AsOfQuery, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const asOf = q.asOf ?? this.today();
    return homeAccountOf(await accountStatementOf(this.readModels, p.familyId), p.familyId, asOf);
  }

  @Get('families/:familyId/account/statement')
  @Roles('parent', 'staff', 'admin', 'auditor')
  @ApiOperation({
    summary: 'Relevé de compte d’une année scolaire (?schoolYear=2014-2015, ?asOf=AAAA-MM-JJ) : factures, règlements, opérations, soldes',
  })
  async statement(@Param() p: FamilyIdParam, @Query() q: StatementQuery, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const asOf = q.asOf ?? this.today();
    return statementOf(await accountStatementOf(this.readModels, p.familyId), p.familyId, q.schoolYear ?? schoolYearOfDate(asOf), asOf);
  }

  @Get('families/:familyId/invoices/:invoiceId')
  @Roles('parent', 'staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Une facture émise : lignes par enfant et activité, QF, impayé antérieur, total, reste à régler' })
  async invoice(@Param() p: InvoiceParam, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const invoice = await invoiceById(this.readModels, p.invoiceId);
    if (!invoice || invoice.familyId !== p.familyId) throw new DomainError('INVOICE_NOT_FOUND', 'Facture introuvable.', 'not_found');
    return { ...strip(invoice), total: formatEuros(invoice.totalCents), remaining: formatEuros(invoice.remainingCents) };
  }

  @Get('families/:familyId/invoices/:invoiceId/pdf')
  @Roles('parent', 'staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'La facture en PDF (rendue une fois à la première demande, puis conservée telle quelle)' })
  async pdf(@Param() p: InvoiceParam, @Req() rq: AuthenticatedRequest, @Res({ passthrough: true }) rs: HttpResponse) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const invoice = await invoiceById(this.readModels, p.invoiceId);
    if (!invoice || invoice.familyId !== p.familyId) throw new DomainError('INVOICE_NOT_FOUND', 'Facture introuvable.', 'not_found');
    const bytes = await this.pdfs.pdfOf(invoice, commandContext(rq));
    rs.header('Content-Type', 'application/pdf');
    rs.header('Content-Disposition', `inline; filename="facture-${invoice.number.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf"`);
    rs.header('Cache-Control', 'private, no-store');
    return bytes;
  }

  @Post('families/:familyId/payments')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Enregistrer un règlement au guichet : chèque (numéro, banque), espèces, virement, CESU, carte' })
  async recordPayment(
    @Param() p: FamilyIdParam,
    @Body() body: RecordPaymentBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const { state: regieState } = await this.reader.state(regieCommands, body.regieId);
    const regie = this.regies.reachable(rq.principal, regieState.regie);
    if (!regie.paymentMeans.includes(body.mean)) {
      throw new DomainError('PAYMENT_MEAN_NOT_ACCEPTED', `La ${regie.name} n’accepte pas ce moyen de paiement.`, 'invalid');
    }
    if (body.mean === 'cheque' && (!body.chequeNumber || !body.bank)) {
      throw new DomainError('CHEQUE_NUMBER_REQUIRED', 'Indiquez le numéro du chèque et sa banque.', 'invalid');
    }
    const context = commandContext(rq);
    // the payment's id: from the Idempotency-Key when given (a retried request records one payment), else new
    const paymentId = rq.idempotencyKey ? `pay-${rq.idempotencyKey}`.slice(0, 64).replace(/[^A-Za-z0-9_-]/g, '-') : `pay-${randomUUID()}`;
    const reserved = await this.commands.send(
      numberingCommands,
      { regieId: regie.regieId, kind: 'payment', year: Number(body.receivedOn.slice(0, 4)) },
      { type: 'ReserveNumbers', key: paymentId, count: 1 },
      { ...context, idempotencyKey: undefined },
    );
    const number = formatNumber(regie.prefix, 'payment', (reserved.answer as { first: number }).first);
    const result = await this.commands.send(
      accountCommands,
      p.familyId,
      {
        type: 'RecordPayment',
        paymentId,
        number,
        regieId: regie.regieId,
        regieName: regie.name,
        mean: body.mean,
        ...(body.chequeNumber || body.bank ? { reference: { chequeNumber: body.chequeNumber, bank: body.bank } } : {}),
        receivedOn: body.receivedOn,
        amountCents: body.amountCents,
        ...(body.allocateTo ? { allocateTo: body.allocateTo } : {}),
        source: { kind: 'desk' },
      },
      context,
    );
    setRevision(rs, result.revision);
    const recorded = result.events.find((e) => e.type === 'PaymentRecorded');
    return { paymentId, number, revision: result.revision, payment: recorded?.data ?? null };
  }

  @Post('families/:familyId/payments/:paymentId/cancel')
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Annuler un règlement par contre-passation (chèque rejeté) : jamais supprimé' })
  async cancelPayment(
    @Param() p: PaymentParam,
    @Body() body: CancelPaymentBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const result = await this.commands.send(
      accountCommands,
      p.familyId,
      { type: 'CancelPayment', paymentId: p.paymentId, reason: body.reason, cancelledOn: body.cancelledOn ?? this.today() },
      commandContext(rq),
    );
    setRevision(rs, result.revision);
    return { paymentId: p.paymentId, revision: result.revision, events: result.events.map((e) => e.type) };
  }

  @Post('families/:familyId/invoices/:invoiceId/credit-notes')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Émettre un avoir sur une facture (une facture émise ne se modifie jamais)' })
  async creditNote(
    @Param() p: InvoiceParam,
    @Body() body: CreditNoteBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const invoice = await invoiceById(this.readModels, p.invoiceId);
    if (!invoice || invoice.familyId !== p.familyId) throw new DomainError('INVOICE_NOT_FOUND', 'Facture introuvable.', 'not_found');
    const { state: regieState } = await this.reader.state(regieCommands, invoice.regieId);
    const regie = this.regies.reachable(rq.principal, regieState.regie);
    const context = commandContext(rq);
    const creditNoteId = rq.idempotencyKey ? `cn-${rq.idempotencyKey}`.slice(0, 64).replace(/[^A-Za-z0-9_-]/g, '-') : `cn-${randomUUID()}`;
    const today = this.today();
    // check before a number is taken (numbers have no gaps): the decider checks again against the stream
    if (body.amountCents > invoice.totalCents) {
      throw new DomainError(
        'CREDIT_NOTE_TOO_LARGE',
        `L'avoir (${formatEuros(body.amountCents)}) dépasse la facture ${invoice.number} (${formatEuros(invoice.totalCents)}).`,
        'invalid',
      );
    }
    const reserved = await this.commands.send(
      numberingCommands,
      { regieId: regie.regieId, kind: 'credit-note', year: Number(today.slice(0, 4)) },
      { type: 'ReserveNumbers', key: creditNoteId, count: 1 },
      { ...context, idempotencyKey: undefined },
    );
    const number = formatNumber(regie.prefix, 'credit-note', (reserved.answer as { first: number }).first);
    const result = await this.commands.send(
      accountCommands,
      p.familyId,
      {
        type: 'IssueCreditNote',
        creditNoteId,
        number,
        invoiceId: p.invoiceId,
        amountCents: body.amountCents,
        reason: body.reason,
        issuedOn: today,
      },
      context,
    );
    setRevision(rs, result.revision);
    return { creditNoteId, number, revision: result.revision, events: result.events.map((e) => e.type) };
  }

  @Get('billing/unpaid')
  @Roles('staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Les factures impayées par famille et par ancienneté (des régies de son périmètre)' })
  async unpaid(@Query() q: UnpaidQuery, @Req() rq: AuthenticatedRequest) {
    const today = this.today();
    const invoices = await unpaidInvoices(this.readModels, q.regieId ? [q.regieId] : undefined);
    const visible: typeof invoices = [];
    const regieCache = new Map<string, boolean>();
    for (const invoice of invoices) {
      if (!regieCache.has(invoice.regieId)) {
        const { state } = await this.reader.state(regieCommands, invoice.regieId);
        regieCache.set(invoice.regieId, this.regies.canReach(rq.principal, state.regie));
      }
      if (regieCache.get(invoice.regieId)) visible.push(invoice);
    }
    const ageDays = (due: string) => Math.max(0, Math.round((Date.parse(today) - Date.parse(due)) / 86_400_000));
    const byFamily = new Map<
      string,
      {
        familyId: string;
        totalCents: number;
        invoices: { invoiceId: string; number: string; regieId: string; dueOn: string; remainingCents: number; daysOverdue: number }[];
      }
    >();
    for (const i of visible) {
      const entry = byFamily.get(i.familyId) ?? { familyId: i.familyId, totalCents: 0, invoices: [] };
      entry.totalCents += i.remainingCents;
      entry.invoices.push({
        invoiceId: i.invoiceId,
        number: i.number,
        regieId: i.regieId,
        dueOn: i.dueOn,
        remainingCents: i.remainingCents,
        daysOverdue: ageDays(i.dueOn),
      });
      byFamily.set(i.familyId, entry);
    }
    const families = [...byFamily.values()].map((f) => ({ ...f, total: formatEuros(f.totalCents) }));
    return { asOf: today, families, totalCents: families.reduce((s, f) => s + f.totalCents, 0) };
  }
}
