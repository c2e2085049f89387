/**
 * What a person may write in a text field (pure: zod only). One rule for every field, so that no name,
 * reason or address stores what a screen cannot show or would show wrongly:
 * - normalised to NFC (« é » typed as e + accent is stored as one character), then trimmed;
 * - no control character of C0 or C1 (NUL, escape sequences…); a newline only in a multi-line field;
 * - no bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069: they make « exe.txt » read « txt.exe »);
 * - no lone surrogate (half of a character: invalid UTF-16, unreadable by most storage and screens).
 */
import { z } from 'zod';

// Built from code points so this file holds no invisible character itself.
const range = (from: number, to: number) => `\\u${from.toString(16).padStart(4, '0')}-\\u${to.toString(16).padStart(4, '0')}`;
const CONTROLS = `${range(0x00, 0x09)}${range(0x0b, 0x1f)}${range(0x7f, 0x9f)}`;
const BIDI = `${range(0x202a, 0x202e)}${range(0x2066, 0x2069)}`;
const SINGLE_LINE_FORBIDDEN = new RegExp(`[${CONTROLS}\\u000a${BIDI}]`);
const MULTI_LINE_FORBIDDEN = new RegExp(`[${CONTROLS}${BIDI}]`);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checked(multiLine: boolean, what: string, max: number) {
  const forbidden = multiLine ? MULTI_LINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN;
  return (
    z
      .string()
      // the bound is also checked on what was sent (and so written in the OpenAPI document as maxLength)
      .max(max, `${what} : ${max} caractères au plus.`)
      .refine((s) => !LONE_SURROGATE.test(s), `${what} : le texte contient un caractère incomplet (encodage invalide).`)
      .transform((s) => (multiLine ? s.replace(/\r\n?/g, '\n') : s).normalize('NFC').trim())
      .refine(
        (s) => !forbidden.test(s),
        multiLine
          ? `${what} : caractères non autorisés (caractères de contrôle ou de mise en forme invisibles).`
          : `${what} : caractères non autorisés (retour à la ligne, caractères de contrôle ou de mise en forme invisibles).`,
      )
  );
}

/** One line of text (a name, a city, a reason): 1 to `max` characters once normalised and trimmed (`min` 0 allows empty). */
export function singleLineText(max: number, what: string, min = 1) {
  return checked(false, what, max).pipe(
    z.string().min(min, `${what} : ce champ ne peut pas être vide.`).max(max, `${what} : ${max} caractères au plus.`),
  );
}

/** Text on several lines (a message, a note): newlines kept (CRLF stored as LF), nothing else invisible. */
export function multiLineText(max: number, what: string, min = 1) {
  return checked(true, what, max).pipe(
    z.string().min(min, `${what} : ce champ ne peut pas être vide.`).max(max, `${what} : ${max} caractères au plus.`),
  );
}

/** An id given in a body (a child, a document): letters, digits, « - » and « _ », at most `max`. */
export function bodyId(what = 'Identifiant', max = 100) {
  return z
    .string()
    .max(max, `${what} : ${max} caractères au plus.`)
    .trim()
    .regex(new RegExp(`^[A-Za-z0-9][A-Za-z0-9_-]{0,${max - 1}}$`), `${what} invalide : lettres, chiffres, « - » et « _ » seulement.`);
}

/** A secret or an opaque value a person or a client hands over as is (a password, a token, a cursor): only its length is checked. */
export function opaqueText(max: number, what: string, min = 1) {
  return z.string().min(min, `${what} : ce champ ne peut pas être vide.`).max(max, `${what} : ${max} caractères au plus.`);
}

/** A value checked by a pattern of its own (a login, a code): the pattern says what it may contain, `max` how long it may be sent. */
export function patternText(pattern: RegExp, message: string, max = 200) {
  return z.string().max(max, message).trim().regex(pattern, message);
}

/**
 * A string refused when it holds a control, bidi or lone-surrogate character, for fields whose own checks
 * follow in the chain (a pattern, a phone number, an e-mail address): `plainString('Code postal').trim().regex(…)`.
 */
export function plainString(what: string, max = 200) {
  return z
    .string()
    .max(max, `${what} : ${max} caractères au plus.`)
    .refine(
      (s) => !LONE_SURROGATE.test(s) && !SINGLE_LINE_FORBIDDEN.test(s),
      `${what} : caractères non autorisés (retour à la ligne, caractères de contrôle ou de mise en forme invisibles).`,
    );
}

/** A calendar day, AAAA-MM-JJ (10 characters, a real date). */
export function isoDate(message = 'Date invalide : format attendu AAAA-MM-JJ.') {
  return z.iso.date(message).max(10, message);
}

/** An instant with its offset, e.g. 2027-03-01T08:00:00+01:00 (at most 35 characters: nanoseconds at most). */
export function isoInstant(message = 'Instant invalide : format attendu AAAA-MM-JJTHH:mm:ss+01:00.') {
  return z.iso.datetime({ offset: true, error: message }).max(35, message);
}
