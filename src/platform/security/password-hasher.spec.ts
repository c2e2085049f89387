import { performance } from 'node:perf_hooks';

import argon2 from 'argon2';

import { ARGON2_PARAMETERS, Argon2idHasher } from './password-hasher';

// Each hash or verify costs a few tens of milliseconds: the hashes are made once and shared.
describe('Argon2idHasher', () => {
  const hasher = new Argon2idHasher();
  const password = 'Un mot de passe assez long, é';
  let hash: string;

  beforeAll(async () => {
    hash = await hasher.hash(password);
  });

  it('hashes with argon2id and the OWASP parameters, in a salted PHC string', async () => {
    expect(ARGON2_PARAMETERS).toEqual({ type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await hasher.hash(password)).not.toBe(hash); // a fresh salt each time
  });

  it('verifies the right password, and not a wrong one', async () => {
    expect(await hasher.verify(hash, password)).toBe(true);
    expect(await hasher.verify(hash, `${password} `)).toBe(false);
  });

  it('answers false, without throwing, for malformed or unreasonable hashes', async () => {
    const [, , , , salt, digest] = hash.split('$');
    const malformed = [
      '',
      'not a hash',
      '$2b$12$abcdefghijklmnopqrstuuNqXXbW3lPo2fzb1mQJ/2bQ0yJr1oTe', // bcrypt
      hash.slice(0, -10),
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}$`,
      `$argon2id$v=19$m=19456,t=2$${salt}$${digest}`,
      `$argon2id$v=19$m=4194304,t=2,p=1$${salt}$${digest}`, // 4 GiB: refused before argon2 allocates it
      `$argon2id$v=19$m=19456,t=2,p=1$QUJD$${digest}`, // a salt too short for argon2
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}$${digest}!`,
    ];
    for (const candidate of malformed) {
      await expect(hasher.verify(candidate, password)).resolves.toBe(false);
    }
  });

  it('asks for a rehash of weaker, other-variant or unreadable hashes only', async () => {
    expect(hasher.needsRehash(hash)).toBe(false);
    const weaker = await argon2.hash(password, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(hasher.needsRehash(weaker)).toBe(true);
    expect(await hasher.verify(weaker, password)).toBe(true); // still accepted until it is rehashed
    expect(hasher.needsRehash(hash.replace('$argon2id$', '$argon2i$'))).toBe(true);
    expect(hasher.needsRehash('garbage')).toBe(true);
  });

  it('dummyVerify answers false and takes about as long as a real verify', async () => {
    const time = async (run: () => Promise<unknown>) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    await hasher.dummyVerify(password); // the dummy hash is computed at construction; wait for it once
    const real: number[] = [];
    const dummy: number[] = [];
    for (let i = 0; i < 3; i++) {
      real.push(await time(() => hasher.verify(hash, 'wrong password')));
      dummy.push(await time(() => hasher.dummyVerify('wrong password')));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1];
    // Same order of magnitude: the same argon2 work, not a fast "unknown user" path. Loose bounds, as CI
    // machines are noisy.
    expect(median(dummy)).toBeGreaterThan(median(real) / 3);
    expect(median(dummy)).toBeLessThan(median(real) * 3);
    await expect(hasher.dummyVerify(password)).resolves.toBe(false);
  });
});
