/**
 * The web portal (issue 14): parents' pages and the staff back-office, server-rendered, served by the same
 * process as the API under `/` (the API's routes are unchanged).
 *
 * It is a Fastify plugin of its own (an encapsulated context), so what it adds applies to its routes only:
 * - a page Content-Security-Policy (no inline script or style, `frame-ancestors 'none'`) replacing the
 *   API's after helmet's hook (http-server.ts) has set the other security headers;
 * - a parser for `application/x-www-form-urlencoded` (forms; 32 KiB at most) — the API still accepts JSON only;
 * - the session cookie and the CSRF check of every POST (web-session.ts).
 *
 * Pages reach the application through the JSON API in memory (api-client.ts): the same validation,
 * authorization and commands as every other client. After a write, a page waits (a little) for the
 * projections and workflows of this process to catch up, so the page that follows shows what was done.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { Authenticator } from '../platform/auth/authenticator.port';
import type { Clock } from '../platform/clock/clock';
import type { Principal, Role } from '../platform/commands/command-context';
import type { WebConfig } from '../platform/config/config';
import { ApiClient, ApiRefusal } from './api-client';
import { navigationFor } from './navigation';
import { Renderer } from './renderer';
import {
  ANONYMOUS_CSRF_COOKIE,
  cookie,
  isCrossSite,
  newAnonymousCsrfToken,
  parseCookies,
  sameToken,
  SESSION_COOKIE,
  sessionCsrfToken,
} from './web-session';

export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

const FORM_LIMIT = 32 * 1024;
const FLASH_COOKIE = 'pf_flash';

export type FormBody = Record<string, string | string[]>;

/** Who may open a page: nobody logged in needed, any logged-in account, or these roles. */
export type Access = 'public' | 'logged-in' | readonly Role[];

export interface PageRequest {
  request: FastifyRequest;
  reply: FastifyReply;
  principal: Principal | undefined;
  api: ApiClient;
  form: FormBody;
  query: Record<string, string>;
  params: Record<string, string>;
  csrf: string;
  /** waits until this process's read models and workflows have caught up with the writes made so far */
  settle(): Promise<void>;
  /** the current instant, from the portal's clock */
  now: Date;
}

export type PageResult =
  | { kind: 'page'; view: string; title: string; data?: Record<string, unknown>; status?: number }
  | { kind: 'redirect'; to: string; flash?: Flash; setCookies?: string[] }
  /** a file the API produced (an invoice's PDF), passed on as it came */
  | { kind: 'file'; type: string; disposition: string; body: Buffer };

export interface Flash {
  kind: 'success' | 'error' | 'info';
  text: string;
}

export interface PageRoute {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
  handle(page: PageRequest): Promise<PageResult>;
}

export interface WebPortalDeps {
  config: WebConfig;
  authenticator: Authenticator;
  clock: Clock;
  /** waits until this process's projections and workflows have handled what was appended (no-op when they run elsewhere) */
  settle(): Promise<void>;
  routes: PageRoute[];
}

export const page = (view: string, title: string, data: Record<string, unknown> = {}, status?: number): PageResult => ({
  kind: 'page',
  view,
  title,
  data,
  ...(status ? { status } : {}),
});
export const redirect = (to: string, flash?: Flash, setCookies?: string[]): PageResult => ({ kind: 'redirect', to, flash, setCookies });

/** Where the templates and assets are: beside this file (copied to dist/ by scripts/copy-assets.js). */
const HERE = __dirname;

/** The landing page of each role. */
export function homeOf(principal: Principal): string {
  return principal.role === 'parent' ? '/accueil' : '/agents';
}

export function installWebPortal(fastify: FastifyInstance, deps: WebPortalDeps): void {
  const renderer = new Renderer(join(HERE, 'views'));
  const assets = loadAssets(deps.config);

  void fastify.register(async (web) => {
    web.addHook('onRequest', async (request, reply) => {
      // the session cookie's account, known before the platform's preHandlers: a logged-in parent's pages
      // count against their account's rate limit (http/rate-limit.ts), never against a shared address
      const token = parseCookies(request.headers.cookie)[SESSION_COOKIE];
      const principal = token ? await deps.authenticator.authenticate(token) : null;
      if (principal) (request as FastifyRequest & { principal?: Principal }).principal = principal;
      reply.header('Content-Security-Policy', PAGE_CSP);
      // helmet's no-referrer makes browsers send `Origin: null` on form posts; same-origin keeps the Origin
      // check possible and still sends nothing to other sites
      reply.header('Referrer-Policy', 'same-origin');
    });
    web.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_rq, body, done) => {
      const form: FormBody = {};
      for (const [key, value] of new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))) {
        const existing = form[key];
        if (existing === undefined) form[key] = value;
        else form[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
      }
      done(null, form);
    });

    for (const asset of assets) {
      web.get(asset.url, async (_request, reply) => {
        reply.header('Cache-Control', 'public, max-age=3600');
        reply.type(asset.type);
        return asset.body;
      });
    }

    // no icon yet: an empty answer rather than the API's JSON 404 in every browser console
    web.get('/favicon.ico', async (_request, reply) => reply.status(204).send());

    for (const route of deps.routes) {
      web.route({
        method: route.method,
        url: route.path,
        handler: async (request, reply) => serve(route, request, reply),
      });
    }
  });

  async function serve(route: PageRoute, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const cookies = parseCookies(request.headers.cookie);
    const sessionToken = cookies[SESSION_COOKIE];
    const principal = (request as FastifyRequest & { principal?: Principal }).principal;
    const setCookies: string[] = [];
    const secure = deps.config.cookieSecure;

    if (sessionToken && !principal) setCookies.push(cookie(SESSION_COOKIE, '', { secure, maxAge: 0 }));
    let csrf: string;
    if (principal && sessionToken) csrf = sessionCsrfToken(sessionToken);
    else {
      csrf = cookies[ANONYMOUS_CSRF_COOKIE] ?? newAnonymousCsrfToken();
      if (!cookies[ANONYMOUS_CSRF_COOKIE]) setCookies.push(cookie(ANONYMOUS_CSRF_COOKIE, csrf, { secure }));
    }
    const flash = readFlash(cookies[FLASH_COOKIE]);
    if (flash) setCookies.push(cookie(FLASH_COOKIE, '', { secure, maxAge: 0 }));

    const form = (request.body && typeof request.body === 'object' ? request.body : {}) as FormBody;
    const base = { principal, csrf, setCookies, flash };

    if (route.method === 'POST') {
      if (isCrossSite(request.headers) || !sameToken(typeof form._csrf === 'string' ? form._csrf : undefined, csrf)) {
        return send(reply, base, page('message', 'Formulaire expiré', { heading: 'Formulaire expiré', text: EXPIRED }, 403));
      }
    }
    if (route.access !== 'public' && !principal) {
      const back = request.method === 'GET' ? `?retour=${encodeURIComponent(request.url)}` : '';
      return send(reply, base, redirect(`/connexion${back}`));
    }
    if (Array.isArray(route.access) && principal && !route.access.includes(principal.role)) {
      return send(reply, base, page('message', 'Accès refusé', { heading: 'Accès refusé', text: FORBIDDEN }, 403));
    }

    const api = new ApiClient(fastify, principal ? sessionToken : undefined, request.id, request.ip);
    const pageRequest: PageRequest = {
      request,
      reply,
      principal,
      api,
      form,
      query: stringsOf(request.query),
      params: stringsOf(request.params),
      csrf,
      settle: deps.settle,
      now: deps.clock.now(),
    };
    let result: PageResult;
    try {
      result = await route.handle(pageRequest);
      if (route.method === 'POST') await deps.settle();
    } catch (error) {
      if (!(error instanceof ApiRefusal)) throw error;
      if (error.status === 401) {
        setCookies.push(cookie(SESSION_COOKIE, '', { secure, maxAge: 0 }));
        result = redirect('/connexion', { kind: 'info', text: 'Votre session a expiré : veuillez vous reconnecter.' });
      } else if (error.status === 404 || error.status === 403) {
        result = page('message', 'Page introuvable', { heading: 'Page introuvable', text: error.message }, 404);
      } else if (route.method === 'POST') {
        // a refusal of a form without its own error display: back where it came from, with the reason
        result = redirect(safeBack(form._retour) ?? '/', { kind: 'error', text: error.message });
      } else {
        result = page('message', 'Erreur', { heading: 'Impossible d’afficher cette page', text: error.message }, error.status);
      }
    }
    return send(reply, base, result);
  }

  function send(
    reply: FastifyReply,
    base: { principal: Principal | undefined; csrf: string; setCookies: string[]; flash: Flash | undefined },
    result: PageResult,
  ): string | Buffer | FastifyReply {
    const setCookies = [...base.setCookies];
    if (result.kind === 'file') {
      if (setCookies.length > 0) reply.header('Set-Cookie', setCookies);
      reply.header('Content-Disposition', result.disposition);
      reply.header('Cache-Control', 'private, no-store');
      reply.status(200).type(result.type);
      return result.body;
    }
    if (result.kind === 'redirect') {
      setCookies.push(...(result.setCookies ?? []));
      if (result.flash) setCookies.push(cookie(FLASH_COOKIE, writeFlash(result.flash), { secure: deps.config.cookieSecure, maxAge: 60 }));
      if (setCookies.length > 0) reply.header('Set-Cookie', setCookies);
      return reply.redirect(result.to, 303);
    }
    if (setCookies.length > 0) reply.header('Set-Cookie', setCookies);
    reply.status(result.status ?? 200).type('text/html; charset=utf-8');
    const principal = base.principal;
    return renderer.page(result.view, {
      ...result.data,
      title: result.title,
      commune: deps.config,
      hasLogo: deps.config.logoFile !== undefined,
      principal,
      nav: principal ? navigationFor(principal, reply.request.url) : [],
      csrf: base.csrf,
      flash: result.data?.flash ?? base.flash,
    });
  }
}

const EXPIRED = 'Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.';
const FORBIDDEN = "Vous n'avez pas les droits nécessaires pour ouvrir cette page.";

/** A local path to go back to (never another site). */
export function safeBack(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : undefined;
}

function stringsOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function writeFlash(flash: Flash): string {
  return Buffer.from(JSON.stringify(flash), 'utf8').toString('base64url');
}

function readFlash(value: string | undefined): Flash | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Flash;
    if (['success', 'error', 'info'].includes(parsed.kind) && typeof parsed.text === 'string')
      return { kind: parsed.kind, text: parsed.text.slice(0, 600) };
  } catch {
    return undefined;
  }
  return undefined;
}

interface Asset {
  url: string;
  type: string;
  body: string | Buffer;
}

/** The stylesheet, the script, the commune's theme and logo: read once at start-up. */
function loadAssets(config: WebConfig): Asset[] {
  const dir = join(HERE, 'assets');
  const assets: Asset[] = [
    { url: '/portail/portail.css', type: 'text/css; charset=utf-8', body: readFileSync(join(dir, 'portail.css')) },
    { url: '/portail/portail.js', type: 'text/javascript; charset=utf-8', body: readFileSync(join(dir, 'portail.js')) },
    {
      url: '/portail/theme.css',
      type: 'text/css; charset=utf-8',
      body: `:root { --main: ${config.mainColor}; }\n`,
    },
  ];
  if (config.logoFile) {
    const file = resolve(config.logoFile);
    if (existsSync(file)) {
      const type = file.endsWith('.svg') ? 'image/svg+xml' : file.endsWith('.png') ? 'image/png' : 'image/jpeg';
      assets.push({ url: '/portail/logo', type, body: readFileSync(file) });
    }
  }
  return assets;
}
