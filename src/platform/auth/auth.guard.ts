import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import type { Principal, Role } from '../commands/command-context';
import { DomainError } from '../domain/domain-error';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';

/**
 * Global guard: the endpoint's declared roles against the caller the authentication hook found
 * (authentication.ts). Fails closed: an endpoint that declares neither @Roles nor @Public answers 403 to
 * everyone; a non-public endpoint without a caller answers 401.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (!principal) {
      throw new DomainError('UNAUTHENTICATED', 'Vous devez être connecté pour accéder à ce service.', 'unauthenticated');
    }

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
