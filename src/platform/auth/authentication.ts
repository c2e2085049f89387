/**
 * Who is calling: the bearer token is turned into a principal (Authenticator: server-side sessions) in a
 * Fastify preHandler hook, before Nest routes the request, so that what runs before the handler (the
 * idempotency replay, http/idempotency.ts) knows the caller. The decision stays with the AuthGuard: it
 * refuses a non-public endpoint without a principal (401) or with another role (403). A missing, malformed,
 * expired or revoked token simply leaves no principal.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { Principal } from '../commands/command-context';
import type { Authenticator } from './authenticator.port';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;

export function installAuthentication(instance: FastifyInstance, authenticator: Authenticator): void {
  instance.addHook('preHandler', async (request: FastifyRequest & { principal?: Principal }) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) return;
    const principal = await authenticator.authenticate(match[1]);
    if (principal) request.principal = principal;
  });
}
