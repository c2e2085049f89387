import type { ReadModels } from '../../src/platform/projections/read-models';
import { type AccountDocument, accountsProjection } from './accounts.projection';

/** The account as sessions check it (role, family, scope, status, credentials version), or null. */
export function accountOf(readModels: ReadModels, accountId: string): Promise<AccountDocument | null> {
  return readModels.get<AccountDocument>(accountsProjection.name, accountId);
}

/** The logins of a family and their state (a family has a handful). */
export async function accountsOfFamily(readModels: ReadModels, familyId: string): Promise<AccountDocument[]> {
  return (await readModels.find<AccountDocument>(accountsProjection.name, { where: { familyId }, limit: 100 })).items;
}
