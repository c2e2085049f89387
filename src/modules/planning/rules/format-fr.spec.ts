import { formatDateFr, formatInstantFr, formatPeriodFr } from './format-fr';

describe('French date wording', () => {
  it.each([
    ['2026-04-15', 'mercredi 15 avril 2026'],
    ['2026-04-01', 'mercredi 1er avril 2026'],
    ['2027-08-15', 'dimanche 15 août 2027'],
    ['2027-02-01', 'lundi 1er février 2027'],
    ['2026-12-31', 'jeudi 31 décembre 2026'],
  ])('formatDateFr(%s) → « %s »', (date, text) => {
    expect(formatDateFr(date)).toBe(text);
  });

  it.each([
    ['2026-04-09T10:00:00.000Z', 'jeudi 9 avril 2026 à 12:00'], // CEST
    ['2026-11-10T22:59:00.000Z', 'mardi 10 novembre 2026 à 23:59'], // CET
    ['2026-12-31T23:30:00.000Z', 'vendredi 1er janvier 2027 à 00:30'], // the Paris day, not the UTC one
    ['2027-03-28T01:30:00.000Z', 'dimanche 28 mars 2027 à 03:30'], // just after the spring change
    ['2026-10-25T00:30:00.000Z', 'dimanche 25 octobre 2026 à 02:30'], // first 02:30 (CEST)
    ['2026-10-25T01:30:00.000Z', 'dimanche 25 octobre 2026 à 02:30'], // second 02:30 (CET)
  ])('formatInstantFr(%s) → « %s »', (instant, text) => {
    expect(formatInstantFr(instant)).toBe(text);
  });

  it('words a period or a single day', () => {
    expect(formatPeriodFr('2026-10-17', '2026-11-01')).toBe('du samedi 17 octobre 2026 au dimanche 1er novembre 2026');
    expect(formatPeriodFr('2026-11-20', '2026-11-20')).toBe('le vendredi 20 novembre 2026');
  });
});
