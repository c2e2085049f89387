/**
 * `Idempotency-Key` on a write: the first successful answer is stored (per caller, method, path and key) and
 * returned again for the same key, without running the command twice. A key reused with another body is
 * refused (422). Refusals are not stored: they wrote nothing, so running them again has no effect either.
 * Two copies racing before the first answer is stored are made harmless by the command pipeline, which
 * derives event ids from the key (the event store keeps them once).
 *
 * Fastify hooks, not a Nest interceptor: Nest runs every interceptor through rxjs and an AsyncResource per
 * request, which measured ~120 µs of CPU per request even for an interceptor that does nothing (issue 9),
 * on every route, reads included. Here only a write that carries the header pays anything:
 * - preHandler (after authentication.ts has named the caller): a stored answer is sent back as it was;
 * - onSend: a 2xx answer is stored before it leaves.
 * Only authenticated callers get idempotency: an anonymous request's key is ignored.
 */
import { createHash } from 'node:crypto';

import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { Clock } from '../clock/clock';
import type { Principal } from '../commands/command-context';
import { type DocumentStore, VersionConflictError } from '../document-store/document-store.port';
import { DomainError } from '../domain/domain-error';
import { headerOf } from './command-http';

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
  /** the answer's body as it was sent (JSON text) */
  payload?: string;
  /** answers stored before payload existed (the Nest interceptor kept the body as a value) */
  body?: unknown;
  etag?: string;
  createdAt: string;
}

/** What the preHandler leaves for onSend: where to store the answer. */
interface PendingAnswer {
  id: string;
  requestHash: string;
}

type IdempotentRequest = FastifyRequest & { principal?: Principal; idempotencyKey?: string; pendingAnswer?: PendingAnswer };

export function installIdempotency(instance: FastifyInstance, documents: DocumentStore, clock: Clock): void {
  instance.addHook('preHandler', async (request: IdempotentRequest, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const key = headerOf(request, 'idempotency-key');
    if (key === undefined || !request.principal) return;
    if (!KEY_FORMAT.test(key)) {
      throw new DomainError(
        'INVALID_IDEMPOTENCY_KEY',
        "L'en-tête Idempotency-Key doit contenir de 8 à 128 caractères (lettres, chiffres, - _ . :).",
        'invalid',
      );
    }
    const path = request.url.split('?')[0];
    const id = sha256(`${request.principal.userId}|${request.method}|${path}|${key}`);
    const requestHash = sha256(JSON.stringify(request.body ?? null));
    const stored = await documents.get<StoredAnswer>(IDEMPOTENCY_COLLECTION, id);
    if (stored) {
      if (stored.data.requestHash !== requestHash) {
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'Cette clé Idempotency-Key a déjà servi pour une autre demande.', 'invalid');
      }
      if (stored.data.etag) void reply.header('ETag', stored.data.etag);
      return reply
        .code(stored.data.status)
        .header('Idempotent-Replayed', 'true')
        .header('Content-Type', 'application/json; charset=utf-8')
        .send(stored.data.payload ?? JSON.stringify(stored.data.body ?? null));
    }
    request.idempotencyKey = key;
    request.pendingAnswer = { id, requestHash };
  });

  instance.addHook('onSend', async (request: IdempotentRequest, reply, payload) => {
    const pending = request.pendingAnswer;
    if (!pending || reply.statusCode < 200 || reply.statusCode >= 300) return payload;
    const etag = reply.getHeader('ETag');
    const answer: StoredAnswer = {
      requestHash: pending.requestHash,
      status: reply.statusCode,
      payload: typeof payload === 'string' ? payload : '',
      ...(typeof etag === 'string' ? { etag } : {}),
      createdAt: clock.now().toISOString(),
    };
    try {
      await documents.put(IDEMPOTENCY_COLLECTION, pending.id, answer, 'absent');
    } catch (error) {
      // A racing copy stored it first: same effect, its answer stays the reference.
      if (!(error instanceof VersionConflictError)) throw error;
    }
    return payload;
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
