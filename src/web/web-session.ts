/**
 * The browser's session and CSRF protection.
 *
 * - The session is the API's own server-side session (SessionStore): the opaque token POST /auth/login
 *   returns lives in a cookie `pf_session` (HttpOnly, SameSite=Lax, Path=/, Secure when configured), never
 *   in the page. The API itself accepts only `Authorization: Bearer`, so the cookie never authenticates a
 *   JSON call a foreign site could make.
 * - CSRF: every state-changing form carries a token the server checks before anything runs. Logged in,
 *   the token is an HMAC of the session token (unknowable to another site, valid across processes without
 *   shared state); before login, a random `pf_csrf` cookie is doubled in the form (double submit). A POST
 *   whose Origin or Sec-Fetch-Site says it comes from another site is refused too.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'pf_session';
export const ANONYMOUS_CSRF_COOKIE = 'pf_csrf';

/** The cookies of a request header, by name (the first of a repeated name wins). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (!(name in out) && /^[A-Za-z0-9._~+/=-]{1,512}$/.test(value)) out[name] = value;
  }
  return out;
}

export interface CookieOptions {
  secure: boolean;
  /** seconds; 0 deletes the cookie; undefined = a session cookie (ends with the browser) */
  maxAge?: number;
}

/** A Set-Cookie header value: HttpOnly, SameSite=Lax, Path=/ always. */
export function cookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** The CSRF token of a logged-in session: HMAC-SHA256 keyed by the session token. */
export function sessionCsrfToken(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('portail-famille csrf v1').digest('base64url');
}

export function newAnonymousCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison of two tokens (false when either is missing). */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Whether a POST comes from another site, by the headers browsers send: Sec-Fetch-Site (cross-site), or
 * an Origin that is not this host. Requests without either (old browsers, tests) rely on the token alone.
 */
export function isCrossSite(headers: Record<string, string | string[] | undefined>): boolean {
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site') return true;
  const origin = headers.origin;
  const host = headers.host;
  if (typeof origin === 'string' && origin !== 'null' && typeof host === 'string') {
    try {
      return new URL(origin).host !== host;
    } catch {
      return true;
    }
  }
  // `Origin: null` (privacy settings, a no-referrer policy) says nothing: the token decides
  return false;
}
