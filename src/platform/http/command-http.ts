import { randomUUID } from 'node:crypto';

import type { FastifyReply, FastifyRequest } from 'fastify';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import type { CommandContext, Principal } from '../commands/command-context';
import { DomainError } from '../domain/domain-error';

/** A request past the AuthGuard: who is calling, and the Idempotency-Key the interceptor accepted. `id` is the correlation id. */
export type AuthenticatedRequest = FastifyRequest & { principal: Principal; idempotencyKey?: string };

/** One header of a request, as a string (the first when repeated). */
export function headerOf(request: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const IF_MATCH = /^(?:W\/)?"(-?\d{1,12})"$/;

/** The command context of an HTTP request: caller, correlation id, If-Match revision, Idempotency-Key. */
export function commandContext(request: AuthenticatedRequest): CommandContext {
  const ifMatch = headerOf(request, 'if-match');
  let expectedRevision: number | undefined;
  if (ifMatch !== undefined && ifMatch !== '*') {
    const match = IF_MATCH.exec(ifMatch.trim());
    if (!match) {
      throw new DomainError(
        'INVALID_IF_MATCH',
        'L\'en-tête If-Match doit contenir la révision reçue dans l\'ETag, par exemple "3".',
        'invalid',
      );
    }
    expectedRevision = Number(match[1]);
  }
  return {
    principal: request.principal,
    correlationId: request.id || randomUUID(),
    expectedRevision,
    idempotencyKey: request.idempotencyKey,
  };
}

/**
 * The response as controllers see it (`@Res({ passthrough: true })`): a header, a status, nothing else, so
 * controllers do not depend on the HTTP framework under Nest.
 */
export type HttpResponse = Pick<FastifyReply, 'header' | 'status'>;

/** The stream revision as an ETag, so the client can send it back in If-Match. */
export function setRevision(response: HttpResponse, revision: number): void {
  response.header('ETag', `"${revision}"`);
}

/** A read-model document as the API shows it: without the projection runner's bookkeeping (`_position`). */
export function strip<T extends Record<string, unknown>>(data: T): Omit<T, '_position'> {
  const { _position: _p, ...rest } = data;
  return rest;
}

/** The body of a command that needs nothing but its URL: `{}` (anything else is refused). */
export class EmptyBody extends createZodDto(z.strictObject({})) {}

/** An id in a path: the family number, a request id, an activity id… (letters, digits, - and _, 64 at most). */
export const pathId = z
  .string()
  .max(64, 'Identifiant invalide.')
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'Identifiant invalide.');

/** `/families/:familyId/…` */
export class FamilyIdParam extends createZodDto(z.strictObject({ familyId: pathId })) {}
/** `/families/:familyId/requests/:requestId/…` */
export class FamilyRequestParams extends createZodDto(z.strictObject({ familyId: pathId, requestId: pathId })) {}
