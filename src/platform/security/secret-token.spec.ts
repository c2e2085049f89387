import { createHash } from 'node:crypto';

import { hashSecretToken, isWellFormedSecretToken, newSecretToken } from './secret-token';

describe('secret tokens', () => {
  it('are 43 base64url characters (32 random bytes) with their sha256 hex', () => {
    const { token, hash } = newSecretToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecretToken(token)).toBe(hash);
  });

  it('never repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newSecretToken().token));
    expect(tokens.size).toBe(1000);
  });

  it('are recognised when well formed, and only then', () => {
    for (let i = 0; i < 200; i++) expect(isWellFormedSecretToken(newSecretToken().token)).toBe(true);
    const token = newSecretToken().token;
    const notTokens: unknown[] = [
      undefined,
      42,
      '',
      token.slice(1), // 42 characters
      `${token}A`, // 44
      `${token.slice(0, 42)}=`, // padding
      `${token.slice(0, 42)}+`, // base64, not base64url
      `${token.slice(0, 42)}B`, // a last character with non-zero padding bits: not the encoding of 32 bytes
    ];
    for (const value of notTokens) expect(isWellFormedSecretToken(value)).toBe(false);
  });

  it('hashes the token as given (a known vector)', () => {
    expect(hashSecretToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
