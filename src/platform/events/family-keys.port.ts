/**
 * FamilyKeyStore port: the per-family data keys of crypto-shredding (see family-key-ring.ts).
 * Adapters: SQLite (a `family_keys` table in the events database, so it is backed up with the events) and
 * MongoDB (a `family_keys` collection). A lost key store means lost personal data for every family: it is
 * backed up with the data (docs in README, « Données personnelles : chiffrement et effacement »).
 */
export type FamilyKeyRecord =
  { familyId: string; key: Buffer; createdAt: string } | { familyId: string; erasedAt: string; createdAt: string };

export interface FamilyKeyStore {
  /** The stored records of these families (absent: no key yet). */
  get(familyIds: string[]): Promise<FamilyKeyRecord[]>;
  /** Stores `key` for the family unless it has a record already; returns the record that is stored (the winner). */
  createIfAbsent(familyId: string, key: Buffer, at: string): Promise<FamilyKeyRecord>;
  /** Destroys the family's key for good, keeping a tombstone (`erasedAt`). Idempotent. */
  destroy(familyId: string, at: string): Promise<void>;
  close(): Promise<void>;
}

export function isErased(record: FamilyKeyRecord): record is { familyId: string; erasedAt: string; createdAt: string } {
  return 'erasedAt' in record;
}
