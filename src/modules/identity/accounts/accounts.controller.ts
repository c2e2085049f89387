import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import type { DocumentStore } from '../../../platform/document-store/document-store.port';
import { AuthenticatedRequest, commandContext, EmptyBody } from '../../../platform/http/command-http';
import { strip } from '../../../platform/http/command-http';
import { ProjectionRunner } from '../../../platform/projections/projection-runner';
import { DOCUMENT_STORE } from '../../../platform/tokens';
import { FamilyIdParam } from '../../families/family-commands/family-id.param';
import { createFamilyAccountBodySchema, createStaffAccountBodySchema, disableAccountBodySchema } from '../identity.schemas';
import { IdentityService } from '../identity.service';

class CreateFamilyAccountBody extends createZodDto(createFamilyAccountBodySchema) {}
class CreateStaffAccountBody extends createZodDto(createStaffAccountBodySchema) {}
class DisableAccountBody extends createZodDto(disableAccountBodySchema) {}
class AccountIdParam extends createZodDto(
  z.strictObject({ accountId: z.string().regex(/^[A-Za-z0-9._@-]{3,64}$/, 'Identifiant invalide.') }),
) {}

/** Accounts: family logins created by staff (activation by e-mail), staff accounts by administrators. */
@ApiTags('Comptes')
@ApiBearerAuth()
@Controller()
export class AccountsController {
  constructor(
    private readonly identity: IdentityService,
    private readonly access: FamilyAccessPolicy,
    private readonly projections: ProjectionRunner,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
  ) {}

  @Post('families/:familyId/accounts')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: "Créer l'identifiant d'un adulte de la famille ; il reçoit un lien d'activation par e-mail" })
  createFamilyAccount(@Param() p: FamilyIdParam, @Body() body: CreateFamilyAccountBody, @Req() rq: AuthenticatedRequest) {
    return this.identity.createFamilyAccount(rq.principal, p.familyId, body, commandContext(rq));
  }

  @Get('families/:familyId/accounts')
  @Roles('staff', 'admin', 'auditor')
  @ApiOperation({ summary: 'Les identifiants de la famille et leur état' })
  async familyAccounts(@Param() p: FamilyIdParam, @Req() rq: AuthenticatedRequest) {
    await this.access.assertCanReach(rq.principal, p.familyId);
    const page = await this.documents.find(await this.projections.collectionOf('accounts'), {
      where: { familyId: p.familyId },
      limit: 100,
    });
    return { items: page.items.map((d) => strip(d.data)) };
  }

  @Post('admin/accounts')
  @Roles('admin')
  @ApiOperation({ summary: 'Créer un compte agent, auditeur ou administrateur (lien d’activation par e-mail)' })
  createStaffAccount(@Body() body: CreateStaffAccountBody, @Req() rq: AuthenticatedRequest) {
    return this.identity.createStaffAccount(body, commandContext(rq));
  }

  @Post('accounts/:accountId/activation')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: "Envoyer un nouveau lien d'activation (le précédent cesse de fonctionner)" })
  resendActivation(@Param() p: AccountIdParam, @Body() _body: EmptyBody, @Req() rq: AuthenticatedRequest) {
    return this.identity.resendActivation(rq.principal, p.accountId, commandContext(rq));
  }

  @Post('accounts/:accountId/disable')
  @HttpCode(204)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Désactiver un compte : ses sessions sont closes' })
  async disable(@Param() p: AccountIdParam, @Body() body: DisableAccountBody, @Req() rq: AuthenticatedRequest): Promise<void> {
    await this.identity.disable(rq.principal, p.accountId, body.reason, commandContext(rq));
  }

  @Post('accounts/:accountId/enable')
  @HttpCode(204)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Réactiver un compte' })
  async enable(@Param() p: AccountIdParam, @Body() _body: EmptyBody, @Req() rq: AuthenticatedRequest): Promise<void> {
    await this.identity.enable(rq.principal, p.accountId, commandContext(rq));
  }
}
