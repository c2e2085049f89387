import { clearPublicHolidayCache, computePublicHolidays, isPublicHoliday, publicHolidayName, publicHolidaysOf } from './public-holidays';

describe('public holidays (@socialgouv/jours-feries)', () => {
  it('knows the 11 national holidays of 2027 on their right days', () => {
    expect([...publicHolidaysOf(2027).entries()].sort()).toEqual([
      ['2027-01-01', "Jour de l'an"],
      ['2027-03-29', 'Lundi de Pâques'],
      ['2027-05-01', 'Fête du travail'],
      ['2027-05-06', 'Ascension'],
      ['2027-05-08', 'Victoire des alliés'],
      ['2027-05-17', 'Lundi de Pentecôte'],
      ['2027-07-14', 'Fête Nationale'],
      ['2027-08-15', 'Assomption'],
      ['2027-11-01', 'Toussaint'],
      ['2027-11-11', 'Armistice'],
      ['2027-12-25', 'Noël'],
    ]);
  });

  it('answers for single days: Lundi de Pâques 2027-03-29 and Ascension 2027-05-06', () => {
    expect(isPublicHoliday('2027-03-29')).toBe(true);
    expect(publicHolidayName('2027-03-29')).toBe('Lundi de Pâques');
    expect(isPublicHoliday('2027-05-06')).toBe(true);
    expect(publicHolidayName('2027-05-06')).toBe('Ascension');
    expect(isPublicHoliday('2027-03-28')).toBe(false); // Easter Sunday is not in the list
    expect(isPublicHoliday('2027-03-30')).toBe(false);
    expect(isPublicHoliday('2026-11-11')).toBe(true);
  });

  it('adds Vendredi saint and Saint Étienne for Alsace-Moselle only', () => {
    expect(isPublicHoliday('2027-03-26')).toBe(false);
    expect(isPublicHoliday('2027-03-26', { alsaceMoselle: true })).toBe(true);
    expect(publicHolidayName('2026-12-26', { alsaceMoselle: true })).toBe('Saint Étienne');
    expect(isPublicHoliday('2026-12-26')).toBe(false);
  });

  describe('does not shift days with the process time zone', () => {
    const original = process.env.TZ;
    afterEach(() => {
      process.env.TZ = original;
      clearPublicHolidayCache();
    });

    it.each(['UTC', 'Europe/Paris', 'Pacific/Auckland', 'America/Los_Angeles', 'Australia/Sydney'])('TZ=%s', (tz) => {
      process.env.TZ = tz;
      for (const year of [2026, 2027, 2028]) {
        const days = [...computePublicHolidays(year).keys()].sort();
        expect(days).toHaveLength(11);
        expect(days).toContain(`${year}-01-01`);
        expect(days).toContain(`${year}-12-25`);
      }
      const y2027 = computePublicHolidays(2027);
      expect(y2027.get('2027-03-29')).toBe('Lundi de Pâques');
      expect(y2027.get('2027-05-06')).toBe('Ascension');
      expect(y2027.get('2027-05-17')).toBe('Lundi de Pentecôte');
      expect(computePublicHolidays(2028).get('2028-04-17')).toBe('Lundi de Pâques');
    });
  });
});
