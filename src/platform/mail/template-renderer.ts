/**
 * Renders the French e-mail templates of `templates/` into a subject, a plain-text and an HTML body.
 *
 * Layout of the folder, checked when the renderer is built (a typo in a file name stops the process at
 * start-up rather than when the first parent asks for a password reset):
 *
 *   <name>.subject.hbs  <name>.text.hbs  <name>.html.hbs   one mail; all three parts are required
 *   _<partial>.html.hbs  _<partial>.text.hbs              a shared partial, used as `{{> partial}}`;
 *                                                          `_layout.html.hbs` wraps the HTML parts:
 *                                                          `{{#> layout title="..."}} ... {{/layout}}`
 *
 * Every file is compiled once, here, in an isolated Handlebars environment (no global helper or partial of
 * another module can leak in), with:
 * - `strict: true`: a variable missing from the data throws instead of rendering an empty string, so a
 *   caller that forgot `resetUrl` gets an error, not a mail with a dead link;
 * - `knownHelpersOnly: true`: `{{foo}}` can only be a field, never a helper looked up at run time;
 * - HTML escaping (`{{ }}`) in the HTML parts, so a parent named `<script>` is shown, not run. The subject
 *   and text parts are not HTML and are compiled with `noEscape`, or `O'Brien` would read `O&#x27;Brien`.
 *
 * Helper arguments escape strict mode in Handlebars (a missing `{{frDateTime expiresAt}}` argument arrives
 * as `undefined`), which is why `frDateTime` checks its input and throws.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import Handlebars from 'handlebars';

export interface RenderedMail {
  /** one line: line breaks and runs of spaces collapsed, trimmed */
  subject: string;
  text: string;
  html: string;
}

const PARTS = ['subject', 'text', 'html'] as const;
type Part = (typeof PARTS)[number];

type Compiled = HandlebarsTemplateDelegate<Record<string, unknown>>;

const NAME = '[a-z0-9]+(?:-[a-z0-9]+)*';
const TEMPLATE_FILE = new RegExp(`^(${NAME})\\.(subject|text|html)\\.hbs$`);
const PARTIAL_FILE = new RegExp(`^_(${NAME})\\.(text|html)\\.hbs$`);

const HELPERS = { frDateTime } as const;

/**
 * The templates folder, whether the code runs from the sources (Jest, ts-node: `src/platform/mail`) or
 * compiled (`dist/src/platform/mail`). A build runs `scripts/copy-assets.js` to put the `.hbs` files beside
 * the compiled code; `npm start` only runs tsc, so from `dist/` the source folder is the fallback.
 */
export function defaultTemplatesDir(): string {
  const candidates = [
    path.resolve(__dirname, 'templates'),
    // dist/src/platform/mail -> <root>/src/platform/mail/templates
    path.resolve(__dirname, '..', '..', '..', '..', 'src', 'platform', 'mail', 'templates'),
  ];
  const found = candidates.find((dir) => existsSync(dir) && statSync(dir).isDirectory());
  if (found === undefined) {
    throw new Error(`Mail templates not found; looked in ${candidates.join(' and ')}`);
  }
  return found;
}

export class TemplateRenderer {
  private readonly templates = new Map<string, Record<Part, Compiled>>();

  constructor(readonly dir: string = defaultTemplatesDir()) {
    const env = Handlebars.create();
    for (const [name, helper] of Object.entries(HELPERS)) env.registerHelper(name, helper);

    const knownHelpers = Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true]));
    const compile = (file: string, escapeHtml: boolean): Compiled => {
      const source = readFileSync(path.join(dir, file), 'utf8');
      const options: CompileOptions = { strict: true, knownHelpers, knownHelpersOnly: true, noEscape: !escapeHtml };
      try {
        // Handlebars compiles a template on its first call; precompiling here surfaces a syntax error or an
        // unknown helper at start-up instead. The delegate below then compiles once and keeps the result.
        env.precompile(source, options);
      } catch (error) {
        throw new Error(`Mail template ${path.join(dir, file)}: ${messageOf(error)}`, { cause: error });
      }
      return env.compile<Record<string, unknown>>(source, options);
    };

    const files = readdirSync(dir)
      .filter((file) => file.endsWith('.hbs'))
      .sort();
    const parts = new Map<string, Partial<Record<Part, Compiled>>>();
    const partialParts = new Map<string, string>();
    for (const file of files) {
      const partial = PARTIAL_FILE.exec(file);
      if (partial) {
        const [, name, part] = partial;
        // Partials share one namespace; `_signature.text.hbs` and `_signature.html.hbs` would collide.
        const other = partialParts.get(name);
        if (other !== undefined) throw new Error(`Mail partials ${other} and ${file} have the same name "${name}"`);
        partialParts.set(name, file);
        env.registerPartial(name, compile(file, part === 'html'));
        continue;
      }
      const template = TEMPLATE_FILE.exec(file);
      if (!template) {
        throw new Error(
          `Unexpected file ${file} in ${dir}: expected <name>.subject.hbs, <name>.text.hbs, <name>.html.hbs ` +
            `or _<partial>.(text|html).hbs, names in lower-case-with-dashes`,
        );
      }
      const [, name, part] = template as unknown as [string, string, Part];
      const entry = parts.get(name) ?? {};
      entry[part] = compile(file, part === 'html');
      parts.set(name, entry);
    }

    for (const [name, entry] of parts) {
      const missing = PARTS.filter((part) => entry[part] === undefined);
      if (missing.length > 0) {
        throw new Error(`Mail template "${name}" lacks ${missing.map((part) => `${name}.${part}.hbs`).join(', ')}`);
      }
      this.templates.set(name, entry as Record<Part, Compiled>);
    }
  }

  /** The template names found, sorted. */
  templateNames(): string[] {
    return [...this.templates.keys()].sort();
  }

  has(template: string): boolean {
    return this.templates.has(template);
  }

  /** @throws when the template is unknown, a variable is missing or a helper refuses its argument. */
  render(template: string, data: Record<string, unknown>): RenderedMail {
    const compiled = this.templates.get(template);
    if (compiled === undefined) {
      throw new Error(`Unknown mail template "${template}" (known: ${this.templateNames().join(', ')})`);
    }
    const run = (part: Part): string => {
      try {
        return compiled[part](data);
      } catch (error) {
        throw new Error(`Mail template "${template}" (${part}): ${messageOf(error)}`, { cause: error });
      }
    };
    return {
      subject: run('subject').replace(/\s+/g, ' ').trim(),
      text: `${run('text').trim()}\n`,
      html: `${run('html').trim()}\n`,
    };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

const PARIS_DATE_TIME = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  dateStyle: 'long',
  timeStyle: 'short',
});

/** An instant with its offset: a bare `2026-11-28T10:00` would be read in the server's zone. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * `frDateTime`: an instant (UTC ISO string, or Date) as a French reader expects it, in Paris time:
 * `2026-11-28T09:00:00Z` -> `28 novembre 2026 à 10:00`. Intl writes the first of the month `1`; French
 * writes `1er`, so that day is spelled out.
 */
export function frDateTime(value: unknown): string {
  const date = value instanceof Date ? value : typeof value === 'string' && ISO_INSTANT.test(value) ? new Date(value) : null;
  if (date === null || Number.isNaN(date.getTime())) {
    throw new Error(`frDateTime expects an ISO instant with its offset, got ${describe(value)}`);
  }
  return PARIS_DATE_TIME.formatToParts(date)
    .map((part) => (part.type === 'day' && Number(part.value) === 1 ? '1er' : part.value))
    .join('');
}

function describe(value: unknown): string {
  return value === undefined ? 'undefined (missing variable?)' : (JSON.stringify(value) ?? String(value));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
