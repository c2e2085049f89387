import { createHash } from 'node:crypto';

import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, mergeMap, Observable, of } from 'rxjs';

import { type Clock } from '../clock/clock';
import type { Principal } from '../commands/command-context';
import { DocumentStore, VersionConflictError } from '../document-store/document-store.port';
import { DomainError } from '../domain/domain-error';
import { CLOCK, DOCUMENT_STORE } from '../tokens';

export const IDEMPOTENCY_COLLECTION = 'idempotency_keys';
/**
 * How long an answer is kept for its key: a client retries within seconds or minutes (Stripe keeps keys 24 h,
 * the IETF Idempotency-Key draft leaves it to the server). After that the key is forgotten (purged) and a
 * request carrying it again is a new request.
 */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** The collection's declaration: answers expire IDEMPOTENCY_RETENTION_MS after their createdAt. */
export const IDEMPOTENCY_EXPIRY = { fields: ['createdAt'], afterMs: IDEMPOTENCY_RETENTION_MS };
const KEY_FORMAT = /^[A-Za-z0-9_.:-]{8,128}$/;

interface StoredAnswer extends Record<string, unknown> {
  requestHash: string;
  status: number;
  body: unknown;
  etag?: string;
  createdAt: string;
}

/**
 * `Idempotency-Key` on a write: the first successful answer is stored (per caller, method, path and key) and
 * returned again for the same key, without running the command twice. A key reused with another body is
 * refused (422). Refusals are not stored: they wrote nothing, so running them again has no effect either.
 * Two copies racing before the first answer is stored are made harmless by the command pipeline, which
 * derives event ids from the key (the event store keeps them once).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { principal?: Principal; idempotencyKey?: string }>();
    const response = http.getResponse<Response>();
    const key = request.header('idempotency-key');
    if (key === undefined || request.method === 'GET') return next.handle();
    if (!KEY_FORMAT.test(key)) {
      throw new DomainError(
        'INVALID_IDEMPOTENCY_KEY',
        "L'en-tête Idempotency-Key doit contenir de 8 à 128 caractères (lettres, chiffres, - _ . :).",
        'invalid',
      );
    }
    request.idempotencyKey = key;
    const userId = request.principal?.userId ?? 'anonymous';
    const id = sha256(`${userId}|${request.method}|${request.path}|${key}`);
    const requestHash = sha256(JSON.stringify(request.body ?? null));

    return from(this.documents.get<StoredAnswer>(IDEMPOTENCY_COLLECTION, id)).pipe(
      mergeMap((stored) => {
        if (stored) {
          if (stored.data.requestHash !== requestHash) {
            throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'Cette clé Idempotency-Key a déjà servi pour une autre demande.', 'invalid');
          }
          if (stored.data.etag) response.setHeader('ETag', stored.data.etag);
          response.setHeader('Idempotent-Replayed', 'true');
          return of(stored.data.body);
        }
        return next.handle().pipe(
          mergeMap(async (body) => {
            const answer: StoredAnswer = {
              requestHash,
              status: response.statusCode,
              body,
              etag: response.getHeader('ETag') as string | undefined,
              createdAt: this.clock.now().toISOString(),
            };
            try {
              await this.documents.put(IDEMPOTENCY_COLLECTION, id, answer, 'absent');
            } catch (error) {
              // A racing copy stored it first: same effect, its answer stays the reference.
              if (!(error instanceof VersionConflictError)) throw error;
            }
            return body;
          }),
        );
      }),
    );
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
