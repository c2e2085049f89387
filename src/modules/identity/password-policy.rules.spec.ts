import { FRENCH_COMMON_PASSWORDS, PORTAIL_CONTEXT_WORDS } from './common-passwords-fr';
import {
  checkPassword,
  isCommonPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type PasswordContext,
  passwordRulesDescription,
  type PasswordViolationCode,
} from './password-policy.rules';

const JEAN: PasswordContext = { login: 'jean.dupont', displayName: 'DUPONT JEAN', email: 'jean.dupont@example.fr' };
const NO_CONTEXT: PasswordContext = { login: 'x1' };

function codes(password: string, context: PasswordContext = JEAN): PasswordViolationCode[] {
  return checkPassword(password, context).map((violation) => violation.code);
}

/** A passphrase of exactly `length` code points that meets every other rule. */
function passphrase(length: number): string {
  const words = 'Le-Cheval-Bleu-Galope-Vers-Peaugres-En-Juillet-7-';
  let text = '';
  while ([...text].length < length) text += words;
  return [...text].slice(0, length).join('');
}

describe('password policy', () => {
  it('accepts a good password', () => {
    expect(checkPassword('Ch3val-Bleu-Lavande', JEAN)).toEqual([]);
    expect(checkPassword('Tournesol42', JEAN)).toEqual([]);
  });

  describe('length, in Unicode characters', () => {
    it('refuses fewer than 8 characters (TOO_SHORT) and accepts exactly 8', () => {
      expect(codes('Kq7wXz2')).toEqual(['TOO_SHORT']);
      expect(codes('Kq7wXz2p')).toEqual([]);
      expect(PASSWORD_MIN_LENGTH).toBe(8);
    });

    it('accepts passphrases of 64 and 128 characters and refuses 129 (TOO_LONG), without truncating', () => {
      expect([...passphrase(64)]).toHaveLength(64);
      expect(codes(passphrase(64))).toEqual([]);
      expect([...passphrase(128)]).toHaveLength(128);
      expect(codes(passphrase(128))).toEqual([]);
      expect(codes(passphrase(129))).toEqual(['TOO_LONG']);
      expect(PASSWORD_MAX_LENGTH).toBe(128);
    });

    it('refuses a very long input outright (TOO_LONG) without analysing it', () => {
      expect(codes('a'.repeat(100_000))).toEqual(['TOO_LONG']);
    });

    it('counts accented letters and emoji as one character each', () => {
      // 7 characters but 11 UTF-16 units (each « 🐴 » is two): too short, although `.length` says 11
      expect('Éa1🐴🐴🐴🐴'.length).toBe(11);
      expect([...'Éa1🐴🐴🐴🐴']).toHaveLength(7);
      expect(codes('Éa1🐴🐴🐴🐴')).toEqual(['TOO_SHORT']);
      expect(codes('Éa1🐴🐴🐴🐴🐴')).toEqual([]);
      // 128 characters of which some are emoji (more than 128 UTF-16 units) are still accepted
      const withEmoji = `${passphrase(120)}🐴🐴🐴🐴🐴🐴🐴🐴`;
      expect(withEmoji.length).toBe(136);
      expect(codes(withEmoji)).toEqual([]);
      expect(codes(`${withEmoji}🐴`)).toEqual(['TOO_LONG']);
    });

    it('accepts spaces and any Unicode letters', () => {
      expect(codes('Élan vital de 2026 à Noël')).toEqual([]);
      expect(codes('Ωμέγα-Δέλτα-42')).toEqual([]);
    });
  });

  describe('composition (the commune’s published rules)', () => {
    it('requires an upper-case letter (MISSING_UPPERCASE), in any alphabet', () => {
      expect(codes('ch3val-bleu-lavande')).toEqual(['MISSING_UPPERCASE']);
      expect(codes('élan-vital-2026-É')).toEqual([]);
    });

    it('requires a lower-case letter (MISSING_LOWERCASE)', () => {
      expect(codes('CH3VAL-BLEU-LAVANDE')).toEqual(['MISSING_LOWERCASE']);
    });

    it('requires a digit (MISSING_DIGIT), Unicode decimal digits included', () => {
      expect(codes('Cheval-Bleu-Lavande')).toEqual(['MISSING_DIGIT']);
      expect(codes('Cheval-Bleu-Lavande-٣')).toEqual([]);
    });

    it('reports every rule broken at once, with French messages', () => {
      const violations = checkPassword('abc', NO_CONTEXT);
      expect(violations.map((v) => v.code)).toEqual(['TOO_SHORT', 'MISSING_UPPERCASE', 'MISSING_DIGIT']);
      expect(violations.map((v) => v.message)).toEqual([
        'Le mot de passe doit contenir au moins 8 caractères.',
        'Le mot de passe doit contenir au moins une lettre majuscule.',
        'Le mot de passe doit contenir au moins un chiffre.',
      ]);
    });
  });

  describe('the user’s identifiant, e-mail and name', () => {
    it('refuses the identifiant inside the password, whatever the case (CONTAINS_LOGIN)', () => {
      expect(codes('Jean.Dupont-2026', { login: 'jean.dupont' })).toEqual(['CONTAINS_LOGIN']);
      expect(codes('xxJEAN.DUPONTxx9', { login: 'Jean.Dupont' })).toEqual(['CONTAINS_LOGIN']);
    });

    it('refuses a part of the identifiant (« m.durand » → « durand »)', () => {
      expect(codes('Durand-1975-Kx', { login: 'm.durand' })).toEqual(['CONTAINS_LOGIN']);
    });

    it('refuses the local part of the e-mail, but not its domain', () => {
      expect(codes('Kx-MarieLou77-Vq', { login: 'famille1234', email: 'marielou77@gmail.com' })).toEqual(['CONTAINS_LOGIN']);
      expect(codes('Gmail-Comete-2026', { login: 'famille1234', email: 'marielou77@gmail.com' })).toEqual([]);
      expect(codes('Gmail-Comete-2026', { login: 'marielou77@gmail.com' })).toEqual([]);
    });

    it('ignores identifiants shorter than 3 characters', () => {
      expect(codes('Ab-Kq7wXz2p', { login: 'ab' })).toEqual([]);
    });

    it('refuses the user’s name or first name, accents ignored (CONTAINS_NAME)', () => {
      expect(codes('Kx-Helene-2026', { login: 'famille1234', displayName: 'MARTIN Hélène' })).toEqual(['CONTAINS_NAME']);
      expect(codes('Martin-Kq7w-2026', { login: 'famille1234', displayName: 'MARTIN Hélène' })).toEqual(['CONTAINS_NAME']);
    });

    it('refuses the identifiant of the seed family', () => {
      expect(codes('Dupont1975x')).toEqual(['CONTAINS_LOGIN', 'CONTAINS_NAME']);
    });
  });

  describe('common and breached passwords (COMMON_PASSWORD)', () => {
    it.each(['Azerty123', 'Azerty123!', 'Password1', 'Motdepasse2026', 'Soleil2015', 'Marseille13', 'Doudou2015!', 'Bonjour2024'])(
      'refuses %s',
      (password) => {
        expect(codes(password, NO_CONTEXT)).toEqual(['COMMON_PASSWORD']);
      },
    );

    it('refuses common substitutions and separators (« P@ssw0rd2026 », « Mot de passe 1 »)', () => {
      expect(codes('P@ssw0rd2026', NO_CONTEXT)).toEqual(['COMMON_PASSWORD']);
      expect(codes('Mot de passe 1', NO_CONTEXT)).toEqual(['COMMON_PASSWORD']);
      expect(codes('2026-Azerty', NO_CONTEXT)).toEqual(['COMMON_PASSWORD']);
    });

    it('refuses words of the service itself (« Cantine2026! », « PortailFamille1 »)', () => {
      expect(codes('Cantine2026!', NO_CONTEXT)).toEqual(['COMMON_PASSWORD']);
      expect(codes('PortailFamille1', NO_CONTEXT)).toEqual(['COMMON_PASSWORD']);
    });

    it('refuses a common password even when other rules are met only by decoration', () => {
      expect(isCommonPassword('AZERTY')).toBe(true);
      expect(isCommonPassword('12345678')).toBe(true);
      expect(isCommonPassword('Ch3val-Bleu-Lavande')).toBe(false);
    });

    it('holds every entry of the French list, lower-case', () => {
      expect(FRENCH_COMMON_PASSWORDS.length).toBeGreaterThanOrEqual(50);
      for (const word of [...FRENCH_COMMON_PASSWORDS, ...PORTAIL_CONTEXT_WORDS]) {
        expect(word).toBe(word.toLowerCase());
        expect(isCommonPassword(word)).toBe(true);
      }
    });

    it('does not refuse a password merely for containing a common word', () => {
      expect(codes('Soleil-Vert-Kayak-7', NO_CONTEXT)).toEqual([]);
    });
  });

  it('describes the rules in French for the API documentation', () => {
    expect(passwordRulesDescription).toEqual(
      expect.arrayContaining(['Au moins 1 majuscule', 'Au moins 1 minuscule', 'Au moins 1 caractère numérique']),
    );
    expect(passwordRulesDescription[0]).toContain('8 caractères minimum');
  });
});
