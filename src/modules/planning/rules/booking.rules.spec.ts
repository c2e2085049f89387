import { officialSchoolCalendar } from '../calendar/official-school-calendar';
import { isPublicHoliday } from '../calendar/public-holidays';
import { adjustCalendar } from '../calendar/school-calendar';
import type { Activity, BookingWindow, Closure } from '../planning.types';
import { type BookingCheckInput, checkBooking, checkCancellation, selectBookingWindow } from './booking.rules';
import { alshMercredi, alshVacances, garderieMatin, restauration } from './test-fixtures';

/** A calendar with the school year 2025-2026 added, so that the DOMAIN.md example of April 2026 applies. */
const calendar = adjustCalendar(officialSchoolCalendar('C'), [
  { type: 'set-school-year', schoolYear: { id: '2025-2026', start: '2025-09-01', end: '2026-08-31' } },
]);

const given = (overrides: Partial<BookingCheckInput>): BookingCheckInput => ({
  activity: alshMercredi,
  date: '2026-11-18',
  now: '2026-11-01T10:00:00.000Z',
  enrolled: true,
  familyCategory: 'resident',
  calendar,
  closures: [],
  isPublicHoliday: (d) => isPublicHoliday(d),
  ...overrides,
});

describe('checkBooking', () => {
  it('accepts a day within the rules and gives its deadline', () => {
    // given an enrolled child, when booking Wednesday 18 November 2026 on 1 November
    const result = checkBooking(given({}));
    // then it is accepted, bookable until Thursday 12 November 12:00
    expect(result).toEqual({ ok: true, deadline: '2026-11-12T11:00:00.000Z' });
  });

  it('NOT_ENROLLED comes first', () => {
    const result = checkBooking(given({ enrolled: false, date: '2026-11-21' }));
    expect(result).toMatchObject({ ok: false, code: 'NOT_ENROLLED' });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.message).toBe(
      "Votre enfant n'est pas inscrit à l'activité « ALSH Mercredi après-midi » pour l'année scolaire 2026-2027 : la réservation du samedi 21 novembre 2026 n'est pas possible. Faites d'abord une demande d'inscription.",
    );
  });

  it('OUTSIDE_SCHOOL_YEAR for a day in no school year of the calendar', () => {
    const result = checkBooking(given({ date: '2028-09-06' }));
    expect(result).toMatchObject({ ok: false, code: 'OUTSIDE_SCHOOL_YEAR' });
    if (!result.ok)
      expect(result.message).toBe(
        'Le mercredi 6 septembre 2028 est en dehors des années scolaires ouvertes aux réservations (2025-2026, 2026-2027, 2027-2028).',
      );
  });

  describe('ACTIVITY_NOT_RUNNING', () => {
    it('on a weekend', () => {
      const result = checkBooking(given({ date: '2026-11-21' }));
      expect(result).toMatchObject({ ok: false, code: 'ACTIVITY_NOT_RUNNING', details: { reason: 'weekend' } });
      if (!result.ok)
        expect(result.message).toBe("Le samedi 21 novembre 2026 est un week-end : l'activité « ALSH Mercredi après-midi » n'a pas lieu.");
    });

    it('on a public holiday, named', () => {
      const result = checkBooking(given({ activity: restauration, date: '2027-03-29', now: '2027-03-01T10:00:00.000Z' }));
      expect(result).toMatchObject({ ok: false, code: 'ACTIVITY_NOT_RUNNING', details: { reason: 'public-holiday' } });
      if (!result.ok) {
        expect(result.message).toBe(
          "Le lundi 29 mars 2027 est un jour férié (Lundi de Pâques) : l'activité « Restauration scolaire » n'a pas lieu.",
        );
      }
    });

    it('in holidays the activity does not run in (zone C winter holidays)', () => {
      const result = checkBooking(given({ date: '2027-02-10', now: '2027-01-10T10:00:00.000Z' }));
      expect(result).toMatchObject({
        ok: false,
        code: 'ACTIVITY_NOT_RUNNING',
        details: { reason: 'petites-vacances', holiday: "Vacances d'Hiver" },
      });
      if (!result.ok) {
        expect(result.message).toBe(
          "Le mercredi 10 février 2027 est pendant les Vacances d'Hiver : l'activité « ALSH Mercredi après-midi » ne fonctionne pas pendant les petites vacances.",
        );
      }
    });

    it('on a day of the week the activity does not run', () => {
      expect(checkBooking(given({ activity: restauration, date: '2026-11-18' }))).toMatchObject({ code: 'ACTIVITY_NOT_RUNNING' });
      expect(checkBooking(given({ activity: alshVacances, date: '2026-11-18' }))).toMatchObject({
        code: 'ACTIVITY_NOT_RUNNING',
        details: { reason: 'wednesday' },
      });
    });
  });

  it('CLOSED, with the reason of the closure', () => {
    const closures: Closure[] = [
      { closureId: 'c1', scope: { facilityId: 'alsh-saint-jean' }, from: '2026-11-18', to: '2026-11-18', reason: 'Journée pédagogique' },
    ];
    const result = checkBooking(given({ closures }));
    expect(result).toMatchObject({ ok: false, code: 'CLOSED', details: { closureId: 'c1' } });
    if (!result.ok) {
      expect(result.message).toBe(
        "La structure est fermée le mercredi 18 novembre 2026 (Journée pédagogique) : la réservation du mercredi 18 novembre 2026 n'est pas possible.",
      );
    }
  });

  describe('booking windows: residents first', () => {
    const summer = { from: '2027-07-03', to: '2027-08-31' };
    const windows: BookingWindow[] = [
      { category: 'resident', opensAt: '2026-08-21T05:00:00.000Z', closesAt: '2027-08-31T21:59:00.000Z' },
      { category: 'non-resident', opensAt: '2026-08-28T05:00:00.000Z', closesAt: '2027-08-31T21:59:00.000Z' },
      // holidays bookable from 6 weeks to 3 weeks before the first day
      {
        category: '*',
        opensAt: '2027-05-22T05:00:00.000Z',
        closesAt: '2027-06-12T05:00:00.000Z',
        appliesTo: summer,
        label: 'Inscriptions été 2027',
      },
    ];
    const activity: Activity = { ...alshMercredi, bookingWindows: windows };

    it('refuses a non-resident before 28 August 07:00 and accepts a resident', () => {
      const now = '2026-08-25T08:00:00.000Z';
      const resident = checkBooking(given({ activity, now, familyCategory: 'resident', date: '2026-09-09' }));
      expect(resident).toMatchObject({ ok: true, window: { category: 'resident' } });
      const other = checkBooking(given({ activity, now, familyCategory: 'non-resident', date: '2026-09-09' }));
      expect(other).toMatchObject({ ok: false, code: 'BOOKING_WINDOW_NOT_OPEN', details: { opensAt: '2026-08-28T05:00:00.000Z' } });
      if (!other.ok) {
        expect(other.message).toBe(
          "Les réservations de l'activité « ALSH Mercredi après-midi » pour le mercredi 9 septembre 2026 ne sont pas encore ouvertes (familles non résidentes) : elles ouvrent le vendredi 28 août 2026 à 07:00.",
        );
      }
    });

    it('opens exactly at the opening instant', () => {
      expect(
        checkBooking(given({ activity, now: '2026-08-28T05:00:00.000Z', familyCategory: 'non-resident', date: '2026-09-09' })),
      ).toMatchObject({
        ok: true,
      });
    });

    it("falls back to the '*' windows, the most specific one covering the day", () => {
      const summerActivity: Activity = { ...alshVacances, bookingWindows: windows };
      // a resident has its own window (category first)
      const resident = checkBooking(given({ activity: summerActivity, date: '2027-07-07', now: '2027-05-01T10:00:00.000Z' }));
      expect(resident).toMatchObject({ ok: true, window: { category: 'resident' } });
      // a family of another category gets the summer window, not yet open
      const other = checkBooking(
        given({ activity: summerActivity, date: '2027-07-07', now: '2027-05-01T10:00:00.000Z', familyCategory: 'commune-voisine' }),
      );
      expect(other).toMatchObject({ ok: false, code: 'BOOKING_WINDOW_NOT_OPEN' });
      if (!other.ok) {
        expect(other.message).toBe(
          "Les réservations de l'activité « ALSH Vacances » pour le mercredi 7 juillet 2027 ne sont pas encore ouvertes (Inscriptions été 2027, toutes les familles) : elles ouvrent le samedi 22 mai 2027 à 07:00.",
        );
      }
    });

    it('BOOKING_WINDOW_CLOSED after the window closes', () => {
      const holidayOnly: Activity = { ...alshVacances, bookingWindows: [windows[2]] };
      const late = checkBooking(given({ activity: holidayOnly, date: '2027-07-07', now: '2027-06-12T05:00:00.000Z' }));
      expect(late).toMatchObject({ ok: false, code: 'BOOKING_WINDOW_CLOSED' });
      if (!late.ok) {
        expect(late.message).toBe(
          "Les réservations de l'activité « ALSH Vacances » pour le mercredi 7 juillet 2027 sont closes (Inscriptions été 2027, toutes les familles) : elles étaient ouvertes du samedi 22 mai 2027 à 07:00 au samedi 12 juin 2027 à 07:00.",
        );
      }
      const before = checkBooking(given({ activity: holidayOnly, date: '2027-07-07', now: '2027-05-22T04:59:59.999Z' }));
      expect(before).toMatchObject({ ok: false, code: 'BOOKING_WINDOW_NOT_OPEN' });
      // a day the window does not govern is not constrained by it
      expect(checkBooking(given({ activity: holidayOnly, date: '2027-02-10', now: '2027-01-10T10:00:00.000Z' }))).toMatchObject({
        ok: true,
      });
    });

    it('refuses a family whose category has no window when others govern the day', () => {
      const residentsOnly: Activity = { ...alshMercredi, bookingWindows: [windows[0]] };
      const result = checkBooking(given({ activity: residentsOnly, familyCategory: 'non-resident' }));
      expect(result).toMatchObject({ ok: false, code: 'BOOKING_WINDOW_NOT_OPEN' });
    });
  });

  describe('DEADLINE_PASSED', () => {
    // The DOMAIN.md example: Wednesday 15 April 2026, bookable until Thursday 9 April 12:00
    const april = { date: '2026-04-15' };

    it('accepts at the deadline itself', () => {
      expect(checkBooking(given({ ...april, now: '2026-04-09T10:00:00.000Z' }))).toEqual({
        ok: true,
        deadline: '2026-04-09T10:00:00.000Z',
      });
    });

    it('refuses one millisecond later, naming the day, the deadline and the rule', () => {
      const result = checkBooking(given({ ...april, now: '2026-04-09T10:00:00.001Z' }));
      expect(result).toMatchObject({ ok: false, code: 'DEADLINE_PASSED', details: { deadline: '2026-04-09T10:00:00.000Z' } });
      if (!result.ok) {
        expect(result.message).toBe(
          "Les réservations pour le mercredi 15 avril 2026 étaient possibles jusqu'au jeudi 9 avril 2026 à 12:00. (Délai de réservation de l'activité « ALSH Mercredi après-midi » : le jeudi de la semaine précédente à 12:00.)",
        );
      }
    });

    it('garderie: the day before 18:00', () => {
      expect(checkBooking(given({ activity: garderieMatin, date: '2026-11-16', now: '2026-11-15T16:59:00.000Z' }))).toMatchObject({
        ok: true,
      });
      const late = checkBooking(given({ activity: garderieMatin, date: '2026-11-16', now: '2026-11-15T17:01:00.000Z' }));
      if (late.ok) throw new Error('expected a refusal');
      expect(late.message).toContain("jusqu'au dimanche 15 novembre 2026 à 18:00");
      expect(late.message).toContain('la veille à 18:00');
    });
  });
});

describe('selectBookingWindow', () => {
  const all: BookingWindow = { category: '*', opensAt: '2026-08-01T00:00:00.000Z', closesAt: '2027-09-01T00:00:00.000Z' };
  const summer: BookingWindow = { ...all, appliesTo: { from: '2027-07-03', to: '2027-08-31' } };
  const july: BookingWindow = { ...all, appliesTo: { from: '2027-07-03', to: '2027-07-31' } };
  const residents: BookingWindow = { ...all, category: 'resident' };

  it('prefers the narrowest covering window', () => {
    expect(selectBookingWindow([all, summer, july], '2027-07-10', 'x')).toEqual({ kind: 'window', window: july });
    expect(selectBookingWindow([all, summer, july], '2027-08-10', 'x')).toEqual({ kind: 'window', window: summer });
    expect(selectBookingWindow([all, summer, july], '2027-03-10', 'x')).toEqual({ kind: 'window', window: all });
  });

  it("prefers the family's category over '*'", () => {
    expect(selectBookingWindow([july, residents], '2027-07-10', 'resident')).toEqual({ kind: 'window', window: residents });
    expect(selectBookingWindow([july, residents], '2027-07-10', 'non-resident')).toEqual({ kind: 'window', window: july });
  });

  it('says when no window governs the day', () => {
    expect(selectBookingWindow([], '2027-07-10', 'resident')).toEqual({ kind: 'none' });
    expect(selectBookingWindow([july], '2027-03-10', 'resident')).toEqual({ kind: 'none' });
  });
});

describe('checkCancellation', () => {
  const input = (activity: Activity, date: string, now: string) => ({
    activity,
    date,
    now,
    isPublicHoliday: (d: string) => isPublicHoliday(d),
  });

  it("uses the activity's cancellation deadline", () => {
    // ALSH Vacances: cancellable until J-7 12:00
    expect(checkCancellation(input(alshVacances, '2027-02-15', '2027-02-08T11:00:00.000Z'))).toEqual({
      ok: true,
      deadline: '2027-02-08T11:00:00.000Z',
    });
    const late = checkCancellation(input(alshVacances, '2027-02-15', '2027-02-08T11:00:01.000Z'));
    expect(late).toMatchObject({ ok: false, code: 'CANCELLATION_DEADLINE_PASSED' });
    if (!late.ok) {
      expect(late.message).toBe(
        "Les annulations pour le lundi 15 février 2027 étaient possibles jusqu'au lundi 8 février 2027 à 12:00. (Délai d'annulation de l'activité « ALSH Vacances » : J-7 à 12:00.) Vous pouvez signaler une absence.",
      );
    }
  });

  it('without a cancellation deadline, allows cancelling until the day begins (00:00 Paris)', () => {
    expect(checkCancellation(input(garderieMatin, '2026-11-16', '2026-11-15T22:59:59.999Z'))).toEqual({
      ok: true,
      deadline: '2026-11-15T23:00:00.000Z',
    });
    const late = checkCancellation(input(garderieMatin, '2026-11-16', '2026-11-15T23:00:00.001Z'));
    if (late.ok) throw new Error('expected a refusal');
    expect(late.message).toContain("jusqu'au lundi 16 novembre 2026 à 00:00");
    expect(late.message).toContain("jusqu'au début de la journée réservée");
  });
});
