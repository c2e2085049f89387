import { type PlanningGridDocument, planningGridProjection } from '../../../../projections/planning-grid/planning-grid.projection';
import { type GridCellCode, gridDocumentId, type MonthId } from '../../../../projections/planning-grid/planning-grid.types';
import { projectAll } from '../../../../test/support/projection-harness';
import { DomainError } from '../../../platform/domain/domain-error';
import { officialSchoolCalendar } from '../calendar/official-school-calendar';
import { publicHolidaysOf } from '../calendar/public-holidays';
import { adjustCalendar } from '../calendar/school-calendar';
import type { Activity, Closure, Facility, Instant, SchoolCalendar } from '../planning.types';
import { alshMercredi, alshVacances, garderieMatin, restauration as restaurationRule } from '../rules/test-fixtures';
import { absent, allocated, cancelled, EMMA, enrolled, EventLog, FAMILY_ID, LUCAS, ref, requested } from './grid.test-fixtures';
import {
  buildFamilyView,
  buildGridView,
  type BuildGridViewInput,
  type GridActivity,
  type GridCellView,
  type GridRowView,
  type GridView,
} from './planning-grid.view';

// --- the commune: zone C, the seed's structures ---------------------------------------------------------

const ACCUEIL_DE_LOISIRS: Facility = { facilityId: 'alsh-saint-jean', name: 'Accueil de Loisirs', commune: 'SAINT-JEAN' };
const GARDERIE_PERISCOLAIRE: Facility = { facilityId: 'ecole-jules-ferry', name: 'Garderie périscolaire', commune: 'SAINT-JEAN' };
/** The morning garderie, validated by staff (the seed's ⌚ « Réserve en cours de traitement »). */
const garderieStaff: Activity = { ...garderieMatin, validation: 'staff' };
/** The canteen: booked and cancelled by « le mardi 23:59 pour la semaine suivante » (DOMAIN.md). */
const restauration: Activity = { ...restaurationRule, cancellationDeadline: { kind: 'weekday-previous-week', weekday: 2, time: '23:59' } };

const ZONE_C = officialSchoolCalendar('C');
const HOLIDAYS_2027 = [...publicHolidaysOf(2027).keys()];

function catalogue(closures: Closure[] = []): Record<string, GridActivity> {
  const entry = (activity: Activity, facility: Facility): GridActivity => ({
    activity,
    facility,
    closures: closures.filter((c) =>
      'facilityId' in c.scope ? c.scope.facilityId === facility.facilityId : c.scope.activityId === activity.activityId,
    ),
  });
  return {
    [alshMercredi.activityId]: entry(alshMercredi, ACCUEIL_DE_LOISIRS),
    [alshVacances.activityId]: entry(alshVacances, ACCUEIL_DE_LOISIRS),
    [garderieStaff.activityId]: entry(garderieStaff, GARDERIE_PERISCOLAIRE),
    [restauration.activityId]: entry(restauration, GARDERIE_PERISCOLAIRE),
  };
}

/** Lucas's enrolments for 2026-2027. */
function enrolledLog(): EventLog {
  return new EventLog()
    .planning(enrolled(LUCAS, alshMercredi.activityId, [3]))
    .planning(enrolled(LUCAS, alshVacances.activityId))
    .planning(enrolled(LUCAS, garderieStaff.activityId, [1, 2]))
    .planning(enrolled(LUCAS, restauration.activityId, [1, 2, 4, 5]));
}

let requestCount = 0;
/** Lucas books `date`; the allocator gives the place (held for staff when `staff`), staff accept when `accepted`. */
function book(
  log: EventLog,
  activityId: string,
  date: string,
  outcome: 'booked' | 'awaiting-staff' | 'requested' = 'booked',
  childId = LUCAS,
): string {
  requestCount += 1;
  const requestId = `req-${requestCount}`;
  const staff = activityId === garderieStaff.activityId || activityId === alshVacances.activityId;
  log.planning(requested(requestId, childId, activityId, date, staff ? 'staff' : 'automatic'));
  if (outcome === 'requested') return requestId;
  log.allocation(activityId, date, allocated(ref(requestId, childId), staff, requestCount));
  if (staff && outcome === 'booked') {
    log.allocation(activityId, date, {
      type: 'RequestAcceptedByStaff',
      data: { ...ref(requestId, childId), acceptedAt: '2027-03-02T10:00:00.000Z', acceptedBy: 'agent-1' },
    });
  }
  return requestId;
}

function documentOf(log: EventLog, month: MonthId, childId = LUCAS): PlanningGridDocument | null {
  return projectAll(planningGridProjection, log.events).get(gridDocumentId(FAMILY_ID, childId, month)) ?? null;
}

function view(
  log: EventLog,
  month: MonthId,
  now: Instant,
  options: { calendar?: SchoolCalendar; closures?: Closure[]; childId?: string; activities?: Record<string, GridActivity> } = {},
): GridView {
  const childId = options.childId ?? LUCAS;
  const input: BuildGridViewInput = {
    familyId: FAMILY_ID,
    childId,
    document: documentOf(log, month, childId),
    month,
    calendar: options.calendar ?? ZONE_C,
    publicHolidays: HOLIDAYS_2027,
    activities: options.activities ?? catalogue(options.closures),
    familyCategory: 'resident',
    now,
  };
  return buildGridView(input);
}

function row(grid: GridView, activityId: string): GridRowView {
  const found = grid.rows.find((r) => r.activityId === activityId);
  if (!found) throw new Error(`no row ${activityId}`);
  return found;
}

function cell(grid: GridView, activityId: string, date: string): GridCellView {
  const found = row(grid, activityId).cells.find((c) => c.date === date);
  if (!found) throw new Error(`no cell ${date}`);
  return found;
}

/** A row as the seed draws it: ✓ booked, ⌚ pending, ✗ refused, ? requested or waiting, A absent, X Fermeture, F/P/G, '.' nothing. */
const SYMBOLS: Record<GridCellCode, string> = {
  '': '.',
  Réservé: '✓',
  Régulier: '✓',
  'Réservation hors contrat': '✓',
  'Heure hors contrat': 'H',
  Congé: 'C',
  Erreur: 'E',
  'Absence à vérifier': 'A',
  'Absent excusé': 'A',
  'Absent facturé': 'A',
  Fermeture: 'X',
  F: 'F',
  P: 'P',
  G: 'G',
  'Demande en attente': '?',
  'Réserve en cours de traitement': '⌚',
  'Réserve refusée': '✗',
  'Absence en cours de traitement': '⌚',
};
const draw = (r: GridRowView): string => r.cells.map((c) => SYMBOLS[c.code]).join('');

describe('planning grid view', () => {
  describe("the seed's example, in April 2027 (zone C: spring holidays 3 → 18 April)", () => {
    const log = enrolledLog();
    book(log, alshMercredi.activityId, '2027-04-21');
    book(log, alshMercredi.activityId, '2027-04-28');
    for (const day of ['12', '13', '14', '15', '16']) book(log, alshVacances.activityId, `2027-04-${day}`);
    for (const day of ['01', '02', '20']) book(log, garderieStaff.activityId, `2027-04-${day}`, 'awaiting-staff');
    book(log, garderieStaff.activityId, '2027-04-22');
    for (const day of ['01', '02', '19', '20', '22', '26']) book(log, restauration.activityId, `2027-04-${day}`);
    book(log, restauration.activityId, '2027-04-23', 'requested');
    const NOW = '2027-03-25T09:00:00.000Z'; // Thursday 25 March 2027, 10:00 in Paris
    const grid = view(log, '2027-04', NOW);

    it('has a column per day and month-by-month navigation', () => {
      expect(grid).toMatchObject({
        month: '2027-04',
        label: 'Avril 2027',
        previousMonth: '2027-03',
        nextMonth: '2027-05',
        today: '2027-03-25',
      });
      expect(grid.days).toHaveLength(30);
      expect(grid.days.slice(0, 5).map((d) => d.label)).toEqual(['Je 01', 'Ve 02', 'Sa 03', 'Di 04', 'Lu 05']);
      expect(grid.days[2]).toEqual({ date: '2027-04-03', label: 'Sa 03', weekday: 6, weekend: true });
    });

    it('draws a row per activity, « Structure » then activity, as the seed does', () => {
      expect(grid.rows.map((r) => r.label)).toEqual([
        'Accueil de Loisirs ALSH Mercredi après-midi',
        'Accueil de Loisirs ALSH Vacances',
        'Garderie périscolaire Garderie matin',
        'Garderie périscolaire Restauration scolaire',
      ]);
      // Activities that do not run in the holidays show P on every day of them, weekends included;
      // the holiday activity runs then, and has no service in term time.
      expect(grid.rows.map(draw)).toEqual([
        '..' + 'P'.repeat(16) + '..✓......✓..',
        '.'.repeat(11) + '✓✓✓✓✓' + '.'.repeat(14),
        '⌚⌚' + 'P'.repeat(16) + '.⌚.✓........',
        '✓✓' + 'P'.repeat(16) + '✓✓.✓?..✓....',
      ]);
    });

    it('names each state with the legend: Régulier on a contract day, Réservation hors contrat off it', () => {
      expect(cell(grid, restauration.activityId, '2027-04-01')).toMatchObject({ code: 'Régulier', legend: 'Régulier', status: 'booked' });
      expect(cell(grid, alshMercredi.activityId, '2027-04-21').code).toBe('Régulier');
      expect(cell(grid, garderieStaff.activityId, '2027-04-22').code).toBe('Réservation hors contrat');
      expect(cell(grid, alshVacances.activityId, '2027-04-12').code).toBe('Réservé');
      expect(cell(grid, garderieStaff.activityId, '2027-04-20')).toMatchObject({
        code: 'Réserve en cours de traitement',
        detail: 'Place réservée, en attente de validation par le service.',
      });
      expect(cell(grid, restauration.activityId, '2027-04-23')).toMatchObject({ code: 'Demande en attente', status: 'requested' });
      expect(cell(grid, restauration.activityId, '2027-04-07')).toMatchObject({
        code: 'P',
        legend: 'Petites vacances',
        detail: 'Vacances de Printemps',
        runs: false,
        actions: {},
      });
      expect(cell(grid, alshVacances.activityId, '2027-04-19')).toMatchObject({ code: '', runs: false, actions: {} });
    });

    it('a booked day before its cancellation deadline can be cancelled until then, and the child declared absent', () => {
      const requestId = cell(grid, restauration.activityId, '2027-04-19').requestId;
      expect(cell(grid, restauration.activityId, '2027-04-19').actions).toEqual({
        // « le mardi 23:59 pour la semaine suivante »: Tuesday 13 April 23:59 in Paris (UTC+2)
        cancel: { requestId, until: '2027-04-13T21:59:00.000Z' },
        declareAbsence: { requestId, reportBy: '2027-04-19T07:00:00.000Z' },
      });
      // the Wednesday centre: Thursday 15 April 12:00 for Wednesday 21
      expect(cell(grid, alshMercredi.activityId, '2027-04-21').actions.cancel?.until).toBe('2027-04-15T10:00:00.000Z');
      // no cancellation deadline: until the day begins
      expect(cell(grid, garderieStaff.activityId, '2027-04-20').actions).toEqual({
        cancel: { requestId: cell(grid, garderieStaff.activityId, '2027-04-20').requestId, until: '2027-04-19T22:00:00.000Z' },
      });
      // a request not yet allocated can be cancelled too
      expect(cell(grid, restauration.activityId, '2027-04-23').actions.cancel?.until).toBe('2027-04-13T21:59:00.000Z');
    });

    it('a booked day past its cancellation deadline can no longer be cancelled: only an absence can be declared', () => {
      // Thursday 1 April closed for cancellations on Tuesday 23 March 23:59
      expect(cell(grid, restauration.activityId, '2027-04-01').actions).toEqual({
        declareAbsence: { requestId: cell(grid, restauration.activityId, '2027-04-01').requestId, reportBy: '2027-04-01T07:00:00.000Z' },
      });
    });

    it('an empty day the activity runs on can be booked until its booking deadline', () => {
      expect(cell(grid, restauration.activityId, '2027-04-27')).toMatchObject({
        code: '',
        runs: true,
        actions: { book: { until: '2027-04-20T21:59:00.000Z' } },
      });
      expect(cell(grid, restauration.activityId, '2027-04-27').status).toBeUndefined();
      // no booking on weekends, holidays the activity does not run in, or days it never runs on
      expect(cell(grid, restauration.activityId, '2027-04-24').actions).toEqual({});
      expect(cell(grid, restauration.activityId, '2027-04-21').actions).toEqual({});
      // once the deadline is over, no more booking: the cell says until when it was possible
      const later = view(log, '2027-04', '2027-04-21T08:00:00.000Z');
      expect(cell(later, restauration.activityId, '2027-04-27').actions).toEqual({
        bookingClosed: {
          code: 'DEADLINE_PASSED',
          deadline: '2027-04-20T21:59:00.000Z',
          message: expect.stringContaining('20 avril 2027 à 23:59'),
        },
      });
      expect(Object.keys(cell(later, restauration.activityId, '2027-04-30').actions)).toEqual(['bookingClosed']);
    });

    it('past days can no longer be declared absent', () => {
      const later = view(log, '2027-04', '2027-04-20T08:00:00.000Z');
      expect(cell(later, restauration.activityId, '2027-04-19').actions).toEqual({});
      expect(cell(later, restauration.activityId, '2027-04-20').actions.declareAbsence?.reportBy).toBe('2027-04-20T07:00:00.000Z');
    });
  });

  describe('public holidays: May 2027', () => {
    const log = enrolledLog();
    book(log, restauration.activityId, '2027-05-07');
    const NOW = '2027-04-25T10:00:00.000Z';

    it('shows F on every public holiday, weekends included, with its name', () => {
      const grid = view(log, '2027-05', NOW);
      const cantine = row(grid, restauration.activityId);
      expect(cantine.cells.filter((c) => c.code === 'F').map((c) => [c.date, c.detail])).toEqual([
        ['2027-05-01', 'Fête du travail'],
        ['2027-05-06', 'Ascension'],
        ['2027-05-08', 'Victoire des alliés'],
        ['2027-05-17', 'Lundi de Pentecôte'],
      ]);
      expect(cell(grid, restauration.activityId, '2027-05-06')).toMatchObject({ legend: 'Jour férié', runs: false, actions: {} });
      // every row shows them, even an activity that would not run on a school day
      expect(cell(grid, alshVacances.activityId, '2027-05-06').code).toBe('F');
      expect(cell(grid, restauration.activityId, '2027-05-03').actions.book).toEqual({ until: '2027-04-27T21:59:00.000Z' });
    });

    it('a change of the holidays reaches the grid without touching the document: the « pont de l’Ascension »', () => {
      const before = view(log, '2027-05', NOW);
      expect(cell(before, restauration.activityId, '2027-05-07')).toMatchObject({ code: 'Régulier', runs: true });
      const withBridge = adjustCalendar(ZONE_C, [
        { type: 'add-holiday', holiday: { name: "Pont de l'Ascension", kind: 'petites', from: '2027-05-07', to: '2027-05-09' } },
      ]);
      const after = view(log, '2027-05', NOW, { calendar: withBridge });
      expect(cell(after, garderieStaff.activityId, '2027-05-07')).toMatchObject({ code: 'P', detail: "Pont de l'Ascension", runs: false });
      // the day was booked before the change: it shows « Erreur » (a booking on a day off), flagged, and can
      // still be cancelled
      const booked = cell(after, restauration.activityId, '2027-05-07');
      expect(booked).toMatchObject({ code: 'Erreur', status: 'booked', conflict: true });
      expect(booked.detail).toMatch(/Petites vacances/);
      expect(booked.actions).toEqual({ cancel: { requestId: booked.requestId, until: '2027-04-27T21:59:00.000Z' } });
      // the holiday activity now runs that Friday and can be booked
      expect(cell(after, alshVacances.activityId, '2027-05-07')).toMatchObject({ code: '', runs: true });
      expect(cell(after, alshVacances.activityId, '2027-05-07').actions.book).toBeDefined();
    });
  });

  it('winter holidays of zone C (6 → 21 February 2027): P for the term-time activities, open days for the holiday centre', () => {
    const grid = view(enrolledLog(), '2027-02', '2027-01-10T10:00:00.000Z');
    expect(draw(row(grid, restauration.activityId))).toBe('.....' + 'P'.repeat(16) + '.......');
    expect(cell(grid, restauration.activityId, '2027-02-08')).toMatchObject({ code: 'P', detail: "Vacances d'Hiver" });
    expect(draw(row(grid, alshVacances.activityId))).toBe('.'.repeat(28));
    expect(cell(grid, alshVacances.activityId, '2027-02-08')).toMatchObject({ code: '', runs: true });
    // « J-2, week-end non compté, 12:00 »: Monday 8 February closes on Thursday 4 February 12:00
    expect(cell(grid, alshVacances.activityId, '2027-02-08').actions).toEqual({ book: { until: '2027-02-04T11:00:00.000Z' } });
  });

  describe('closures', () => {
    const CLOSURE: Closure = {
      closureId: 'c1',
      scope: { facilityId: GARDERIE_PERISCOLAIRE.facilityId },
      from: '2027-05-10',
      to: '2027-05-11',
      reason: 'Journée pédagogique',
    };

    it('a catalogue closure shows « Fermeture » on every activity of the facility, with its reason, and nothing can be booked', () => {
      const log = enrolledLog();
      book(log, restauration.activityId, '2027-05-10');
      const grid = view(log, '2027-05', '2027-04-25T10:00:00.000Z', { closures: [CLOSURE] });
      for (const activityId of [restauration.activityId, garderieStaff.activityId]) {
        expect(cell(grid, activityId, '2027-05-11')).toMatchObject({
          code: 'Fermeture',
          legend: 'Fermeture',
          detail: 'Journée pédagogique',
          runs: false,
          actions: {},
        });
      }
      // the other facility is open
      expect(cell(grid, alshMercredi.activityId, '2027-05-12')).toMatchObject({ code: '', runs: true });
      // a day booked before the closure shows it at once (the allocator's release follows)
      expect(cell(grid, restauration.activityId, '2027-05-10')).toMatchObject({ code: 'Fermeture', status: 'booked', conflict: true });
    });

    it('a day released by a closure stays « Fermeture » even once the catalogue no longer lists the closure', () => {
      const log = enrolledLog();
      const requestId = book(log, restauration.activityId, '2027-05-10');
      log.allocation(restauration.activityId, '2027-05-10', {
        type: 'PlaceReleased',
        data: { ...ref(requestId), reason: 'closure', closureReason: 'Journée pédagogique' },
      });
      const grid = view(log, '2027-05', '2027-04-25T10:00:00.000Z');
      expect(cell(grid, restauration.activityId, '2027-05-10')).toMatchObject({
        code: 'Fermeture',
        detail: 'Journée pédagogique',
        status: 'closed',
        actions: {},
      });
    });
  });

  describe('the other states of the legend', () => {
    const NOW = '2027-03-25T09:00:00.000Z';

    it('Réserve refusée with its reason; nothing to do on the day', () => {
      const log = enrolledLog();
      const requestId = book(log, garderieStaff.activityId, '2027-04-26', 'awaiting-staff');
      log.allocation(garderieStaff.activityId, '2027-04-26', {
        type: 'RequestRefusedByStaff',
        data: { ...ref(requestId), reason: 'Dossier sanitaire incomplet', refusedAt: NOW, refusedBy: 'agent-1' },
      });
      expect(cell(view(log, '2027-04', NOW), garderieStaff.activityId, '2027-04-26')).toMatchObject({
        code: 'Réserve refusée',
        legend: 'Réserve refusée',
        detail: 'Motif : Dossier sanitaire incomplet',
        actions: {},
      });
    });

    it('Demande en attente on the waiting list (with the rank), then a place offered to answer before its deadline', () => {
      const log = enrolledLog();
      const requestId = book(log, restauration.activityId, '2027-04-26', 'requested');
      log.allocation(restauration.activityId, '2027-04-26', {
        type: 'RequestWaitListed',
        data: { ...ref(requestId), position: 5, validation: 'automatic', rank: 2 },
      });
      const waiting = cell(view(log, '2027-04', NOW), restauration.activityId, '2027-04-26');
      expect(waiting).toMatchObject({
        code: 'Demande en attente',
        detail: "Complet : demande en liste d'attente (rang 2).",
        status: 'waiting',
      });
      expect(waiting.actions).toEqual({ cancel: { requestId, until: '2027-04-20T21:59:00.000Z' } });

      log.allocation(restauration.activityId, '2027-04-26', {
        type: 'PlaceOffered',
        data: { ...ref(requestId), offeredAt: NOW, expiresAt: '2027-03-27T09:00:00.000Z' },
      });
      const offered = cell(view(log, '2027-04', NOW), restauration.activityId, '2027-04-26');
      expect(offered).toMatchObject({
        code: 'Demande en attente',
        detail: 'Une place vous est proposée : répondez avant le samedi 27 mars 2027 à 10:00.',
        actions: { answerOffer: { requestId, until: '2027-03-27T09:00:00.000Z' } },
      });
      expect(
        cell(view(log, '2027-04', '2027-03-27T09:00:00.000Z'), restauration.activityId, '2027-04-26').actions.answerOffer,
      ).toBeUndefined();
    });

    it('Absent excusé, Absent facturé and Absence en cours de traitement, with nothing more to do', () => {
      const log = enrolledLog();
      for (const day of ['19', '20', '22']) book(log, restauration.activityId, `2027-04-${day}`);
      log.planning(
        absent('a1', LUCAS, restauration.activityId, [
          { date: '2027-04-19', outcome: 'excused' },
          { date: '2027-04-20', outcome: 'billed' },
          { date: '2027-04-22', outcome: 'to-verify' },
        ]),
      );
      const grid = view(log, '2027-04', NOW);
      expect(['19', '20', '22'].map((day) => cell(grid, restauration.activityId, `2027-04-${day}`).code)).toEqual([
        'Absent excusé',
        'Absent facturé',
        'Absence en cours de traitement',
      ]);
      expect(cell(grid, restauration.activityId, '2027-04-19').actions).toEqual({});
    });

    it('attendance: « Heure hors contrat » for a child taken in without a booking that day', () => {
      const log = enrolledLog();
      log.atTime('2027-04-21T10:00:00.000Z').attendance(restauration.activityId, '2027-04-22', 'present');
      const grid = view(log, '2027-04', '2027-04-22T10:00:00.000Z');
      expect(cell(grid, restauration.activityId, '2027-04-22')).toMatchObject({ code: 'Heure hors contrat', legend: 'Heure hors contrat' });
    });

    it('attendance: Absence à vérifier for a booked child noted absent, « Présent » for one who came; nothing more to do', () => {
      const log = enrolledLog();
      for (const day of ['19', '20']) book(log, restauration.activityId, `2027-04-${day}`);
      log
        .atTime('2027-04-20T10:00:00.000Z')
        .attendance(restauration.activityId, '2027-04-19', 'present')
        .attendance(restauration.activityId, '2027-04-20', 'absent');
      const grid = view(log, '2027-04', '2027-04-20T10:00:00.000Z');
      expect(cell(grid, restauration.activityId, '2027-04-19')).toMatchObject({ code: 'Régulier', detail: 'Présent', actions: {} });
      expect(cell(grid, restauration.activityId, '2027-04-20')).toMatchObject({
        code: 'Absence à vérifier',
        legend: 'Absence à vérifier',
        status: 'absence-to-verify',
        actions: {},
      });
    });

    it('a cancelled contract day is a « Congé » and can be booked again; a day whose offer expired is empty but not bookable yet', () => {
      const log = enrolledLog();
      const first = book(log, restauration.activityId, '2027-04-26');
      log.planning(cancelled(first, LUCAS, restauration.activityId, '2027-04-26'));
      const second = book(log, restauration.activityId, '2027-04-27', 'requested');
      log.allocation(
        restauration.activityId,
        '2027-04-27',
        { type: 'RequestWaitListed', data: { ...ref(second), position: 9, validation: 'automatic', rank: 1 } },
        { type: 'PlaceOffered', data: { ...ref(second), offeredAt: NOW, expiresAt: '2027-03-27T09:00:00.000Z' } },
        { type: 'OfferExpired', data: { ...ref(second), expiredAt: '2027-03-27T09:00:00.000Z' } },
        { type: 'PlaceReleased', data: { ...ref(second), reason: 'offer-expired' } },
      );
      const grid = view(log, '2027-04', '2027-03-28T09:00:00.000Z');
      // 2027-04-26 is a Monday of Lucas's canteen contract: cancelled in time, it is a leave
      expect(cell(grid, restauration.activityId, '2027-04-26')).toMatchObject({
        code: 'Congé',
        status: 'cancelled',
        actions: { book: { until: '2027-04-20T21:59:00.000Z' } },
      });
      expect(cell(grid, restauration.activityId, '2027-04-27')).toMatchObject({ code: '', status: 'released', actions: {} });
      expect(cell(grid, restauration.activityId, '2027-04-27').detail).toContain('délai de réponse');
    });
  });

  describe('rows', () => {
    it('an ended enrolment offers no booking, and its row goes once the month holds nothing of it', () => {
      const log = enrolledLog();
      book(log, alshMercredi.activityId, '2027-04-21');
      log.planning({
        type: 'EnrolmentEnded',
        data: {
          childId: LUCAS,
          activityId: alshMercredi.activityId,
          schoolYear: '2026-2027',
          endedAt: '2027-03-20T09:00:00.000Z',
          endedBy: 'agent-1',
        },
      });
      const april = view(log, '2027-04', '2027-03-25T09:00:00.000Z');
      expect(row(april, alshMercredi.activityId).enrolled).toBe(false);
      expect(cell(april, alshMercredi.activityId, '2027-04-28').actions).toEqual({
        bookingClosed: { code: 'NOT_ENROLLED', message: expect.stringContaining("n'est pas inscrit") },
      });
      expect(cell(april, alshMercredi.activityId, '2027-04-21').actions.cancel).toBeDefined();
      expect(view(log, '2027-05', '2027-03-25T09:00:00.000Z').rows.map((r) => r.activityId)).not.toContain(alshMercredi.activityId);
    });

    it('a row whose activity left the catalogue still shows what the events say, without actions', () => {
      const log = enrolledLog();
      book(log, restauration.activityId, '2027-04-19');
      const { [restauration.activityId]: _gone, ...others } = catalogue();
      const grid = view(log, '2027-04', '2027-03-25T09:00:00.000Z', { activities: others });
      expect(row(grid, restauration.activityId)).toMatchObject({ label: restauration.activityId, activityName: restauration.activityId });
      expect(cell(grid, restauration.activityId, '2027-04-19')).toMatchObject({ code: 'Régulier', runs: false, actions: {} });
    });

    it('a month without a document has no rows but still navigates', () => {
      const grid = view(new EventLog(), '2027-12', '2027-03-25T09:00:00.000Z');
      expect(grid).toMatchObject({ rows: [], label: 'Décembre 2027', previousMonth: '2027-11', nextMonth: '2028-01' });
      expect(grid.days).toHaveLength(31);
      expect(grid.legend.map((entry) => entry.code)).toEqual(
        expect.arrayContaining([
          'Réservé',
          'Régulier',
          'Heure hors contrat',
          'Réservation hors contrat',
          'Congé',
          'Erreur',
          'Absence à vérifier',
          'Absent excusé',
          'Absent facturé',
          'Fermeture',
          'F',
          'P',
          'G',
          'Demande en attente',
          'Réserve en cours de traitement',
          'Réserve refusée',
          'Absence en cours de traitement',
        ]),
      );
    });

    it('refuses a malformed month, and a document of another month', () => {
      const log = enrolledLog();
      expect(() => view(log, '2027-13', '2027-03-25T09:00:00.000Z')).toThrow(DomainError);
      expect(() =>
        buildGridView({
          familyId: FAMILY_ID,
          childId: LUCAS,
          document: documentOf(log, '2027-04'),
          month: '2027-05',
          calendar: ZONE_C,
          publicHolidays: HOLIDAYS_2027,
          activities: catalogue(),
          familyCategory: 'resident',
          now: '2027-03-25T09:00:00.000Z',
        }),
      ).toThrow(/given for/);
    });
  });

  it('the family view puts every child under one header of days', () => {
    const log = enrolledLog().planning(enrolled(EMMA, restauration.activityId, [1, 4]));
    book(log, restauration.activityId, '2027-04-22', 'booked', EMMA);
    const NOW = '2027-03-25T09:00:00.000Z';
    const family = buildFamilyView({
      familyId: FAMILY_ID,
      month: '2027-04',
      children: [
        { view: view(log, '2027-04', NOW), name: 'LUCAS' },
        { view: view(log, '2027-04', NOW, { childId: EMMA }), name: 'EMMA' },
      ],
    });
    expect(family).toMatchObject({
      familyId: FAMILY_ID,
      month: '2027-04',
      label: 'Avril 2027',
      previousMonth: '2027-03',
      nextMonth: '2027-05',
    });
    expect(family.days).toHaveLength(30);
    expect(family.children.map((c) => [c.childId, c.name, c.rows.length])).toEqual([
      [LUCAS, 'LUCAS', 4],
      [EMMA, 'EMMA', 1],
    ]);
    expect(family.children[1].rows[0].cells.find((c) => c.date === '2027-04-22')?.code).toBe('Régulier');
    expect(() => buildFamilyView({ familyId: FAMILY_ID, month: '2027-05', children: [{ view: view(log, '2027-04', NOW) }] })).toThrow();
  });
});
