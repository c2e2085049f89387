import { Injectable } from '@nestjs/common';

import { scopeCovers } from '../../../platform/auth/family-access';
import type { Principal } from '../../../platform/commands/command-context';
import { DomainError } from '../../../platform/domain/domain-error';
import type { Regie } from '../billing.types';

export function regieNotFound(): DomainError {
  return new DomainError('REGIE_NOT_FOUND', 'Régie introuvable.', 'not_found');
}

/**
 * Who reaches a régie: admins, and staff or auditors whose scope covers one of its communes. Out of reach
 * answers like an unknown régie (404), so nobody probes which régies exist.
 */
@Injectable()
export class RegieAccess {
  canReach(principal: Principal, regie: Regie | null): regie is Regie {
    if (!regie) return false;
    if (principal.role === 'admin' || principal.role === 'system') return true;
    if (principal.role !== 'staff' && principal.role !== 'auditor') return false;
    return regie.communes.some((commune) => scopeCovers(principal.scope, commune));
  }

  reachable(principal: Principal, regie: Regie | null): Regie {
    if (!this.canReach(principal, regie)) throw regieNotFound();
    return regie;
  }

  assertCommune(principal: Principal, commune: string): void {
    if (principal.role === 'admin' || principal.role === 'system') return;
    if (!scopeCovers(principal.scope, commune)) {
      throw new DomainError('OUT_OF_SCOPE', `La commune « ${commune} » ne fait pas partie de votre périmètre.`, 'forbidden');
    }
  }
}
