import { randomUUID } from 'node:crypto';

import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { AuthenticatedRequest, commandContext, FamilyIdParam, type HttpResponse } from '../../../platform/http/command-http';
import { CreateAccount, createFamilyAccountBodySchema } from '../../identity';
import { addChildBodySchema, registerFamilyBodySchema } from '../families.schemas';
import { FamilyEndpoint } from '../family-endpoint';

/** Registering a family may create the guardian's login at once (activation e-mail), as the commune does. */
class RegisterFamilyBody extends createZodDto(
  registerFamilyBodySchema.extend({
    account: createFamilyAccountBodySchema
      .optional()
      .describe("Identifiant du responsable, créé avec la famille (lien d'activation par e-mail)"),
  }),
) {}
class AddChildBody extends createZodDto(addChildBodySchema) {}

@ApiTags('Familles (agents)')
@ApiBearerAuth()
@Controller('families')
export class RegisterFamilyController {
  constructor(
    private readonly endpoint: FamilyEndpoint,
    private readonly accounts: CreateAccount,
  ) {}

  @Post()
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Inscrire une famille (responsable, conjoint, enfants). Le N° Famille devient son identifiant.' })
  async register(
    @Body() body: RegisterFamilyBody,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ) {
    const familyId = body.familyNumber;
    const registered = await this.endpoint.send(request, response, familyId, {
      type: 'RegisterFamily',
      familyNumber: body.familyNumber,
      commune: body.commune,
      guardian: body.guardian,
      spouse: body.spouse,
      children: body.children.map((child) => ({ ...child, childId: randomUUID() })),
    });
    if (!body.account) return registered;
    // The registration checked the caller's scope for this commune.
    const account = await this.accounts.forNewFamily(familyId, body.account, commandContext(request));
    return { ...registered, account };
  }

  @Post(':familyId/children')
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Ajouter un enfant à une famille' })
  async addChild(
    @Param() { familyId }: FamilyIdParam,
    @Body() body: AddChildBody,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ) {
    const childId = randomUUID();
    const result = await this.endpoint.send(request, response, familyId, { type: 'AddChild', childId, child: body });
    return { ...result, childId };
  }
}
