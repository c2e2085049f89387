import { AppConfig, ConfigError, loadConfig } from './config';

/** A complete, valid server-mode environment; tests remove or break one thing at a time. */
const SERVER_ENV = {
  ESDB_URL: 'esdb://eventstore:2113?tls=false',
  MONGO_URL: 'mongodb://mongo:27017',
  REDIS_URL: 'redis://redis:6379',
} as const;

/** The ConfigError loadConfig throws for `env` (fails the test if it does not throw one). */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  describe('with an empty environment (npm start with no configuration)', () => {
    it('runs embedded with demo data and every default', () => {
      expect(loadConfig({})).toEqual<AppConfig>({
        mode: 'embedded',
        port: 3000,
        host: '0.0.0.0',
        metricsPort: undefined,
        metricsHost: '127.0.0.1',
        dataDir: './data',
        esdbUrl: undefined,
        mongoUrl: undefined,
        mongoDb: 'portail_famille',
        redisUrl: undefined,
        smtpUrl: undefined,
        mailFrom: 'Portail Famille <ne-pas-repondre@portail-famille.localhost>',
        schoolZone: 'C',
        demoData: true,
        logLevel: 'info',
        bodyLimit: 102400,
        publicBaseUrl: 'http://localhost:3000',
        commandRetries: 5,
        runProjections: true,
        projectorHealthPort: 3001,
        shutdownTimeoutMs: 10000,
        clockStart: undefined,
        web: { communeName: 'Portail Famille', mainColor: '#1f4e79', logoFile: undefined, cookieSecure: false },
        trustProxy: undefined,
        rateLimitAccount: { points: 600, seconds: 60 },
        rateLimitAnonymous: { points: 1200, seconds: 60 },
        rateLimitDownloads: { points: 60, seconds: 60 },
      });
    });

    it('starts the clock at CLOCK_START for demos, refuses a bad instant, and refuses it in server mode', () => {
      expect(loadConfig({ CLOCK_START: '2027-03-01T07:59:00+01:00' }).clockStart).toBe('2027-03-01T07:59:00+01:00');
      expect(configError({ CLOCK_START: '2027-03-01' }).problems).toEqual([
        'CLOCK_START: must be an ISO instant with its offset, e.g. 2027-03-01T07:59:00+01:00 (got "2027-03-01")',
      ]);
      expect(configError({ ...SERVER_ENV, CLOCK_START: '2027-03-01T07:59:00+01:00' }).problems).toEqual([
        'CLOCK_START: is for demos and acceptance runs of the embedded runtime only; unset it in server mode',
      ]);
    });

    it('takes the school holiday zone from SCHOOL_ZONE (C by default: the seed commune is in the Toulouse académie)', () => {
      expect(loadConfig({ SCHOOL_ZONE: 'B' }).schoolZone).toBe('B');
      expect(configError({ SCHOOL_ZONE: 'D' }).message).toMatch(/SCHOOL_ZONE: must be A, B or C/);
    });

    it('takes the sender of e-mails from MAIL_FROM, and refuses one that is not an address', () => {
      expect(loadConfig({ MAIL_FROM: 'Mairie de Peaugres <portail@peaugres.fr>' }).mailFrom).toBe(
        'Mairie de Peaugres <portail@peaugres.fr>',
      );
      expect(loadConfig({ MAIL_FROM: 'portail@peaugres.fr' }).mailFrom).toBe('portail@peaugres.fr');
      expect(configError({ MAIL_FROM: 'not an address' }).message).toMatch(/^ {2}- MAIL_FROM: must be an address/m);
    });

    it('returns a frozen object, so no module can change the configuration under the others', () => {
      expect(Object.isFrozen(loadConfig({}))).toBe(true);
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORTAIL_MODE: 'embedded',
      PORT: '8080',
      HOST: '127.0.0.1',
      DATA_DIR: '/var/lib/portail',
      MONGO_DB: 'portail_test',
      REDIS_URL: 'rediss://cache.example.fr:6380',
      SMTP_URL: 'smtps://mail.example.fr:465',
      MAIL_FROM: 'Mairie <portail@example.fr>',
      SCHOOL_ZONE: 'A',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
      BODY_LIMIT: '2048',
      PUBLIC_BASE_URL: 'https://portail.example.fr/famille/',
      COMMAND_MAX_RETRIES: '0',
      RUN_PROJECTIONS: 'false',
      PROJECTOR_HEALTH_PORT: '9464',
      SHUTDOWN_TIMEOUT_MS: '30000',
      METRICS_PORT: '9464',
      METRICS_HOST: '10.0.0.5',
      TRUST_PROXY: '10.0.0.0/8, 127.0.0.1',
      RATE_LIMIT_ACCOUNT: '100/10',
      RATE_LIMIT_ANONYMOUS: '30/60',
      RATE_LIMIT_DOWNLOADS: '5/3600',
    });
    expect(config).toEqual({
      mode: 'embedded',
      port: 8080,
      host: '127.0.0.1',
      metricsPort: 9464,
      metricsHost: '10.0.0.5',
      dataDir: '/var/lib/portail',
      esdbUrl: undefined,
      mongoUrl: undefined,
      mongoDb: 'portail_test',
      redisUrl: 'rediss://cache.example.fr:6380',
      smtpUrl: 'smtps://mail.example.fr:465',
      mailFrom: 'Mairie <portail@example.fr>',
      schoolZone: 'A',
      demoData: false,
      logLevel: 'silent',
      bodyLimit: 2048,
      // the trailing slash is dropped so links can be built as `${publicBaseUrl}/path`
      publicBaseUrl: 'https://portail.example.fr/famille',
      commandRetries: 0,
      runProjections: false,
      projectorHealthPort: 9464,
      shutdownTimeoutMs: 30000,
      clockStart: undefined,
      web: { communeName: 'Portail Famille', mainColor: '#1f4e79', logoFile: undefined, cookieSecure: true },
      trustProxy: ['10.0.0.0/8', '127.0.0.1'],
      rateLimitAccount: { points: 100, seconds: 10 },
      rateLimitAnonymous: { points: 30, seconds: 60 },
      rateLimitDownloads: { points: 5, seconds: 3600 },
    });
  });

  it('reads rate limits as requests/seconds and refuses anything else', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(configError({ TRUST_PROXY: 'yes' }).problems).toEqual([
      'TRUST_PROXY: must be a hop count or proxy addresses/CIDR ranges, comma separated, e.g. 10.0.0.0/8,127.0.0.1 (got "yes")',
    ]);
    expect(configError({ RATE_LIMIT_ACCOUNT: '600' }).problems).toEqual([
      'RATE_LIMIT_ACCOUNT: must be requests/seconds, e.g. 600/60 (got "600")',
    ]);
    expect(configError({ RATE_LIMIT_ANONYMOUS: '0/60', RATE_LIMIT_DOWNLOADS: '10/0' }).problems).toEqual([
      'RATE_LIMIT_ANONYMOUS: must allow 1 to 1000000 requests in 1 to 86400 seconds (got "0/60")',
      'RATE_LIMIT_DOWNLOADS: must allow 1 to 1000000 requests in 1 to 86400 seconds (got "10/0")',
    ]);
  });

  it('keeps demo data out of production, and /metrics off the public port only when asked', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).demoData).toBe(false);
    expect(configError({ NODE_ENV: 'production', DEMO_DATA: 'true' }).problems).toEqual([
      'DEMO_DATA: must not be true with NODE_ENV=production (demo accounts have a published password)',
    ]);
    expect(configError({ PORT: '8080', METRICS_PORT: '8080' }).problems).toEqual([
      'METRICS_PORT: must differ from PORT (8080): /metrics is meant to be kept off the public port',
    ]);
    expect(configError({ COMMUNE_COLOR: '#ffff00' }).problems).toEqual([
      'COMMUNE_COLOR: must be dark enough for white text (contrast at least 4.5:1, WCAG AA) (got "#ffff00")',
    ]);
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://portail.mairie.fr', COMMUNE_NAME: 'Mairie de Peaugres' }).web).toMatchObject({
      communeName: 'Mairie de Peaugres',
      cookieSecure: true,
    });
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://portail.mairie.fr', COOKIE_SECURE: 'false' }).web.cookieSecure).toBe(false);
    expect(configError({ METRICS_PORT: 'x' }).problems).toEqual(['METRICS_PORT: must be an integer between 1 and 65535 (got "x")']);
  });

  it('derives the default public base URL from the port', () => {
    expect(loadConfig({ PORT: '4100' }).publicBaseUrl).toBe('http://localhost:4100');
  });

  it('treats blank variables as unset (FOO= in a compose or .env file)', () => {
    const config = loadConfig({ PORT: '', ESDB_URL: '  ', DEMO_DATA: '' });
    expect(config.mode).toBe('embedded');
    expect(config.port).toBe(3000);
    expect(config.demoData).toBe(true);
  });

  describe('server mode', () => {
    it('is selected by ESDB_URL or MONGO_URL when PORTAIL_MODE is not set', () => {
      expect(loadConfig(SERVER_ENV).mode).toBe('server');
      // MONGO_URL alone selects server mode too, and then the other URLs are required
      expect(configError({ MONGO_URL: SERVER_ENV.MONGO_URL }).problems.map((p) => p.split(':')[0])).toEqual(['ESDB_URL', 'REDIS_URL']);
    });

    it('is not selected by REDIS_URL alone (CI sets it to test BullMQ beside an embedded app)', () => {
      const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' });
      expect(config.mode).toBe('embedded');
      expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    });

    it('can be chosen explicitly, and PORTAIL_MODE=embedded wins over the URLs', () => {
      expect(loadConfig({ ...SERVER_ENV, PORTAIL_MODE: 'server' }).mode).toBe('server');
      const embedded = loadConfig({ ...SERVER_ENV, PORTAIL_MODE: 'embedded' });
      expect(embedded.mode).toBe('embedded');
      // embedded mode keeps its own defaults even though the URLs are set
      expect(embedded.demoData).toBe(true);
    });

    it('defaults to no demo data', () => {
      const config = loadConfig(SERVER_ENV);
      expect(config).toMatchObject({
        mode: 'server',
        esdbUrl: SERVER_ENV.ESDB_URL,
        mongoUrl: SERVER_ENV.MONGO_URL,
        redisUrl: SERVER_ENV.REDIS_URL,
        demoData: false,
      });
      // demo data may still be seeded on a staging server
      expect(loadConfig({ ...SERVER_ENV, DEMO_DATA: 'true' }).demoData).toBe(true);
    });

    it('names every missing store URL, and says what selected server mode', () => {
      const explicit = configError({ PORTAIL_MODE: 'server' });
      expect(explicit.problems).toEqual([
        'ESDB_URL: is required in server mode (PORTAIL_MODE=server)',
        'MONGO_URL: is required in server mode (PORTAIL_MODE=server)',
        'REDIS_URL: is required in server mode (PORTAIL_MODE=server)',
      ]);

      const implied = configError({ ESDB_URL: SERVER_ENV.ESDB_URL });
      expect(implied.problems).toEqual([
        'MONGO_URL: is required in server mode (selected because ESDB_URL is set; set PORTAIL_MODE=embedded to run without servers)',
        'REDIS_URL: is required in server mode (selected because ESDB_URL is set; set PORTAIL_MODE=embedded to run without servers)',
      ]);
    });

    it('accepts the discovery and SRV forms of the connection strings', () => {
      const config = loadConfig({
        ESDB_URL: 'esdb+discover://cluster.example.fr:2113',
        MONGO_URL: 'mongodb+srv://cluster0.example.net/?retryWrites=true',
        REDIS_URL: 'rediss://cache.example.fr:6380',
      });
      expect(config.mode).toBe('server');
    });
  });

  describe('refuses', () => {
    const DEMO_TOKENS_REMOVED =
      'DEMO_TOKENS: removed — demo tokens were replaced by real accounts; ' +
      'log in with a demo account (see README) and remove this variable';

    it.each([
      ['embedded', 'true'],
      ['embedded', 'false'],
      ['server', 'true'],
      ['server', 'false'],
    ])('the obsolete DEMO_TOKENS in %s mode (DEMO_TOKENS=%s), saying what replaced it', (mode, value) => {
      const env = mode === 'server' ? SERVER_ENV : {};
      expect(configError({ ...env, DEMO_TOKENS: value }).problems).toEqual([DEMO_TOKENS_REMOVED]);
    });

    it('the obsolete DEMO_TOKENS whatever its value, but not when blank (FOO= means unset)', () => {
      expect(configError({ DEMO_TOKENS: 'yes' }).problems).toEqual([DEMO_TOKENS_REMOVED]);
      expect(loadConfig({ DEMO_TOKENS: ' ' })).toEqual(loadConfig({}));
    });

    it.each([
      ['abc', 'PORT: must be an integer between 1 and 65535 (got "abc")'],
      ['0', 'PORT: must be an integer between 1 and 65535 (got "0")'],
      ['65536', 'PORT: must be an integer between 1 and 65535 (got "65536")'],
      ['80.5', 'PORT: must be an integer between 1 and 65535 (got "80.5")'],
      ['1e3', 'PORT: must be an integer between 1 and 65535 (got "1e3")'],
    ])('PORT=%s', (port, problem) => {
      expect(configError({ PORT: port }).problems).toEqual([problem]);
    });

    it.each([
      ['ESDB_URL', 'http://eventstore:2113', 'must start with esdb:// or esdb+discover://'],
      ['MONGO_URL', 'postgres://db:5432', 'must start with mongodb:// or mongodb+srv://'],
      ['REDIS_URL', 'tcp://redis:6379', 'must start with redis:// or rediss://'],
      ['SMTP_URL', 'http://mailpit:8025', 'must start with smtp:// or smtps://'],
    ])('%s with another scheme', (variable, value, expected) => {
      const error = configError({ ...SERVER_ENV, [variable]: value });
      expect(error.problems).toEqual([`${variable}: ${expected} (got "${value}")`]);
    });

    it('never echoes the credentials of a connection string', () => {
      const error = configError({ ...SERVER_ENV, MONGO_URL: 'postgres://admin:s3cret@db:5432/portail' });
      expect(error.message).not.toContain('s3cret');
      expect(error.problems).toEqual(['MONGO_URL: must start with mongodb:// or mongodb+srv:// (got "postgres://***@db:5432/portail")']);
    });

    it.each([
      ['PORTAIL_MODE', 'production', 'must be "embedded" or "server" (got "production")'],
      ['DEMO_DATA', 'yes', 'must be "true" or "false" (got "yes")'],
      ['RUN_PROJECTIONS', '1', 'must be "true" or "false" (got "1")'],
      ['PROJECTOR_HEALTH_PORT', '0', 'must be an integer between 1 and 65535 (got "0")'],
      ['LOG_LEVEL', 'verbose', 'must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")'],
      ['BODY_LIMIT', '100kb', 'must be an integer between 1024 and 104857600 (got "100kb")'],
      ['COMMAND_MAX_RETRIES', '-1', 'must be an integer between 0 and 100 (got "-1")'],
      ['SHUTDOWN_TIMEOUT_MS', '0', 'must be an integer between 100 and 600000 (got "0")'],
      ['PUBLIC_BASE_URL', 'portail.example.fr', 'must be an absolute http:// or https:// URL (got "portail.example.fr")'],
      ['MONGO_DB', 'portail.famille', 'must be a MongoDB database name'],
    ])('%s=%s', (variable, value, expected) => {
      const [problem] = configError({ [variable]: value }).problems;
      expect(problem).toContain(`${variable}: ${expected}`);
    });
  });

  it('lists every problem together, one per line, in a single error', () => {
    const error = configError({
      PORTAIL_MODE: 'server',
      PORT: 'abc',
      ESDB_URL: 'http://eventstore:2113',
      DEMO_TOKENS: 'true',
      LOG_LEVEL: 'loud',
    });
    // obsolete variables come after the others
    expect(error.problems.map((p) => p.slice(0, p.indexOf(':')))).toEqual([
      'PORT',
      'ESDB_URL',
      'MONGO_URL',
      'REDIS_URL',
      'LOG_LEVEL',
      'DEMO_TOKENS',
    ]);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid configuration (6 problems):');
    expect(lines.slice(1)).toEqual(error.problems.map((p) => `  - ${p}`));
  });

  it('still checks the other variables when PORTAIL_MODE itself is invalid', () => {
    const error = configError({ PORTAIL_MODE: 'prod', ESDB_URL: SERVER_ENV.ESDB_URL, PORT: '-1' });
    // the mode falls back to the one the URLs imply (server), so the missing URLs are reported too
    expect(error.problems.map((p) => p.slice(0, p.indexOf(':')))).toEqual(['PORTAIL_MODE', 'PORT', 'MONGO_URL', 'REDIS_URL']);
  });
});
