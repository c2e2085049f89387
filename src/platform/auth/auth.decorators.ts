import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

import type { Principal, Role } from '../commands/command-context';

export const ROLES_KEY = 'portail:roles';
export const PUBLIC_KEY = 'portail:public';

/** Who may call this endpoint. Every endpoint declares it (or @Public); the guard refuses the others. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** Reachable without credentials (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentPrincipal used on an endpoint without authentication');
  return request.principal;
});
