import type { Principal } from '../commands/command-context';
import { DomainError } from '../domain/domain-error';

/**
 * A parent reaches only their own family. For another family the answer is the same 404 as for a family
 * that does not exist, so a parent cannot probe which family numbers exist.
 * Staff and auditors reach every family until scopes land with the identity module.
 */
export function assertFamilyAccess(principal: Principal, familyId: string): void {
  if (principal.role === 'parent' && principal.familyId !== familyId) throw familyNotFound();
}

export function familyNotFound(): DomainError {
  return new DomainError('FAMILY_NOT_FOUND', 'Famille introuvable.', 'not_found');
}
