/**
 * Crypto-shredding: the personal fields of a family's events are encrypted with a key of that family, from the
 * first write; erasing the family destroys the key, and the log (which cannot forget) keeps only ciphertext.
 *
 * - The family of an event is `familyIdOf` (event-store.port.ts): `data.familyId`, else `metadata.familyId`.
 *   Events that concern no family (a staff account, the catalogue) are not encrypted.
 * - Each leaf (string, number, boolean) under a declared personal path is encrypted on its own with
 *   AES-256-GCM (random 96-bit IV, the family id as additional data), so objects and arrays keep their shape:
 *   once erased, a read model built from them still has its fields, which say « données effacées ».
 *   A leaf becomes the string `pii:v1:<s|n|b>:<base64(iv | tag | ciphertext)>`.
 * - Reading is synchronous (deciders and projections are pure and synchronous), so keys are loaded before events
 *   are read: the key-loading event store (key-loading-event-store.ts) loads the keys of every event it returns,
 *   and the command pipeline makes sure the keys of the events it writes exist (`prepare`).
 * - Kept keys are re-read after `ttlMs` (an erasure done by another process is seen within that time).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import type { Clock } from '../clock/clock';
import { DomainError } from '../domain/domain-error';
import { type FamilyKeyRecord, type FamilyKeyStore, isErased } from './family-keys.port';

export const ERASED_TEXT = 'données effacées';
const PREFIX = 'pii:v1:';
const ALGORITHM = 'aes-256-gcm';

type Kept = { key: Buffer | null; loadedAt: number };

export function familyErased(familyId: string): DomainError {
  return new DomainError(
    'FAMILY_ERASED',
    'Les données de cette famille ont été effacées : aucune nouvelle donnée ne peut être enregistrée.',
    'conflict',
    {
      familyId,
    },
  );
}

export function isProtectedLeaf(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

export class FamilyKeyRing {
  private readonly kept = new Map<string, Kept>();

  constructor(
    private readonly store: FamilyKeyStore,
    private readonly clock: Clock,
    private readonly options: { ttlMs?: number } = {},
  ) {}

  private fresh(familyId: string): boolean {
    const kept = this.kept.get(familyId);
    if (!kept) return false;
    // a destroyed key never comes back; a live key is re-read after ttlMs (performance.now: not business time)
    return kept.key === null || performance.now() - kept.loadedAt < (this.options.ttlMs ?? 60_000);
  }

  private keep(record: FamilyKeyRecord): void {
    this.kept.set(record.familyId, { key: isErased(record) ? null : record.key, loadedAt: performance.now() });
  }

  /** Loads the keys of these families (those not kept, or kept for longer than the ttl). */
  async load(familyIds: Iterable<string>): Promise<void> {
    const missing = [...new Set(familyIds)].filter((id) => !this.fresh(id));
    if (missing.length === 0) return;
    for (const record of await this.store.get(missing)) this.keep(record);
  }

  /** Makes sure each family has a key (created at its first event); refuses a family that was erased. */
  async ensure(familyIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(familyIds)];
    await this.load(ids);
    for (const id of ids) {
      const kept = this.kept.get(id);
      if (kept?.key === null) throw familyErased(id);
      if (!kept) this.keep(await this.store.createIfAbsent(id, randomBytes(32), this.clock.now().toISOString()));
      if (this.kept.get(id)?.key === null) throw familyErased(id);
    }
  }

  /** Destroys the family's key (store first, then this process's copy). */
  async destroy(familyId: string, at: string): Promise<void> {
    await this.store.destroy(familyId, at);
    this.kept.set(familyId, { key: null, loadedAt: performance.now() });
  }

  close(): Promise<void> {
    return this.store.close();
  }

  /** 'erased', the key, or undefined when it was not loaded (or the family has none). */
  keyOf(familyId: string): Buffer | 'erased' | undefined {
    const kept = this.kept.get(familyId);
    if (!kept) return undefined;
    return kept.key ?? 'erased';
  }

  encryptLeaf(familyId: string, value: string | number | boolean): string {
    const key = this.keyOf(familyId);
    if (key === 'erased') throw familyErased(familyId);
    if (!key) throw new Error(`No key loaded for family ${familyId}: call FamilyKeyRing.ensure before serializing`);
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, key, iv);
    cipher.setAAD(Buffer.from(familyId, 'utf8'));
    const plain = typeof value === 'string' ? value : JSON.stringify(value);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const kind = typeof value === 'string' ? 's' : typeof value === 'number' ? 'n' : 'b';
    return `${PREFIX}${kind}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
  }

  /** The original value; « données effacées » (strings) or null (numbers, booleans) once the key is destroyed. */
  decryptLeaf(familyId: string, leaf: string): unknown {
    const kind = leaf.charAt(PREFIX.length);
    const key = this.keyOf(familyId);
    if (key === 'erased') return kind === 's' ? ERASED_TEXT : null;
    if (!key) throw new Error(`No key loaded for family ${familyId}: events must be read through the key-loading event store`);
    const raw = Buffer.from(leaf.slice(PREFIX.length + 2), 'base64');
    const decipher = createDecipheriv(ALGORITHM, key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(familyId, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return kind === 's' ? plain : (JSON.parse(plain) as unknown);
  }
}
