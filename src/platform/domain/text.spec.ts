import { bodyId, multiLineText, singleLineText } from './text';

const name = singleLineText(20, 'Prénom');
const note = multiLineText(200, 'Message');

describe('the one rule for text a person writes', () => {
  it('normalises to NFC and trims', () => {
    expect(name.parse('  Zoe\u0301 ')).toBe('Zoé');
    expect(name.parse('Zoé')).toHaveLength(3);
  });

  it.each([
    ['NUL', 'LU\u0000CIE'],
    ['escape', 'A\u001b[31mB'],
    ['a C1 control', 'A\u0085B'],
    ['a right-to-left override', 'facture\u202Efdp.exe'],
    ['a bidi isolate', 'A\u2066B'],
    ['a newline in one line', 'LUCIE\nDUPONT'],
    ['a lone high surrogate', 'A\uD800B'],
    ['a lone low surrogate', 'A\uDC00B'],
  ])('refuses %s with a French message naming the field', (_what, input) => {
    const result = name.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toMatch(/^Prénom : /);
  });

  it('keeps a real surrogate pair (an emoji) and length limits after normalisation', () => {
    expect(name.parse('Léa 🌻')).toBe('Léa 🌻');
    expect(name.safeParse('x'.repeat(21)).success).toBe(false);
    expect(name.safeParse('   ').success).toBe(false);
  });

  it('keeps newlines in a multi-line field (CRLF as LF), and refuses the rest', () => {
    expect(note.parse('Bonjour,\r\nmerci.\n')).toBe('Bonjour,\nmerci.');
    expect(note.safeParse('Bonjour\u0000').success).toBe(false);
    expect(note.safeParse('Bonjour\u202E').success).toBe(false);
    expect(note.safeParse('Bonjour\tmerci').success).toBe(false);
  });

  it('takes ids made of letters, digits, - and _ only', () => {
    expect(bodyId().parse('enfant-lucie-dupont')).toBe('enfant-lucie-dupont');
    expect(bodyId().safeParse('lucie\u0000').success).toBe(false);
    expect(bodyId().safeParse('../etc').success).toBe(false);
  });
});
