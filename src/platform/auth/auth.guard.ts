import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import type { Principal, Role } from '../commands/command-context';
import { DomainError } from '../domain/domain-error';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { AUTHENTICATOR, Authenticator } from './authenticator.port';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;

/**
 * Global guard: authenticates the bearer token and checks the endpoint's declared roles.
 * Fails closed: an endpoint that declares neither @Roles nor @Public answers 403 to everyone.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    const principal = match ? await this.authenticator.authenticate(match[1]) : null;
    if (!principal) {
      throw new DomainError('UNAUTHENTICATED', 'Vous devez être connecté pour accéder à ce service.', 'unauthenticated');
    }
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) {
      this.logger.error(`Endpoint ${context.getClass().name}.${context.getHandler().name} declares no roles: refused`);
      throw forbidden();
    }
    if (!roles.includes(principal.role)) throw forbidden();
    return true;
  }
}

export function forbidden(): DomainError {
  return new DomainError('FORBIDDEN', "Vous n'avez pas les droits nécessaires pour cette action.", 'forbidden');
}
