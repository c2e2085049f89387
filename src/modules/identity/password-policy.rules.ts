import { dictionary } from '@zxcvbn-ts/language-common';

import { FRENCH_COMMON_PASSWORDS, PORTAIL_CONTEXT_WORDS } from './common-passwords-fr';

/*
 * The password policy of the Portail Famille, checked when a password is chosen (activation, reset,
 * change) before the handler hashes it. Pure: the caller shows the violations, in French, all at once.
 *
 * What it covers:
 * - The seed's published rules: « 8 caractères minimum, au moins 1 majuscule, au moins 1 minuscule, au
 *   moins 1 caractère numérique ».
 * - CNIL, délibération n° 2022-100 (recommandation « mots de passe », 2022): these rules are the CNIL's
 *   example for its « cas n° 2 » (8 characters of 3 kinds, about 50 bits), which is only acceptable with
 *   a restriction of access to the account after failed attempts (delay or temporary lock): the sign-in
 *   endpoint must provide it. Also from the recommendation: no information about the user in the password
 *   (identifiant, e-mail, name), a list of forbidden common passwords, no forced periodic renewal.
 * - OWASP ASVS 5.0, V6.2: 6.2.1 (at least 8 characters), 6.2.4 (checked against the most common
 *   passwords: the zxcvbn list holds ~49,000), 6.2.8 (the password is used exactly as received: never
 *   truncated nor case-folded — this file only measures it), 6.2.9 (at least 64 characters accepted: up
 *   to 128, any Unicode character, spaces included), 6.2.11 (context-specific words: identifiant, e-mail,
 *   name, and the service's own vocabulary in PORTAIL_CONTEXT_WORDS), 6.2.12 (breached passwords, as far
 *   as an offline list of leaked passwords goes).
 *   Deliberate deviation: ASVS 6.2.5 asks for no composition rules; the upper-case / lower-case / digit
 *   rules are kept because the commune publishes them and the CNIL's cas n° 2 relies on them.
 *   6.2.10 (no periodic rotation) holds by absence: nothing here expires a password.
 */

export const PASSWORD_MIN_LENGTH = 8;
/**
 * Longer passwords are refused, never truncated: the whole password is hashed and verified. 128 leaves
 * room for passphrases (ASVS asks for 64 at least) while bounding the argon2 input.
 */
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordViolationCode =
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'MISSING_UPPERCASE'
  | 'MISSING_LOWERCASE'
  | 'MISSING_DIGIT'
  | 'CONTAINS_LOGIN'
  | 'CONTAINS_NAME'
  | 'COMMON_PASSWORD';

export type PasswordViolation = { code: PasswordViolationCode; message: string };

export type PasswordContext = { login: string; displayName?: string; email?: string };

const MESSAGES: Record<PasswordViolationCode, string> = {
  TOO_SHORT: `Le mot de passe doit contenir au moins ${PASSWORD_MIN_LENGTH} caractères.`,
  TOO_LONG: `Le mot de passe ne doit pas dépasser ${PASSWORD_MAX_LENGTH} caractères.`,
  MISSING_UPPERCASE: 'Le mot de passe doit contenir au moins une lettre majuscule.',
  MISSING_LOWERCASE: 'Le mot de passe doit contenir au moins une lettre minuscule.',
  MISSING_DIGIT: 'Le mot de passe doit contenir au moins un chiffre.',
  CONTAINS_LOGIN: 'Le mot de passe ne doit contenir ni votre identifiant ni votre adresse e-mail.',
  CONTAINS_NAME: 'Le mot de passe ne doit contenir ni votre nom ni votre prénom.',
  COMMON_PASSWORD:
    'Ce mot de passe est trop courant : il figure dans les listes de mots de passe connus ou divulgués. Choisissez-en un autre.',
};

/** The rules, in French, as shown to parents and in the API documentation. */
export const passwordRulesDescription: readonly string[] = [
  `${PASSWORD_MIN_LENGTH} caractères minimum (${PASSWORD_MAX_LENGTH} au plus) ; espaces, accents et caractères spéciaux sont acceptés, une phrase de passe aussi`,
  'Au moins 1 majuscule',
  'Au moins 1 minuscule',
  'Au moins 1 caractère numérique',
  'Ni votre identifiant, ni votre adresse e-mail, ni votre nom ou votre prénom',
  'Pas un mot de passe courant ou déjà divulgué (« azerty », « motdepasse », « Password1 », etc.)',
  "N'utilisez pas votre mot de passe habituel : choisissez un mot de passe propre au Portail Famille",
];

/** Beyond this many UTF-16 units (hence more than 128 code points) the password is not analysed further. */
const ANALYSIS_LIMIT = 2 * PASSWORD_MAX_LENGTH;
/** Shorter parts of an identifiant or a name would refuse too many unrelated passwords. */
const MIN_NEEDLE_LENGTH = 3;
const MIN_LOGIN_PART_LENGTH = 4;

/** Every rule the password breaks (empty when it is acceptable). */
export function checkPassword(password: string, context: PasswordContext): PasswordViolation[] {
  if (password.length > ANALYSIS_LIMIT) return [violation('TOO_LONG')];
  const codes: PasswordViolationCode[] = [];
  // Characters are Unicode code points: « é » or « 🐴 » count as one, as the user sees them.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) codes.push('TOO_SHORT');
  if (length > PASSWORD_MAX_LENGTH) codes.push('TOO_LONG');
  if (!/\p{Lu}/u.test(password)) codes.push('MISSING_UPPERCASE');
  if (!/\p{Ll}/u.test(password)) codes.push('MISSING_LOWERCASE');
  if (!/\p{Nd}/u.test(password)) codes.push('MISSING_DIGIT');
  const folded = fold(password);
  if (loginNeedles(context).some((needle) => folded.includes(needle))) codes.push('CONTAINS_LOGIN');
  if (nameNeedles(context.displayName).some((needle) => folded.includes(needle))) codes.push('CONTAINS_NAME');
  if (isCommonPassword(password)) codes.push('COMMON_PASSWORD');
  return codes.map(violation);
}

/** True when the password is, or is a trivial variant of, a known common or breached password. */
export function isCommonPassword(password: string): boolean {
  const known = commonPasswords();
  for (const candidate of commonCandidates(password)) {
    if (known.has(candidate)) return true;
  }
  return false;
}

function violation(code: PasswordViolationCode): PasswordViolation {
  return { code, message: MESSAGES[code] };
}

// --- context: identifiant, e-mail, name --------------------------------------------------------------

/**
 * The identifiant and the e-mail's local part, whole, and the parts of them between separators
 * (« m.durand » → « durand »): a password holding one of them is refused.
 */
function loginNeedles(context: PasswordContext): string[] {
  const login = fold(context.login.trim());
  const email = context.email ? fold(context.email.trim()) : '';
  const at = email.lastIndexOf('@');
  const localPart = at > 0 ? email.slice(0, at) : email;
  const needles = new Set<string>();
  for (const whole of [login, localPart]) {
    if (whole.length >= MIN_NEEDLE_LENGTH) needles.add(whole);
  }
  // Parts of the identifiant before any '@' (never the domain: « com » or « gmail » say nothing about the user).
  const loginLocal = login.includes('@') ? login.slice(0, login.indexOf('@')) : login;
  for (const source of [loginLocal, localPart]) {
    for (const part of source.split(/[._+@-]+/)) {
      if (part.length >= MIN_LOGIN_PART_LENGTH) needles.add(part);
    }
  }
  return [...needles];
}

/** The words of the display name (« DUPONT JEAN » → « dupont », « jean »). */
function nameNeedles(displayName: string | undefined): string[] {
  if (!displayName) return [];
  return fold(displayName)
    .split(/[^\p{L}]+/u)
    .filter((word) => [...word].length >= MIN_NEEDLE_LENGTH);
}

// --- common passwords ----------------------------------------------------------------------------------

let commonPasswordSet: ReadonlySet<string> | undefined;

/** The known passwords, lower-case (and also without accents), built once on first use. */
function commonPasswords(): ReadonlySet<string> {
  if (!commonPasswordSet) {
    const set = new Set<string>();
    for (const word of [...dictionary['passwords-common'], ...FRENCH_COMMON_PASSWORDS, ...PORTAIL_CONTEXT_WORDS]) {
      const lower = word.toLowerCase();
      set.add(lower);
      set.add(stripAccents(lower));
    }
    commonPasswordSet = set;
  }
  return commonPasswordSet;
}

/** Non-letters that people add around a common word: digits, punctuation, symbols, spaces. */
const AFFIXES = /^[\p{N}\p{P}\p{S}\p{Z}\s]+|[\p{N}\p{P}\p{S}\p{Z}\s]+$/gu;
const SEPARATORS = /[\p{P}\p{S}\p{Z}\s]+/gu;

/**
 * The forms under which a password is looked up: lower-case, with and without accents; without the
 * digits and punctuation around it (« Azerty123! » → « azerty », « Password1 » → « password »); without
 * inner separators (« Mot de passe 1 » → « motdepasse »); and with common substitutions undone
 * (« P@ssw0rd » → « password »).
 */
function commonCandidates(password: string): Set<string> {
  const lower = password.toLowerCase();
  const candidates = new Set<string>();
  for (const form of new Set([lower, stripAccents(lower)])) {
    const stripped = form.replace(AFFIXES, '');
    for (const core of [form, stripped, stripped.replace(SEPARATORS, '')]) {
      if (core.length === 0) continue;
      candidates.add(core);
      candidates.add(unleet(core, 'i'));
      candidates.add(unleet(core, 'l'));
    }
  }
  return candidates;
}

const LEET: Readonly<Record<string, string>> = {
  '@': 'a',
  '4': 'a',
  '3': 'e',
  '€': 'e',
  '!': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
};

function unleet(text: string, one: 'i' | 'l'): string {
  return [...text].map((char) => (char === '1' ? one : (LEET[char] ?? char))).join('');
}

// --- text helpers --------------------------------------------------------------------------------------

/** Lower-case, without accents: « Hélène » → « helene ». */
function fold(text: string): string {
  return stripAccents(text.toLowerCase());
}

function stripAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC');
}
