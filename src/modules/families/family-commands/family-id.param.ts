import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const identifier = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Identifiant invalide.');

export class FamilyIdParam extends createZodDto(z.strictObject({ familyId: identifier })) {}
export class FamilyRequestParams extends createZodDto(z.strictObject({ familyId: identifier, requestId: identifier })) {}
