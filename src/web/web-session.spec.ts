import { cookie, isCrossSite, parseCookies, sameToken, sessionCsrfToken } from './web-session';

describe('web session: cookies and CSRF', () => {
  it('reads the cookies of a header, ignoring malformed values and keeping the first of a repeated name', () => {
    expect(parseCookies('pf_session=abc-DEF_12; other=x; pf_session=second; bad=<script>')).toEqual({
      pf_session: 'abc-DEF_12',
      other: 'x',
    });
    expect(parseCookies(undefined)).toEqual({});
  });

  it('writes HttpOnly, SameSite=Lax cookies on /, Secure when asked, deleted with Max-Age=0', () => {
    expect(cookie('pf_session', 't', { secure: false })).toBe('pf_session=t; Path=/; HttpOnly; SameSite=Lax');
    expect(cookie('pf_session', '', { secure: true, maxAge: 0 })).toBe('pf_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure');
  });

  it('derives a CSRF token from the session token: stable for a session, different for another', () => {
    expect(sessionCsrfToken('session-a')).toBe(sessionCsrfToken('session-a'));
    expect(sessionCsrfToken('session-a')).not.toBe(sessionCsrfToken('session-b'));
    expect(sessionCsrfToken('session-a')).not.toContain('session-a');
    expect(sameToken(sessionCsrfToken('session-a'), sessionCsrfToken('session-a'))).toBe(true);
    expect(sameToken(sessionCsrfToken('session-a'), undefined)).toBe(false);
    expect(sameToken('abc', 'abcd')).toBe(false);
  });

  it('tells a post from another site by Sec-Fetch-Site or Origin; Origin null leaves the decision to the token', () => {
    expect(isCrossSite({ 'sec-fetch-site': 'cross-site', host: 'portail.fr' })).toBe(true);
    expect(isCrossSite({ origin: 'https://evil.example', host: 'portail.fr' })).toBe(true);
    expect(isCrossSite({ origin: 'https://portail.fr', host: 'portail.fr', 'sec-fetch-site': 'same-origin' })).toBe(false);
    expect(isCrossSite({ origin: 'null', host: 'portail.fr' })).toBe(false);
    expect(isCrossSite({ host: 'portail.fr' })).toBe(false);
  });
});
