/**
 * Secret tokens sent to a person by mail or kept in a cookie: account activation and password reset links,
 * session ids.
 *
 * The token itself is shown once (in the link) and never stored: the store keeps its SHA-256, so a leaked
 * database or event log does not hand out working links. A fast hash is enough here, unlike for passwords:
 * a token is 256 random bits, not something a person chose, so there is nothing to guess from a dictionary.
 */
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url without padding: 43 characters, safe in a URL path or query unescaped. */
const TOKEN_BYTES = 32;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface SecretToken {
  /** to send to the person, once */
  token: string;
  /** sha256 hex of the token: what to store and look up */
  hash: string;
}

export function newSecretToken(): SecretToken {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: hashSecretToken(token) };
}

/** The lookup key of a presented token: sha256, 64 lower-case hex characters. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * True for what `newSecretToken` produces. Check it before hashing a presented token and looking it up, so
 * that junk (or a 1 MB query string) is refused early with the same answer as an unknown token.
 */
export function isWellFormedSecretToken(token: unknown): token is string {
  // 43 characters of base64url carry 258 bits for 256: the last character's 2 low bits are zero padding,
  // so it is one of 16 characters. Any other last character does not encode 32 bytes; refusing it keeps
  // one token from having several spellings.
  return typeof token === 'string' && TOKEN.test(token) && /[AEIMQUYcgkosw048]$/.test(token);
}
