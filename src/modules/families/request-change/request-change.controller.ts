import { randomUUID } from 'node:crypto';

import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { AuthenticatedRequest, FamilyIdParam, type HttpResponse } from '../../../platform/http/command-http';
import {
  requestAddressChangeBodySchema,
  requestAuthorizationsChangeBodySchema,
  requestCafChangeBodySchema,
  requestChildAdditionBodySchema,
  requestContactChangeBodySchema,
  requestDirectDebitBodySchema,
  requestHealthDataChangeBodySchema,
  requestTaxInfoChangeBodySchema,
} from '../families.schemas';
import { FamilyEndpoint } from '../family-endpoint';

class AddressChangeBody extends createZodDto(requestAddressChangeBodySchema) {}
class ContactChangeBody extends createZodDto(requestContactChangeBodySchema) {}
class TaxInfoChangeBody extends createZodDto(requestTaxInfoChangeBodySchema) {}
class CafChangeBody extends createZodDto(requestCafChangeBodySchema) {}
class DirectDebitBody extends createZodDto(requestDirectDebitBodySchema) {}
class ChildAdditionBody extends createZodDto(requestChildAdditionBodySchema) {}
class AuthorizationsChangeBody extends createZodDto(requestAuthorizationsChangeBodySchema) {}
class HealthDataChangeBody extends createZodDto(requestHealthDataChangeBodySchema) {}

/**
 * "Mon compte" and "Mes enfants": a parent asks for a change of the family record; staff will accept or
 * refuse it. Each answer carries the new stream revision (ETag) and the id of the request.
 */
@ApiTags('Demandes de modification (parents)')
@ApiBearerAuth()
@Controller('families/:familyId/requests')
@Roles('parent')
export class RequestChangeController {
  constructor(private readonly endpoint: FamilyEndpoint) {}

  @Post('address')
  @ApiOperation({ summary: "Demander un changement d'adresse (responsable ou conjoint)" })
  address(
    @Param() p: FamilyIdParam,
    @Body() body: AddressChangeBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    return this.request(rq, rs, p.familyId, (requestId) => ({ type: 'RequestAddressChange', requestId, ...body }));
  }

  @Post('contact')
  @ApiOperation({ summary: 'Demander une modification des coordonnées, de la profession ou des autorisations courriel/SMS' })
  contact(
    @Param() p: FamilyIdParam,
    @Body() body: ContactChangeBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    return this.request(rq, rs, p.familyId, (requestId) => ({ type: 'RequestContactChange', requestId, ...body }));
  }

  @Post('tax')
  @ApiOperation({ summary: 'Demander une modification des informations fiscales' })
  tax(
    @Param() p: FamilyIdParam,
    @Body() body: TaxInfoChangeBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    return this.request(rq, rs, p.familyId, (requestId) => ({ type: 'RequestTaxInfoChange', requestId, ...body }));
  }

  @Post('caf')
  @ApiOperation({ summary: 'Demander une modification des informations CAF (N° allocataire, quotient familial)' })
  caf(
    @Param() p: FamilyIdParam,
    @Body() body: CafChangeBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    return this.request(rq, rs, p.familyId, (requestId) => ({ type: 'RequestCafChange', requestId, ...body }));
  }

  @Post('direct-debit')
  @ApiOperation({ summary: 'Demander la mise en prélèvement automatique (IBAN et BIC vérifiés)' })
  directDebit(
    @Param() p: FamilyIdParam,
    @Body() body: DirectDebitBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    return this.request(rq, rs, p.familyId, (requestId) => ({ type: 'RequestDirectDebit', requestId, ...body }));
  }

  @Post('child-addition')
  @ApiOperation({ summary: 'Ajouter un enfant qui sera prochainement scolarisé' })
  childAddition(
    @Param() p: FamilyIdParam,
    @Body() body: ChildAdditionBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    return this.request(rq, rs, p.familyId, (requestId) => ({ type: 'RequestChildAddition', requestId, ...body }));
  }

  @Post('authorizations')
  @ApiOperation({ summary: "Demander une modification des autorisations d'un enfant (personnes autorisées, droit à l'image, départ seul)" })
  authorizations(
    @Param() p: FamilyIdParam,
    @Body() body: AuthorizationsChangeBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    return this.request(rq, rs, p.familyId, (requestId) => ({ type: 'RequestAuthorizationsChange', requestId, ...body }));
  }

  @Post('health')
  @ApiOperation({ summary: "Demander une modification des données sanitaires d'un enfant (allergies, PAI, lunettes, vaccins, médecin)" })
  health(
    @Param() p: FamilyIdParam,
    @Body() body: HealthDataChangeBody,
    @Req() rq: AuthenticatedRequest,
    @Res({ passthrough: true }) rs: HttpResponse,
  ) {
    return this.request(rq, rs, p.familyId, (requestId) => ({ type: 'RequestHealthDataChange', requestId, ...body }));
  }

  private async request(
    request: AuthenticatedRequest,
    response: HttpResponse,
    familyId: string,
    build: (requestId: string) => Parameters<FamilyEndpoint['send']>[3],
  ) {
    const result = await this.endpoint.send(request, response, familyId, build(randomUUID()));
    return { ...result, status: 'pending' };
  }
}
