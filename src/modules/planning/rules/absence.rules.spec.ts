import { DomainError } from '../../../platform/domain/domain-error';
import { eachDay } from '../calendar/local-date';
import { type AbsencePolicy, DEFAULT_ABSENCE_POLICY } from '../planning.types';
import { certificateDeadline, decideAbsence, formatPenaltyFr } from './absence.rules';

const policy = DEFAULT_ABSENCE_POLICY; // 72 h, 10 days, 09:00, 3.75 €

describe('decideAbsence', () => {
  describe('reported by 09:00 the same day', () => {
    it('08:59 (Paris) on the day: excused', () => {
      // given an absence on Monday 16 November 2026, when declared at 08:59 that day
      const [day] = decideAbsence({ days: ['2026-11-16'], declaredAt: '2026-11-16T07:59:00.000Z', policy });
      // then it is excused
      expect(day).toMatchObject({ date: '2026-11-16', outcome: 'excused', reason: 'REPORTED_IN_TIME' });
      expect(day.message).toBe(
        "Absence du lundi 16 novembre 2026 signalée le lundi 16 novembre 2026 à 08:59, au plus tard à 09:00 le jour même : elle n'est pas facturée.",
      );
    });

    it('09:00:00 exactly: excused', () => {
      expect(decideAbsence({ days: ['2026-11-16'], declaredAt: '2026-11-16T08:00:00.000Z', policy })[0].outcome).toBe('excused');
    });

    it('09:01: billed, with the penalty', () => {
      const [day] = decideAbsence({ days: ['2026-11-16'], declaredAt: '2026-11-16T08:01:00.000Z', policy });
      expect(day).toEqual({
        date: '2026-11-16',
        outcome: 'billed',
        reason: 'NOT_REPORTED_IN_TIME',
        penalty: { kind: 'flat', cents: 375 },
        message:
          'Absence du lundi 16 novembre 2026 signalée le lundi 16 novembre 2026 à 09:01, après 09:00 le jour même : elle est facturée (pénalité : 3,75 €).',
      });
    });

    it('in summer time too (09:00 CEST = 07:00 UTC)', () => {
      expect(decideAbsence({ days: ['2027-06-14'], declaredAt: '2027-06-14T06:59:00.000Z', policy })[0].outcome).toBe('excused');
      expect(decideAbsence({ days: ['2027-06-14'], declaredAt: '2027-06-14T07:01:00.000Z', policy })[0].outcome).toBe('billed');
    });

    it('a period declared on its first day at 10:00: the first day is billed, the next ones excused', () => {
      const days = decideAbsence({ days: ['2026-11-16', '2026-11-17', '2026-11-18'], declaredAt: '2026-11-16T09:00:00.000Z', policy });
      expect(days.map((d) => [d.date, d.outcome])).toEqual([
        ['2026-11-16', 'billed'],
        ['2026-11-17', 'excused'],
        ['2026-11-18', 'excused'],
      ]);
    });
  });

  describe('medical certificate within 72 h of the start of the first day, at most 10 days', () => {
    const declaredLate = '2026-11-16T10:00:00.000Z'; // Monday 11:00: too late to be excused by reporting

    it('the 72 h count from 00:00 Paris on the first day', () => {
      expect(certificateDeadline('2026-11-16', policy)).toBe('2026-11-18T23:00:00.000Z');
    });

    it('exactly 72 h: excused', () => {
      const [day] = decideAbsence({
        days: ['2026-11-16'],
        declaredAt: declaredLate,
        certificate: { reference: 'CM-2026-118', providedAt: '2026-11-18T23:00:00.000Z' },
        policy,
      });
      expect(day).toMatchObject({ outcome: 'excused', reason: 'CERTIFICATE' });
      expect(day.message).toBe(
        'Absence du lundi 16 novembre 2026 excusée : certificat médical CM-2026-118 fourni le jeudi 19 novembre 2026 à 00:00, dans les 72 h.',
      );
    });

    it('72 h and one second: billed, saying the certificate was too late', () => {
      const [day] = decideAbsence({
        days: ['2026-11-16'],
        declaredAt: declaredLate,
        certificate: { reference: 'CM-2026-118', providedAt: '2026-11-18T23:00:01.000Z' },
        policy,
      });
      expect(day).toMatchObject({ outcome: 'billed', reason: 'CERTIFICATE_TOO_LATE' });
      expect(day.message).toContain("plus de 72 h après le début de l'absence (au plus tard le jeudi 19 novembre 2026 à 00:00)");
    });

    it('excuses 10 calendar days from the first day, not the 11th', () => {
      const days = eachDay('2026-11-16', '2026-11-26'); // 11 days
      const decisions = decideAbsence({
        days,
        declaredAt: '2026-11-16T10:00:00.000Z',
        certificate: { reference: 'CM-1', providedAt: '2026-11-17T09:00:00.000Z' },
        policy,
      });
      expect(decisions.slice(0, 10).every((d) => d.outcome === 'excused' && d.reason === 'CERTIFICATE')).toBe(true);
      // the 11th day was declared before it began, so reporting excuses it anyway
      expect(decisions[10]).toMatchObject({ date: '2026-11-26', outcome: 'excused', reason: 'REPORTED_IN_TIME' });
    });

    it('the 11th day of a certificate is billed when it was not reported in time either', () => {
      const days = eachDay('2026-11-16', '2026-11-26');
      const decisions = decideAbsence({
        days,
        declaredAt: '2026-11-27T10:00:00.000Z', // declared afterwards
        certificate: { reference: 'CM-1', providedAt: '2026-11-17T09:00:00.000Z' },
        policy,
      });
      expect(decisions.filter((d) => d.outcome === 'excused')).toHaveLength(10);
      expect(decisions[10]).toMatchObject({ date: '2026-11-26', outcome: 'billed', reason: 'CERTIFICATE_LIMIT_EXCEEDED' });
      expect(decisions[10].message).toContain("au plus 10 jours (jusqu'au mercredi 25 novembre 2026)");
    });

    it('orders and de-duplicates the days, and refuses an empty or invalid list', () => {
      const decisions = decideAbsence({ days: ['2026-11-18', '2026-11-16', '2026-11-18'], declaredAt: '2026-11-15T10:00:00.000Z', policy });
      expect(decisions.map((d) => d.date)).toEqual(['2026-11-16', '2026-11-18']);
      expect(() => decideAbsence({ days: [], declaredAt: '2026-11-15T10:00:00.000Z', policy })).toThrow(DomainError);
      expect(() => decideAbsence({ days: ['2026-02-30'], declaredAt: '2026-11-15T10:00:00.000Z', policy })).toThrow(DomainError);
    });
  });

  it('follows a commune policy (48 h, 5 days, 08:30, 50 %)', () => {
    const strict: AbsencePolicy = {
      certificateWithinHours: 48,
      maxExcusedDaysPerCertificate: 5,
      reportBy: '08:30',
      penalty: { kind: 'percent', percent: 50 },
    };
    const [late] = decideAbsence({ days: ['2026-11-16'], declaredAt: '2026-11-16T07:31:00.000Z', policy: strict });
    expect(late).toMatchObject({ outcome: 'billed', penalty: { kind: 'percent', percent: 50 } });
    expect(late.message).toContain('pénalité : 50 % du prix');
  });
});

describe('formatPenaltyFr', () => {
  it.each([
    [{ kind: 'flat', cents: 375 } as const, '3,75 €'],
    [{ kind: 'flat', cents: 1000 } as const, '10,00 €'],
    [{ kind: 'percent', percent: 12.5 } as const, '12,5 % du prix'],
  ])('%j → %s', (penalty, text) => {
    expect(formatPenaltyFr(penalty)).toBe(text);
  });
});
