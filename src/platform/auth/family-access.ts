import { Inject, Injectable } from '@nestjs/common';

import type { Principal } from '../commands/command-context';
import { DomainError } from '../domain/domain-error';
import { FAMILY_DIRECTORY } from '../tokens';

/**
 * Where the access policy learns which commune a family belongs to. Provided by the families context
 * (from its family record), so the platform's policy imports no module.
 */
export interface FamilyDirectory {
  /** the family's commune, or undefined when the family does not exist */
  communeOf(familyId: string): Promise<string | undefined>;
}

/** True when a staff member's or auditor's scope covers this commune. */
export function scopeCovers(scope: string[] | undefined, commune: string): boolean {
  if (!scope) return false;
  return scope.includes('*') || scope.some((c) => c.toUpperCase() === commune.toUpperCase());
}

/** The communes filter of a scoped list: undefined = no filter ('*'), [] = nothing. */
export function scopeFilter(principal: Principal): string[] | undefined {
  if (principal.role === 'admin' || principal.role === 'system') return undefined;
  const scope = principal.scope ?? [];
  return scope.includes('*') ? undefined : scope.map((c) => c.toUpperCase());
}

export function familyNotFound(): DomainError {
  return new DomainError('FAMILY_NOT_FOUND', 'Famille introuvable.', 'not_found');
}

/**
 * Who reaches a family. A parent: only their own family. Staff and auditors: the families of the communes
 * in their scope. Admins: every family. For a family out of reach the answer is the same 404 as for a
 * family that does not exist, so nobody can probe which families exist.
 */
@Injectable()
export class FamilyAccessPolicy {
  constructor(@Inject(FAMILY_DIRECTORY) private readonly directory: FamilyDirectory) {}

  async assertCanReach(principal: Principal, familyId: string): Promise<void> {
    switch (principal.role) {
      case 'parent':
        if (principal.familyId !== familyId) throw familyNotFound();
        return;
      case 'admin':
      case 'system':
        return;
      case 'staff':
      case 'auditor': {
        const commune = await this.directory.communeOf(familyId);
        if (commune === undefined || !scopeCovers(principal.scope, commune)) throw familyNotFound();
        return;
      }
      default:
        throw familyNotFound();
    }
  }

  /**
   * A parent whose login covers only some children of the family (separated parents) reaches only those:
   * another child of the family answers like an unknown one.
   */
  assertCanReachChild(principal: Principal, childId: string): void {
    if (principal.role === 'parent' && principal.childIds && !principal.childIds.includes(childId)) {
      throw new DomainError('CHILD_NOT_FOUND', 'Enfant introuvable dans cette famille.', 'not_found');
    }
  }

  /** What a parent restricted to some children sees of a list of children. */
  visibleChildren<C extends { childId: string }>(principal: Principal, children: C[]): C[] {
    return principal.role === 'parent' && principal.childIds ? children.filter((c) => principal.childIds!.includes(c.childId)) : children;
  }

  /** A staff member registers families only in a commune of their scope. */
  assertCanRegisterIn(principal: Principal, commune: string): void {
    if (principal.role === 'admin' || principal.role === 'system') return;
    if (!scopeCovers(principal.scope, commune)) {
      throw new DomainError('OUT_OF_SCOPE', `La commune « ${commune} » ne fait pas partie de votre périmètre.`, 'forbidden');
    }
  }
}
