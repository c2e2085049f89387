/**
 * Proves the lint step enforces the dependency rule of ARCHITECTURE.md: domain files (events, deciders,
 * rules, types, platform/domain, projections) import neither the framework, nor infrastructure
 * libraries, nor the layers that use them. Lints snippets with the project's real eslint.config.mjs.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '../..');

interface Sample {
  filePath: string;
  code: string;
}
interface Message {
  ruleId: string | null;
  severity: number;
  line: number;
  message: string;
}

/*
 * ESLint loads eslint.config.mjs with a dynamic import(), which Jest's module sandbox refuses without
 * --experimental-vm-modules. So the ESLint Node API runs in a plain child Node process, on all samples
 * at once (one config load), and hands back each sample's messages as JSON.
 */
const LINT_SCRIPT = `
const { ESLint } = require('eslint');
(async () => {
  const { cwd, configFile, samples } = JSON.parse(process.argv[1]);
  const eslint = new ESLint({ cwd, overrideConfigFile: configFile });
  const out = [];
  for (const { code, filePath } of samples) {
    const [result] = await eslint.lintText(code, { filePath });
    out.push(result.messages.map(({ ruleId, severity, line, message }) => ({ ruleId, severity, line, message })));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
`;

async function lint(samples: Sample[]): Promise<Message[][]> {
  const input = JSON.stringify({ cwd: root, configFile: path.join(root, 'eslint.config.mjs'), samples });
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', LINT_SCRIPT, input], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Message[][];
}

const importing = (source: string) => `import * as imported from '${source}';\nexport const used = [imported];\n`;
const restricted = (messages: Message[]) => messages.filter((m) => m.ruleId === 'no-restricted-imports');

const DECIDER = 'src/modules/x/x.decider.ts';

const FORBIDDEN_PACKAGES = [
  '@nestjs/common',
  '@nestjs/cqrs',
  'express',
  'better-sqlite3',
  '@eventstore/db-client',
  'mongodb',
  'bullmq',
  'ioredis',
  'pino',
  'nestjs-pino',
  'prom-client',
  'nodemailer',
  'puppeteer',
];
const FORBIDDEN_PATHS = [
  '../../platform/event-store/adapters/sqlite',
  './request-x/request-x.controller',
  '../x.module',
  './request-x/request-x.handler',
  '../../platform/event-store/sqlite-event-store',
  '../../platform/event-store/esdb-event-store',
  '../../platform/document-store/mongo-document-store',
  '../../platform/jobs/bullmq-job-scheduler',
  '../../platform/http/problem-details',
];
const DOMAIN_FILE_PATHS = [
  'src/modules/x/x.events.ts',
  'src/modules/x/x.decider.ts',
  'src/modules/x/x.rules.ts',
  'src/modules/x/x.types.ts',
  'src/platform/domain/clock.ts',
  'projections/family-summary/family-summary.projection.ts',
];
const ALLOWED_IN_DOMAIN = ['zod', 'ibantools', 'date-fns', '@date-fns/tz', './x.events', '../../platform/domain/decider'];

describe('the domain dependency rule (eslint.config.mjs)', () => {
  const cases = {
    nestInDecider: { filePath: DECIDER, code: importing('@nestjs/common') },
    nestInController: { filePath: 'src/modules/x/request-x/request-x.controller.ts', code: importing('@nestjs/common') },
    nestInHandler: { filePath: 'src/modules/x/request-x/request-x.handler.ts', code: importing('@nestjs/common') },
    typeOnlyNest: {
      filePath: DECIDER,
      code: "import type { INestApplication } from '@nestjs/common';\nexport type App = INestApplication;\n",
    },
    reExport: { filePath: 'src/modules/x/x.types.ts', code: "export * from 'pino';\n" },
    packages: FORBIDDEN_PACKAGES.map((source) => ({ filePath: DECIDER, code: importing(source) })),
    paths: FORBIDDEN_PATHS.map((source) => ({ filePath: DECIDER, code: importing(source) })),
    domainFiles: DOMAIN_FILE_PATHS.map((filePath) => ({ filePath, code: importing('mongodb') })),
    allowed: ALLOWED_IN_DOMAIN.map((source) => ({ filePath: DECIDER, code: importing(source) })),
  };
  type Cases = typeof cases;
  let results: { [K in keyof Cases]: Cases[K] extends Sample[] ? Message[][] : Message[] };

  beforeAll(async () => {
    // Flatten every sample into one lint run, then put the answers back under the same keys.
    const keys = Object.keys(cases) as (keyof Cases)[];
    const flat = keys.flatMap((key) => {
      const value: Sample | Sample[] = cases[key];
      return Array.isArray(value) ? value : [value];
    });
    const answers = await lint(flat);
    let next = 0;
    results = Object.fromEntries(
      keys.map((key) => {
        const value: Sample | Sample[] = cases[key];
        return [key, Array.isArray(value) ? value.map(() => answers[next++]) : answers[next++]];
      }),
    ) as typeof results;
  });

  it("refuses '@nestjs/common' in a decider, with an error that says why", () => {
    expect(restricted(results.nestInDecider)).toEqual([
      expect.objectContaining({
        ruleId: 'no-restricted-imports',
        severity: 2,
        line: 1,
        message: expect.stringContaining('Domain code stays pure'),
      }),
    ]);
  });

  it('allows the same import in a controller and in a handler', () => {
    expect(results.nestInController).toEqual([]);
    expect(results.nestInHandler).toEqual([]);
  });

  it('refuses type-only imports and re-exports too', () => {
    expect(restricted(results.typeOnlyNest)).toHaveLength(1);
    expect(restricted(results.reExport)).toHaveLength(1);
  });

  it.each(FORBIDDEN_PACKAGES.map((source, i) => [source, i]))('refuses the package %s', (_source, i) => {
    expect(restricted(results.packages[i])).toHaveLength(1);
  });

  it.each(FORBIDDEN_PATHS.map((source, i) => [source, i]))('refuses the path %s', (_source, i) => {
    const messages = restricted(results.paths[i]);
    expect(messages).toHaveLength(1);
    expect(messages[0].message).toContain('must not import adapters, handlers, controllers');
  });

  it.each(DOMAIN_FILE_PATHS.map((filePath, i) => [filePath, i]))('applies to %s', (_filePath, i) => {
    expect(restricted(results.domainFiles[i])).toHaveLength(1);
  });

  it.each(ALLOWED_IN_DOMAIN.map((source, i) => [source, i]))('allows %s in domain files', (_source, i) => {
    expect(results.allowed[i]).toEqual([]);
  });
});

describe('the layering rule (eslint.config.mjs, portail/layering)', () => {
  const samples: Record<string, Sample> = {
    platformImportsModule: { filePath: 'src/platform/x/x.ts', code: importing('../../modules/families') },
    platformImportsReadModel: {
      filePath: 'src/platform/x/x.ts',
      code: importing('../../../projections/family-record/family-record.queries'),
    },
    contextReachesInside: { filePath: 'src/modules/planning/x/x.ts', code: importing('../../families/families.commands') },
    contextUsesIndex: { filePath: 'src/modules/planning/x/x.ts', code: importing('../../families') },
    contextUsesOwnFiles: { filePath: 'src/modules/planning/x/x.ts', code: importing('../allocation/allocation.commands') },
    moduleReadsQueries: { filePath: 'src/modules/planning/x/x.ts', code: importing('../../../../projections/catalog/catalog.queries') },
    readModelImportsAdapter: { filePath: 'projections/x/x.queries.ts', code: importing('../../src/platform/commands/stream-command') },
    readModelImportsController: {
      filePath: 'projections/x/x.projection.ts',
      code: importing('../../src/modules/families/read-family/read-family.controller'),
    },
    readModelImportsEvents: { filePath: 'projections/x/x.projection.ts', code: importing('../../src/modules/families/families.events') },
    readModelImportsPorts: { filePath: 'projections/x/x.queries.ts', code: importing('../../src/platform/projections/read-models') },
    specReachesInside: { filePath: 'src/modules/planning/x/x.spec.ts', code: importing('../../families/families.commands') },
  };
  let results: Record<string, Message[]>;
  const layering = (messages: Message[]) => messages.filter((m) => m.ruleId === 'portail/layering');

  beforeAll(async () => {
    const keys = Object.keys(samples);
    const answers = await lint(keys.map((k) => samples[k]));
    results = Object.fromEntries(keys.map((k, i) => [k, answers[i]]));
  });

  it('refuses a platform file that imports a module or a read model', () => {
    expect(layering(results.platformImportsModule)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('platform imports no module') }),
    ]);
    expect(layering(results.platformImportsReadModel)).toHaveLength(1);
  });

  it("refuses a context that reaches inside another, and allows the other's index, its own files and the read models' queries", () => {
    expect(layering(results.contextReachesInside)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("'src/modules/families'") }),
    ]);
    expect(layering(results.contextUsesIndex)).toEqual([]);
    expect(layering(results.contextUsesOwnFiles)).toEqual([]);
    expect(layering(results.moduleReadsQueries)).toEqual([]);
  });

  it('lets a read model import events, types and the ports it reads through, and nothing else', () => {
    expect(layering(results.readModelImportsAdapter)).toHaveLength(1);
    expect(layering(results.readModelImportsController)).toHaveLength(1);
    expect(layering(results.readModelImportsEvents)).toEqual([]);
    expect(layering(results.readModelImportsPorts)).toEqual([]);
  });

  it('leaves specs free to use fixtures from elsewhere', () => {
    expect(layering(results.specReachesInside)).toEqual([]);
  });
});
