/**
 * The process configuration, read once from the environment at start-up.
 *
 * Pure on purpose (no Nest, no file or network access, no `process.env` read of its own): `main.ts`,
 * `projector.ts` and the CLI call `loadConfig(process.env)`, and tests pass a plain object. A bad
 * configuration must stop the process before anything opens a store, with one message that lists every
 * problem at once, so an operator fixes them in one go rather than one restart per typo.
 *
 * Operator-facing messages are English (like the variable names); only texts parents and staff read are
 * French.
 */
import { z } from 'zod';

export type PortailMode = 'embedded' | 'server';

/** pino's levels, plus `silent` (tests). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

interface CommonConfig {
  /** HTTP port the API listens on */
  readonly port: number;
  /** interface the API binds to */
  readonly host: string;
  /**
   * METRICS_PORT: when set, /metrics is served only by a second listener on this port (bound to
   * METRICS_HOST, 127.0.0.1 by default) and answers 404 on the public port
   */
  readonly metricsPort: number | undefined;
  /** interface of the metrics listener (METRICS_HOST) */
  readonly metricsHost: string;
  /** embedded mode's single data folder (SQLite files, mail outbox); relative paths are from the cwd */
  readonly dataDir: string;
  /** EventStoreDB connection string (esdb:// or esdb+discover://); always set in server mode */
  readonly esdbUrl: string | undefined;
  /** MongoDB connection string (mongodb:// or mongodb+srv://); always set in server mode */
  readonly mongoUrl: string | undefined;
  /** MongoDB database holding the read models and checkpoints */
  readonly mongoDb: string;
  /** Redis for BullMQ (redis:// or rediss://); always set in server mode */
  readonly redisUrl: string | undefined;
  /** SMTP relay (smtp:// or smtps://) for the server-mode mailer; unset keeps mail in the outbox */
  readonly smtpUrl: string | undefined;
  /** sender of the e-mails parents receive (MAIL_FROM) */
  readonly mailFrom: string;
  /** the school holiday zone of the communes served (SCHOOL_ZONE: A, B or C) */
  readonly schoolZone: 'A' | 'B' | 'C';
  /**
   * seed demo families, activities and staff in a brand-new embedded data folder (default true embedded,
   * false in server mode and with NODE_ENV=production, where it cannot be set)
   */
  readonly demoData: boolean;
  readonly logLevel: LogLevel;
  /** maximum request body in bytes */
  readonly bodyLimit: number;
  /** absolute base URL used in links sent to parents (mails, PDFs), without a trailing slash */
  readonly publicBaseUrl: string;
  /** how many times a command's read-decide-append is retried on a concurrency conflict before a 409 */
  readonly commandRetries: number;
  /** run the projection runner in this process (false on API processes when a separate projector runs) */
  readonly runProjections: boolean;
  /** the projector process's health listener (liveness, readiness, metrics), on HOST */
  readonly projectorHealthPort: number;
  /** time given to in-flight requests, jobs and subscriptions to finish on SIGTERM */
  readonly shutdownTimeoutMs: number;
  /**
   * CLOCK_START: the instant the portal's clock starts at (demos and acceptance runs; it then runs at real
   * speed). Embedded mode only; undefined = the system clock.
   */
  readonly clockStart: string | undefined;
  /** the web portal's look and cookies (COMMUNE_NAME, COMMUNE_COLOR, COMMUNE_LOGO, COOKIE_SECURE) */
  readonly web: WebConfig;
  /**
   * TRUST_PROXY: the reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges, comma
   * separated), or how many hops; unset: none, the caller is the TCP peer
   */
  readonly trustProxy: number | string[] | undefined;
  /** requests an authenticated caller may make, per account (RATE_LIMIT_ACCOUNT, "600/60": 600 per 60 s) */
  readonly rateLimitAccount: RateLimit;
  /** requests an anonymous caller may make, per IP address (RATE_LIMIT_ANONYMOUS) */
  readonly rateLimitAnonymous: RateLimit;
  /** downloads (PDFs, exports, attachments), per account or per address (RATE_LIMIT_DOWNLOADS) */
  readonly rateLimitDownloads: RateLimit;
}

/** A rate limit: at most `points` requests in a window of `seconds`. */
export interface RateLimit {
  readonly points: number;
  readonly seconds: number;
}

/** What the web portal shows of the commune, and how its session cookie is sent. */
export interface WebConfig {
  /** shown in the header and the page titles */
  readonly communeName: string;
  /** the main colour (#RRGGBB); text on it is white, so it must be dark enough (checked: contrast ≥ 4.5:1) */
  readonly mainColor: string;
  /** a PNG, SVG or JPEG file shown in the header, or undefined for none */
  readonly logoFile: string | undefined;
  /** the `Secure` attribute of the session cookie: true behind HTTPS (a reverse proxy), 'auto' = when PUBLIC_BASE_URL is https */
  readonly cookieSecure: boolean;
}

export interface EmbeddedConfig extends CommonConfig {
  readonly mode: 'embedded';
}

export interface ServerConfig extends CommonConfig {
  readonly mode: 'server';
  readonly esdbUrl: string;
  readonly mongoUrl: string;
  readonly redisUrl: string;
}

/** Narrow on `mode` to get the server-only guarantee: all store URLs set. */
export type AppConfig = EmbeddedConfig | ServerConfig;

/** Thrown by loadConfig. `problems` holds one line per problem, `message` all of them. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** The environment variables loadConfig reads, in the order problems are reported. */
const VARIABLES = [
  'PORTAIL_MODE',
  'PORT',
  'HOST',
  'METRICS_PORT',
  'METRICS_HOST',
  'DATA_DIR',
  'ESDB_URL',
  'MONGO_URL',
  'MONGO_DB',
  'REDIS_URL',
  'SMTP_URL',
  'MAIL_FROM',
  'SCHOOL_ZONE',
  'DEMO_DATA',
  'LOG_LEVEL',
  'BODY_LIMIT',
  'PUBLIC_BASE_URL',
  'COMMAND_MAX_RETRIES',
  'RUN_PROJECTIONS',
  'PROJECTOR_HEALTH_PORT',
  'SHUTDOWN_TIMEOUT_MS',
  'CLOCK_START',
  'COMMUNE_NAME',
  'COMMUNE_COLOR',
  'COMMUNE_LOGO',
  'COOKIE_SECURE',
  'TRUST_PROXY',
  'RATE_LIMIT_ACCOUNT',
  'RATE_LIMIT_ANONYMOUS',
  'RATE_LIMIT_DOWNLOADS',
] as const;
type Variable = (typeof VARIABLES)[number];

/**
 * Variables that once meant something and no longer do, with what to do instead. Setting one (to any
 * non-blank value, in either mode) is a problem: ignoring it silently would let an operator believe it
 * still has an effect. Reported after the problems of the variables above.
 */
const OBSOLETE: Readonly<Record<string, string>> = {
  DEMO_TOKENS: 'removed — demo tokens were replaced by real accounts; log in with a demo account (see README) and remove this variable',
};

// ---------------------------------------------------------------------------------------------------------
// Building blocks. Every message names what is expected and echoes what was received, so the operator
// can spot a stray quote or unit; connection strings are echoed with their credentials masked, because
// this message ends up in logs.

/** The text with the `user:password@` part of a URL replaced by `***@`. */
function maskCredentials(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1***@');
}

/** The received value as quoted in a message: credentials masked, quotes and control characters escaped. */
function shown(input: unknown): string {
  return JSON.stringify(maskCredentials(String(input)));
}

function integer(min: number, max: number) {
  const error = (issue: { input?: unknown }) => `must be an integer between ${min} and ${max} (got ${shown(issue.input)})`;
  // Digits only: z.coerce.number() would also take "", "1e3", "0x10" and " 12 ", which are typos here.
  return z.string().regex(/^\d+$/, { error }).transform(Number).pipe(z.int({ error }).min(min, { error }).max(max, { error }));
}

function boolean() {
  return z.stringbool({
    truthy: ['true'],
    falsy: ['false'],
    error: (issue) => `must be "true" or "false" (got ${shown(issue.input)})`,
  });
}

/** A connection string whose scheme must be one of `schemes`; `requiredWhy` makes it mandatory. */
function connectionUrl(schemes: readonly string[], requiredWhy?: string) {
  const expected = schemes.map((s) => `${s}://`).join(' or ');
  const pattern = new RegExp(`^(${schemes.map((s) => s.replace(/[+.]/g, '\\$&')).join('|')})://\\S+$`);
  const url = z
    .string({ error: (issue) => (issue.input === undefined ? `is required ${requiredWhy}` : undefined) })
    .regex(pattern, { error: (issue) => `must start with ${expected} (got ${shown(issue.input)})` });
  return requiredWhy === undefined ? url.optional() : url;
}

// ---------------------------------------------------------------------------------------------------------

const modeSchema = z.enum(['embedded', 'server'], {
  error: (issue) => `must be "embedded" or "server" (got ${shown(issue.input)})`,
});

/**
 * The variables' schema for one mode. `modeReason` says why server mode applies, for the "is required"
 * messages: an operator who only set ESDB_URL should learn that this is what selected server mode.
 */
function schemaFor(mode: PortailMode, modeReason: string) {
  const requiredWhy = mode === 'server' ? `in server mode (${modeReason})` : undefined;
  return z.object({
    PORT: integer(1, 65535).optional(),
    HOST: z
      .string()
      .regex(/^\S+$/, { error: (i) => `must be a host name or address (got ${shown(i.input)})` })
      .optional(),
    METRICS_PORT: integer(1, 65535).optional(),
    METRICS_HOST: z
      .string()
      .regex(/^\S+$/, { error: (i) => `must be a host name or address (got ${shown(i.input)})` })
      .optional(),
    DATA_DIR: z.string().optional(),
    ESDB_URL: connectionUrl(['esdb', 'esdb+discover'], requiredWhy),
    MONGO_URL: connectionUrl(['mongodb', 'mongodb+srv'], requiredWhy),
    // MongoDB's rules for database names (under 64 bytes; none of / \ . space " $ * < > : | ?)
    MONGO_DB: z
      .string()
      .regex(/^[^/\\. "$*<>:|?]{1,63}$/, {
        error: (i) => `must be a MongoDB database name: 1 to 63 characters, none of / \\ . space " $ * < > : | ? (got ${shown(i.input)})`,
      })
      .optional(),
    REDIS_URL: connectionUrl(['redis', 'rediss'], requiredWhy),
    SMTP_URL: connectionUrl(['smtp', 'smtps']),
    SCHOOL_ZONE: z.enum(['A', 'B', 'C'], { error: (i) => `must be A, B or C (got ${shown(i.input)})` }).optional(),
    MAIL_FROM: z
      .string()
      .regex(/^(?:[^<>\r\n]{1,100} <)?[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>?$/, {
        error: (i) => `must be an address, optionally with a name: "Portail Famille <portail@mairie.fr>" (got ${shown(i.input)})`,
      })
      .optional(),
    DEMO_DATA: boolean().optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: (i) => `must be one of ${LOG_LEVELS.join(', ')} (got ${shown(i.input)})` }).optional(),
    // 1 KiB .. 100 MiB: below, ordinary JSON commands would be refused; above is surely a typo (an extra 0).
    BODY_LIMIT: integer(1024, 100 * 1024 * 1024).optional(),
    PUBLIC_BASE_URL: z
      .url({
        protocol: /^https?$/,
        error: (i) => `must be an absolute http:// or https:// URL (got ${shown(i.input)})`,
      })
      .optional(),
    COMMAND_MAX_RETRIES: integer(0, 100).optional(),
    RUN_PROJECTIONS: boolean().optional(),
    PROJECTOR_HEALTH_PORT: integer(1, 65535).optional(),
    // At least 100 ms, or shutdown hooks never get to run; at most 10 minutes.
    SHUTDOWN_TIMEOUT_MS: integer(100, 600_000).optional(),
    // A demo clock in production would date every event wrongly: server mode refuses it.
    CLOCK_START:
      mode === 'server'
        ? z.never({ error: () => 'is for demos and acceptance runs of the embedded runtime only; unset it in server mode' }).optional()
        : z.iso
            .datetime({
              offset: true,
              error: (i) => `must be an ISO instant with its offset, e.g. 2027-03-01T07:59:00+01:00 (got ${shown(i.input)})`,
            })
            .optional(),
    COMMUNE_NAME: z
      .string()
      .regex(/^[^<>\r\n]{1,80}$/, { error: (i) => `must be a name of 1 to 80 characters, without < > (got ${shown(i.input)})` })
      .optional(),
    COMMUNE_COLOR: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, { error: (i) => `must be a colour written #RRGGBB (got ${shown(i.input)})` })
      .refine((c) => contrastWithWhite(c) >= 4.5, {
        error: (i) => `must be dark enough for white text (contrast at least 4.5:1, WCAG AA) (got ${shown(i.input)})`,
      })
      .optional(),
    COMMUNE_LOGO: z
      .string()
      .regex(/\.(png|svg|jpe?g)$/i, { error: (i) => `must be the path of a .png, .svg or .jpg file (got ${shown(i.input)})` })
      .optional(),
    COOKIE_SECURE: z.enum(['true', 'false', 'auto'], { error: (i) => `must be true, false or auto (got ${shown(i.input)})` }).optional(),
    TRUST_PROXY: z
      .string()
      .regex(/^(?:\d{1,2}|[0-9a-fA-F.:]+(?:\/\d{1,3})?(?:\s*,\s*[0-9a-fA-F.:]+(?:\/\d{1,3})?)*)$/, {
        error: (i) =>
          `must be a hop count or proxy addresses/CIDR ranges, comma separated, e.g. 10.0.0.0/8,127.0.0.1 (got ${shown(i.input)})`,
      })
      .transform((text) => (/^\d+$/.test(text) ? Number(text) : text.split(',').map((part) => part.trim())))
      .optional(),
    RATE_LIMIT_ACCOUNT: rateLimit().optional(),
    RATE_LIMIT_ANONYMOUS: rateLimit().optional(),
    RATE_LIMIT_DOWNLOADS: rateLimit().optional(),
  });
}

/** The contrast ratio of white text on a #RRGGBB colour (WCAG 2.1 relative luminance). */
export function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

/** "N/S": N requests (1 to 1,000,000) per window of S seconds (1 to 86,400). */
function rateLimit() {
  return z
    .string()
    .regex(/^\d{1,7}\/\d{1,5}$/, { error: (i) => `must be requests/seconds, e.g. 600/60 (got ${shown(i.input)})` })
    .refine(
      (text) => {
        const [points, seconds] = text.split('/').map(Number);
        return !/^\d{1,7}\/\d{1,5}$/.test(text) || (points >= 1 && points <= 1_000_000 && seconds >= 1 && seconds <= 86_400);
      },
      { error: (i) => `must allow 1 to 1000000 requests in 1 to 86400 seconds (got ${shown(i.input)})` },
    )
    .transform((text) => {
      const [points, seconds] = text.split('/').map(Number);
      return { points, seconds };
    });
}

/**
 * Reads and validates the configuration. Unset and blank variables take their default (`FOO=` in a
 * compose or .env file means "not set", not "empty").
 *
 * @throws ConfigError listing every problem, one per line, each naming its variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const raw: Partial<Record<Variable, string>> = {};
  for (const name of VARIABLES) {
    const value = env[name]?.trim();
    if (value) raw[name] = value;
  }

  const problems: string[] = [];

  // The mode decides which variables are required, so it is read first. REDIS_URL alone does not switch
  // to server mode: CI and developers set it to run the BullMQ contract suite against an embedded app.
  const detected: PortailMode = raw.ESDB_URL || raw.MONGO_URL ? 'server' : 'embedded';
  let mode = detected;
  if (raw.PORTAIL_MODE !== undefined) {
    const chosen = modeSchema.safeParse(raw.PORTAIL_MODE);
    // An invalid mode is reported, and the rest is still checked against the detected mode.
    if (chosen.success) mode = chosen.data;
    else problems.push(...chosen.error.issues.map((issue) => `PORTAIL_MODE: ${issue.message}`));
  }

  const modeReason =
    raw.PORTAIL_MODE === mode
      ? `PORTAIL_MODE=${mode}`
      : `selected because ${raw.ESDB_URL ? 'ESDB_URL' : 'MONGO_URL'} is set; set PORTAIL_MODE=embedded to run without servers`;
  const parsed = schemaFor(mode, modeReason).safeParse(raw);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`));
  }
  for (const [name, advice] of Object.entries(OBSOLETE)) {
    if (env[name]?.trim()) problems.push(`${name}: ${advice}`);
  }
  const production = env.NODE_ENV?.trim() === 'production';
  if (parsed.success && parsed.data.DEMO_DATA === true && production) {
    problems.push('DEMO_DATA: must not be true with NODE_ENV=production (demo accounts have a published password)');
  }
  if (parsed.success && parsed.data.METRICS_PORT !== undefined && parsed.data.METRICS_PORT === (parsed.data.PORT ?? 3000)) {
    problems.push(`METRICS_PORT: must differ from PORT (${parsed.data.METRICS_PORT}): /metrics is meant to be kept off the public port`);
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);

  const v = parsed.data;
  const server = mode === 'server';
  const port = v.PORT ?? 3000;
  const common: CommonConfig = {
    port,
    host: v.HOST ?? '0.0.0.0',
    metricsPort: v.METRICS_PORT,
    metricsHost: v.METRICS_HOST ?? '127.0.0.1',
    dataDir: v.DATA_DIR ?? './data',
    esdbUrl: v.ESDB_URL,
    mongoUrl: v.MONGO_URL,
    mongoDb: v.MONGO_DB ?? 'portail_famille',
    redisUrl: v.REDIS_URL,
    smtpUrl: v.SMTP_URL,
    schoolZone: v.SCHOOL_ZONE ?? 'C',
    mailFrom: v.MAIL_FROM ?? 'Portail Famille <ne-pas-repondre@portail-famille.localhost>',
    demoData: v.DEMO_DATA ?? (!server && !production),
    logLevel: v.LOG_LEVEL ?? 'info',
    bodyLimit: v.BODY_LIMIT ?? 102_400,
    // Links are built as `${publicBaseUrl}/path`, so the trailing slash goes.
    publicBaseUrl: (v.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    commandRetries: v.COMMAND_MAX_RETRIES ?? 5,
    runProjections: v.RUN_PROJECTIONS ?? true,
    projectorHealthPort: v.PROJECTOR_HEALTH_PORT ?? 3001,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS ?? 10_000,
    clockStart: v.CLOCK_START,
    web: Object.freeze({
      communeName: v.COMMUNE_NAME ?? 'Portail Famille',
      mainColor: v.COMMUNE_COLOR ?? '#1f4e79',
      logoFile: v.COMMUNE_LOGO,
      cookieSecure: (v.COOKIE_SECURE ?? 'auto') === 'auto' ? (v.PUBLIC_BASE_URL ?? '').startsWith('https:') : v.COOKIE_SECURE === 'true',
    }),
    // Per account: a parent's pages and the opening-morning booking are a few requests a minute; a
    // script looping on an endpoint is not. Per address for anonymous callers only (login, password
    // pages): on opening morning many parents share a school's or an operator's NAT address, so the
    // limit is wide, and it is never applied to authenticated calls.
    trustProxy: v.TRUST_PROXY,
    rateLimitAccount: v.RATE_LIMIT_ACCOUNT ?? { points: 600, seconds: 60 },
    rateLimitAnonymous: v.RATE_LIMIT_ANONYMOUS ?? { points: 1200, seconds: 60 },
    rateLimitDownloads: v.RATE_LIMIT_DOWNLOADS ?? { points: 60, seconds: 60 },
  };

  if (mode === 'server') {
    // The server schema made the three URLs required; the check below only restates that for the type
    // checker.
    const { esdbUrl, mongoUrl, redisUrl } = common;
    if (esdbUrl === undefined || mongoUrl === undefined || redisUrl === undefined) {
      throw new Error('unreachable: server-mode URLs were validated as required');
    }
    return Object.freeze({ ...common, mode, esdbUrl, mongoUrl, redisUrl });
  }
  return Object.freeze({ ...common, mode });
}
