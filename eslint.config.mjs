// ESLint flat config. Syntax-only rules (no type information), so `npm run lint` stays fast; the type
// checker runs separately (`npm run typecheck`).
import path from 'node:path';

import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import simpleImportSort from 'eslint-plugin-simple-import-sort';

/**
 * The dependency rule (ARCHITECTURE.md, "Layout"): domain files decide from their inputs alone. They do
 * not import the framework, a store client, logging, metrics, mail or PDF libraries, nor the layers that
 * do (adapters, handlers, controllers, Nest modules, HTTP). What they may import: zod, ibantools, date-fns,
 * @date-fns/tz, and other domain files.
 *
 * Domain files are recognised by their names, so the rule follows a file wherever its context lives.
 */
export const DOMAIN_FILES = [
  'src/**/*.events.ts',
  'src/**/*.decider.ts',
  'src/**/*.rules.ts',
  'src/**/*.types.ts',
  'src/**/*.commands.ts',
  'src/**/*.workflow.ts',
  'src/platform/domain/**',
  'src/platform/workflows/workflow.ts',
  'projections/**/*.projection.ts',
];

// A package is matched with its subpaths ('pino' and 'pino/file', not 'pinocchio').
const FORBIDDEN_PACKAGES = [
  'express',
  'better-sqlite3',
  '@eventstore/db-client',
  'mongodb',
  'bullmq',
  'ioredis',
  'pino',
  'pino-http',
  'nestjs-pino',
  'prom-client',
  'nodemailer',
  'puppeteer',
  'puppeteer-core',
];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// Layer markers in a path: an adapter folder, the HTTP folder, Nest's file kinds, and the adapter files
// named after their store (sqlite-event-store.ts, mongo-document-store.ts, ...).
const FORBIDDEN_PATH_PARTS = [
  '/adapters(/|$)',
  '/http(/|$)',
  '\\.controller',
  '\\.module',
  '\\.handler',
  'sqlite-',
  'esdb-',
  'mongo-',
  'bullmq-',
];

const dependencyRule = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: `^(@nestjs/|(${FORBIDDEN_PACKAGES.map(escape).join('|')})(/|$))`,
          message:
            'Domain code stays pure: no framework or infrastructure library (Nest, Express, store clients, ' +
            'logging, metrics, mail, PDF) in events, deciders, rules, types or projections. Do the I/O in the ' +
            'handler or an adapter and pass the data in with the command or event.',
        },
        {
          regex: FORBIDDEN_PATH_PARTS.join('|'),
          message:
            'Domain code stays pure: it must not import adapters, handlers, controllers, Nest modules or the ' +
            'HTTP layer: those depend on the domain, not the other way round. Import other domain files only.',
        },
      ],
    },
  ],
};

/**
 * The layering rule (ARCHITECTURE.md, "Layout"), on the resolved path of every relative import:
 * - the platform imports no module and no read model (contexts plug into it through ports and tokens);
 * - a context reaches another context only through that context's public face (`src/modules/<b>/index.ts`);
 * - a read model (`projections/**`) imports only pure domain code (events, types, deciders, rules, command
 *   targets), the platform's domain helpers, and the port types it reads through.
 * Specs may reach further (fixtures); the rule is about what ships.
 */
const PROJECTIONS_MAY_IMPORT = [
  /^src\/modules\/.+\.(events|types|decider|rules|commands)$/,
  /^src\/platform\/domain\//,
  /^src\/platform\/projections\/(projection|read-models)$/,
  /^src\/platform\/document-store\/document-store\.port$/,
  /^projections\//,
];

const layering = {
  meta: { type: 'problem', schema: [], messages: { layer: '{{why}}' } },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    if (/\.spec\.ts$|\.test-fixtures\.ts$/.test(file)) return {};
    const moduleOf = (p) => /^src\/modules\/([^/]+)\//.exec(p)?.[1];
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path
        .relative(root, path.resolve(path.dirname(context.filename), source))
        .split(path.sep)
        .join('/');
      const report = (why) => context.report({ node: node.source, messageId: 'layer', data: { why } });
      if (file.startsWith('src/platform/') && (target.startsWith('src/modules/') || target.startsWith('projections/'))) {
        report('The platform imports no module and no read model: give it a port (an interface and a token) that the context provides.');
        return;
      }
      const from = moduleOf(file);
      const to = moduleOf(`${target}/`);
      if (from && to && from !== to && target !== `src/modules/${to}` && target !== `src/modules/${to}/index`) {
        report(
          `A context reaches another only through its public face: import from 'src/modules/${to}' (its index.ts), and export what is needed there.`,
        );
        return;
      }
      if (file.startsWith('projections/') && !PROJECTIONS_MAY_IMPORT.some((allowed) => allowed.test(target))) {
        report(
          'A read model imports only pure domain code (events, types, deciders, rules, command targets) and the platform types it reads through.',
        );
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default defineConfig([
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'data/']),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    name: 'portail/typescript',
    files: ['**/*.ts'],
    plugins: { 'simple-import-sort': simpleImportSort, portail: { rules: { layering } } },
    rules: {
      'portail/layering': 'error',
      // One import order everywhere (packages, then relative paths), fixed by `npm run format`.
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      // `_`-prefixed names mark what a signature requires but the body does not use.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // The team writes typed code: reach for `unknown` and narrow instead.
      '@typescript-eslint/no-explicit-any': 'error',
      // `interface CreateFamilyBody extends z.infer<...> {}` names a type for Swagger and error messages.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },

  {
    name: 'portail/commonjs-config-files',
    // jest.config.js and the like are CommonJS run by Node.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
        __dirname: 'readonly',
        __filename: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
    },
  },

  {
    name: 'portail/browser-script',
    // The web portal's one script (src/web/assets), run by browsers: a classic script, browser globals.
    files: ['src/web/assets/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        DOMParser: 'readonly',
        URLSearchParams: 'readonly',
        FormData: 'readonly',
      },
    },
  },

  // Formatting is Prettier's (checked by `npm run lint`); no stylistic ESLint rule competes with it.
  prettier,

  {
    name: 'portail/modules-use-no-http-framework',
    files: ['src/modules/**/*.ts'],
    rules: {
      // Text a person writes goes through the one text rule (src/platform/domain/text.ts).
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='z'][callee.property.name='string']",
          message:
            "Use the platform's text rule (singleLineText, multiLineText, bodyId, opaqueText, patternText in src/platform/domain/text.ts): it refuses control and bidi characters and normalises to NFC.",
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(express|fastify|@fastify/.*|@nestjs/platform-.*)(/|$)',
              message:
                "Controllers stay independent of the HTTP framework under Nest: use the platform's AuthenticatedRequest and HttpResponse (src/platform/http/command-http.ts).",
            },
          ],
        },
      ],
    },
  },

  {
    name: 'portail/one-sqlite-driver',
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/platform/sqlite/sqlite-driver.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'better-sqlite3',
              allowTypeImports: true,
              message:
                'Open databases through src/platform/sqlite/sqlite-driver.ts: it loads the better-sqlite3 major this Node.js can run (12 on Node 20, 13 on Node 22+).',
            },
          ],
        },
      ],
    },
  },

  {
    name: 'portail/domain-dependency-rule',
    files: DOMAIN_FILES,
    rules: dependencyRule,
  },
]);
