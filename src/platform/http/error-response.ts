import { HttpException, HttpStatus } from '@nestjs/common';
import { ZodValidationException } from 'nestjs-zod';
import type { ZodError } from 'zod';

import { DomainError, DomainErrorKind } from '../domain/domain-error';

/** The body of every error answer: a stable code for programs, a French message for people. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
  correlationId?: string;
}

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.UNPROCESSABLE_ENTITY,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  forbidden: HttpStatus.FORBIDDEN,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  precondition_failed: HttpStatus.PRECONDITION_FAILED,
  too_many_requests: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

const GENERIC_HTTP: Record<number, { code: string; message: string }> = {
  400: { code: 'BAD_REQUEST', message: 'La requête est invalide.' },
  401: { code: 'UNAUTHENTICATED', message: 'Vous devez être connecté pour accéder à ce service.' },
  403: { code: 'FORBIDDEN', message: "Vous n'avez pas les droits nécessaires pour cette action." },
  404: { code: 'NOT_FOUND', message: 'Ressource introuvable.' },
  405: { code: 'METHOD_NOT_ALLOWED', message: 'Méthode non autorisée pour cette ressource.' },
  406: { code: 'NOT_ACCEPTABLE', message: 'Format de réponse non disponible.' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: 'La requête est trop volumineuse.' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Le contenu doit être envoyé au format JSON.' },
  429: { code: 'TOO_MANY_REQUESTS', message: 'Trop de requêtes : veuillez patienter avant de réessayer.' },
};

export function internalError(): ErrorBody {
  return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Une erreur interne est survenue. Veuillez réessayer plus tard.' };
}

/** Map anything thrown while handling a request to the answer the client gets (undefined: an unexpected error). */
export function toErrorBody(error: unknown): ErrorBody | undefined {
  if (error instanceof DomainError) {
    return { statusCode: STATUS_BY_KIND[error.kind], code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof ZodValidationException) {
    const zodError = error.getZodError() as ZodError;
    return {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Certaines informations sont manquantes ou invalides.',
      details: zodError.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code, message: issue.message })),
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status >= 500) return undefined;
    const known = GENERIC_HTTP[status] ?? { code: `HTTP_${status}`, message: 'La requête ne peut pas être traitée.' };
    return { statusCode: status, ...known };
  }
  if (error instanceof MalformedJsonError) {
    return { statusCode: 400, code: 'MALFORMED_JSON', message: "Le corps de la requête n'est pas un JSON valide." };
  }
  return undefined;
}

/**
 * A request body that is not JSON. Fastify's own body errors (too large 413, not JSON 415, a wrong
 * Content-Length 400) reach the filter as Nest HttpExceptions with their status, answered above.
 */
export class MalformedJsonError extends Error {
  constructor() {
    super('request body is not valid JSON');
    this.name = 'MalformedJsonError';
  }
}
