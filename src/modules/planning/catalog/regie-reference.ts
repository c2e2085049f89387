/**
 * Activities name the régie that bills them by reference (`regieId`). Until issue 10 they held the régie's
 * name as free text (`regie: 'Régie garderie ALSH'`); the catalogue events stored that way are upcast on read
 * (catalog.events.ts, v1 → v2) with `regieIdOf(name)`, so the log is never edited and the régies defined by
 * the billing context under the same id (`regie-garderie-alsh`) are the ones old activities point at.
 *
 * Pure: no framework, no I/O.
 */

/** The id of a régie named `name`: lower case, without accents, words joined by '-' ('Régie garderie ALSH' → 'regie-garderie-alsh'). */
export function regieIdOf(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
  return slug || 'regie';
}

/** A régie id: what `regieIdOf` produces, or what staff chose (letters, digits, '-' and '_', 64 at most). */
export const REGIE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** v1 → v2 of ActivityDefined / ActivityChanged: `activity.regie` (a name) becomes `activity.regieId`. */
export function upcastActivityRegie(data: Record<string, unknown>): Record<string, unknown> {
  const activity = data.activity as Record<string, unknown> | undefined;
  if (!activity || typeof activity !== 'object' || typeof activity.regieId === 'string') return data;
  const { regie, ...rest } = activity;
  return { ...data, activity: { ...rest, regieId: regieIdOf(typeof regie === 'string' ? regie : '') } };
}
