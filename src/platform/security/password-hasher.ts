/**
 * Password hashing for parent and staff accounts.
 *
 * Argon2id, because it is the first choice of the OWASP Password Storage Cheat Sheet and of ASVS v5
 * (V11.4.2): memory-hard (a GPU or ASIC farm pays for memory per guess, not only for compute) and, as the
 * hybrid "id" variant, resistant to both side-channel and trade-off attacks.
 *
 * The stored value is the PHC string `$argon2id$v=19$m=19456,p=1,t=2$<salt>$<hash>`: it carries its own
 * salt (16 random bytes) and parameters, so raising the parameters later needs no migration. At login,
 * `needsRehash` tells the caller to re-hash the password it has just verified with today's parameters.
 */
import { randomBytes } from 'node:crypto';

import argon2 from 'argon2';

/**
 * OWASP Password Storage Cheat Sheet, Argon2id minimum configuration "m=19456 (19 MiB), t=2, p=1" (one of
 * five equivalent trade-offs; ASVS v5 points to the same sheet). Why this one:
 * - memoryCost 19456 KiB = 19 MiB per hash: what an attacker must pay per guess in parallel; bounded so
 *   that a burst of logins stays within the server's memory (libuv runs 4 hashes at a time by default:
 *   about 76 MiB at worst);
 * - timeCost 2 passes over that memory: the cheat sheet's pairing for 19 MiB;
 * - parallelism 1 lane: a login is one request, and the thread pool already runs several in parallel;
 *   more lanes would not slow an attacker down and would take threads from other requests.
 * `bench/argon2.bench.ts` prints what this costs on the machine at hand (tens of milliseconds): slow enough
 * to make offline guessing expensive, fast enough for a login.
 */
export const ARGON2_PARAMETERS = Object.freeze({
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

export interface PasswordHasher {
  /** A PHC string with a fresh salt; two hashes of one password differ. */
  hash(password: string): Promise<string>;
  /** True when `password` matches `hash`; false on a mismatch and on any malformed or foreign hash (never throws). */
  verify(hash: string, password: string): Promise<boolean>;
  /** True when `hash` was made with other parameters or another algorithm: re-hash after a successful verify. */
  needsRehash(hash: string): boolean;
  /**
   * Always false, after the same work as a `verify`: call it when the identifiant is unknown, so that the
   * answer time does not tell an attacker which identifiants exist.
   */
  dummyVerify(password: string): Promise<false>;
}

export const PASSWORD_HASHER = Symbol('PASSWORD_HASHER');

/**
 * The shape of a PHC string argon2 can read, with limits on the parameters: the stored hash is trusted
 * data, but a corrupted or tampered record asking for `m=4194304` (4 GiB) must not make each verify
 * allocate that much. The bounds leave room to raise the parameters well above today's. The parameters
 * are matched in any order: node-argon2 writes `m=19456,p=1,t=2`, the reference implementation `m,t,p`.
 */
const PHC = /^\$argon2(?:id|i|d)\$v=(\d{1,3})\$([a-z]=\d{1,10}(?:,[a-z]=\d{1,10}){2})\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const LIMITS = { m: [8, 1024 * 1024] /* KiB: 1 GiB */, t: [1, 32], p: [1, 16] } as const;

function isReadableHash(hash: string): boolean {
  const match = PHC.exec(hash);
  if (match === null) return false;
  const [, version, parameters] = match;
  const values = new Map(parameters.split(',').map((pair) => [pair[0], Number(pair.slice(2))] as const));
  return (
    (version === '16' || version === '19') &&
    values.size === 3 &&
    Object.entries(LIMITS).every(([key, [min, max]]) => {
      const value = values.get(key);
      return value !== undefined && value >= min && value <= max;
    })
  );
}

export class Argon2idHasher implements PasswordHasher {
  /**
   * A valid hash of a random string nobody knows, computed once when the hasher is built (start-up), with
   * the same parameters as real hashes, so a dummy verify costs what a real one costs.
   */
  private readonly dummyHash: Promise<string>;

  constructor() {
    this.dummyHash = argon2.hash(randomBytes(32).toString('base64url'), ARGON2_PARAMETERS);
    // Surfaces on the first dummyVerify; attached here so that a failure is not an unhandled rejection.
    this.dummyHash.catch(() => undefined);
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_PARAMETERS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    if (!isReadableHash(hash)) return false;
    try {
      return await argon2.verify(hash, password);
    } catch {
      // argon2 throws on what it cannot decode (bad base64 lengths, a salt too short for the library):
      // for the caller that is a password that does not match, not a server error.
      return false;
    }
  }

  needsRehash(hash: string): boolean {
    if (!hash.startsWith('$argon2id$') || !isReadableHash(hash)) return true;
    try {
      return argon2.needsRehash(hash, ARGON2_PARAMETERS);
    } catch {
      return true;
    }
  }

  async dummyVerify(password: string): Promise<false> {
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
