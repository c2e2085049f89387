import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { accountsOfFamily } from '../../../../projections/accounts/accounts.queries';
import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import { patternText } from '../../../platform/domain/text';
import { AuthenticatedRequest, commandContext, EmptyBody } from '../../../platform/http/command-http';
import { FamilyIdParam } from '../../../platform/http/command-http';
import { ReadModels } from '../../../platform/projections/read-models';
import { createFamilyAccountBodySchema, createStaffAccountBodySchema, disableAccountBodySchema } from '../identity.schemas';
import { CreateAccount } from './create-account';
import { DisableAccount } from './disable-account';
import { EnableAccount } from './enable-account';
import { ResendActivation } from './resend-activation';

class CreateFamilyAccountBody extends createZodDto(createFamilyAccountBodySchema) {}
class CreateStaffAccountBody extends createZodDto(createStaffAccountBodySchema) {}
class DisableAccountBody extends createZodDto(disableAccountBodySchema) {}
class AccountIdParam extends createZodDto(z.strictObject({ accountId: patternText(/^[A-Za-z0-9._@-]{3,64}$/, 'Identifiant invalide.') })) {}

/** Accounts: family logins created by staff (activation by e-mail), staff accounts by administrators. */
@ApiTags('Comptes')
@ApiBearerAuth()
@Controller()
export class AccountsController {
  constructor(
    private readonly createAccount: CreateAccount,
    private readonly resend: ResendActivation,
    private readonly disableAccount: DisableAccount,
    private readonly enableAccount: EnableAccount,
    private readonly access: FamilyAccessPolicy,
    private readonly readModels: ReadModels,
  ) {}

  @Post('families/:familyId/accounts')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: "Créer l'identifiant d'un adulte de la famille ; il reçoit un lien d'activation par e-mail" })
  createFamilyAccount(@Param() p: FamilyIdParam, @Body() body: CreateFamilyAccountBody, @Req() rq: AuthenticatedRequest) {
    return this.createAccount.forFamily(rq.principal, p.familyId, body, commandContext(rq));
  }

  @Get('families/:familyId/accounts')
  @Roles('staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Les identifiants de la famille et leur état' })
  async familyAccounts(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    return { items: await accountsOfFamily(this.readModels, p.familyId) };
  }

  @Post('admin/accounts')
  @Roles('admin')
  @ApiOperation({ summary: 'Créer un compte agent, auditeur ou administrateur (lien d’activation par e-mail)' })
  createStaffAccount(@Body() body: CreateStaffAccountBody, @Req() rq: AuthenticatedRequest) {
    return this.createAccount.forStaff(body, commandContext(rq));
  }

  @Post('accounts/:accountId/activation')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: "Envoyer un nouveau lien d'activation (le précédent cesse de fonctionner)" })
  resendActivation(@Param() p: AccountIdParam, @Body() _body: EmptyBody, @Req() rq: AuthenticatedRequest) {
    return this.resend.execute(rq.principal, p.accountId, commandContext(rq));
  }

  @Post('accounts/:accountId/disable')
  @HttpCode(204)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Désactiver un compte : ses sessions sont closes' })
  async disable(@Param() p: AccountIdParam, @Body() body: DisableAccountBody, @Req() rq: AuthenticatedRequest): Promise<void> {
    await this.disableAccount.execute(rq.principal, p.accountId, body.reason, commandContext(rq));
  }

  @Post('accounts/:accountId/enable')
  @HttpCode(204)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Réactiver un compte' })
  async enable(@Param() p: AccountIdParam, @Body() _body: EmptyBody, @Req() rq: AuthenticatedRequest): Promise<void> {
    await this.enableAccount.execute(rq.principal, p.accountId, commandContext(rq));
  }
}
