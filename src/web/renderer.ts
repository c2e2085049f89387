/**
 * Server-side rendering of the pages: Handlebars templates in `views/` (compiled once at start-up), one
 * layout, partials named `_*.hbs`. Handlebars escapes every `{{value}}`: no template uses `{{{ }}}`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import Handlebars from 'handlebars';

const ZONE = 'Europe/Paris';
const dateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: ZONE, dateStyle: 'full', timeStyle: 'short' });
const dateShort = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' });
const dateLong = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

/** « lundi 16 novembre 2026 à 09:00 » for an instant. */
export function formatInstantFr(instant: string): string {
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? instant : dateTime.format(date).replace(' ', ' ');
}

/** « 16/11/2026 » for a YYYY-MM-DD date or an instant. */
export function formatDateFr(value: string): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : dateShort.format(date);
}

/** « mercredi 13 janvier 2027 » for a YYYY-MM-DD date. */
export function formatLongDateFr(value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? value : dateLong.format(date);
}

export class Renderer {
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();
  private readonly handlebars = Handlebars.create();

  constructor(directory: string) {
    const hb = this.handlebars;
    hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
    hb.registerHelper('not', (a: unknown) => !a);
    hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
    hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
    hb.registerHelper('instant', (v: unknown) => (typeof v === 'string' ? formatInstantFr(v) : ''));
    hb.registerHelper('date', (v: unknown) => (typeof v === 'string' ? formatDateFr(v) : ''));
    hb.registerHelper('longDate', (v: unknown) => (typeof v === 'string' ? formatLongDateFr(v) : ''));
    hb.registerHelper('euros', (v: unknown) =>
      typeof v === 'number' ? new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(v / 100) : '',
    );
    hb.registerHelper('yesNo', (v: unknown) => (v === true ? 'Oui' : v === false ? 'Non' : ''));
    hb.registerHelper('join', (v: unknown, sep: unknown) => (Array.isArray(v) ? v.join(typeof sep === 'string' ? sep : ', ') : ''));
    hb.registerHelper('lookupOr', (o: unknown, key: unknown, fallback: unknown) => {
      const value = o && typeof o === 'object' && typeof key === 'string' ? (o as Record<string, unknown>)[key] : undefined;
      return value ?? fallback;
    });
    for (const file of readdirSync(directory)) {
      if (!file.endsWith('.hbs')) continue;
      const name = file.slice(0, -4);
      const source = readFileSync(join(directory, file), 'utf8');
      if (name.startsWith('_')) hb.registerPartial(name.slice(1), source);
      else this.templates.set(name, hb.compile(source, { strict: false, noEscape: false }));
    }
  }

  /** The page `view` inside the layout. */
  page(view: string, data: Record<string, unknown>): string {
    const body = this.render(view, data);
    return this.render('layout', { ...data, body: new Handlebars.SafeString(body) });
  }

  render(view: string, data: Record<string, unknown>): string {
    const template = this.templates.get(view);
    if (!template) throw new Error(`web: no template ${view}`);
    return template(data);
  }
}
