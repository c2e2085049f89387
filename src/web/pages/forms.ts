import { ApiRefusal } from '../api-client';
import type { FormBody } from '../portal';

/** One text field of a form ('' when absent or repeated). */
export function field(form: FormBody, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : '';
}

/** A text field trimmed, or undefined when empty (an optional value not given). */
export function optional(form: FormBody, name: string): string | undefined {
  const value = field(form, name).trim();
  return value === '' ? undefined : value;
}

/** A checkbox: true when checked. */
export function checked(form: FormBody, name: string): boolean {
  return form[name] !== undefined;
}

/** Every value of a repeated field. */
export function all(form: FormBody, name: string): string[] {
  const value = form[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** What a page shows of a refusal: the message, and the fields' messages as a list. */
export function errorView(
  error: unknown,
  labels: Record<string, string> = {},
): { error: string; fieldList: string[]; fields: Record<string, string> } {
  if (!(error instanceof ApiRefusal)) throw error;
  const fields = error.fieldErrors();
  const fieldList = Object.entries(fields).map(([path, message]) => {
    const label = labels[path] ?? labels[path.split('.').slice(-1)[0]];
    return label ? `${label} : ${message}` : message;
  });
  return { error: error.message, fieldList, fields };
}

/** A number typed by a person (« 1 234,5 »), or undefined when empty; NaN when not a number. */
export function numberOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const normalized = value.replace(/\s/g, '').replace(',', '.');
  return normalized === '' ? undefined : Number(normalized);
}
