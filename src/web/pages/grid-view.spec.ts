import { type ApiGridCell, cellModel, stateOf } from './grid-view';

const day = (over: Partial<ApiGridCell>): ApiGridCell => ({
  date: '2026-11-23',
  label: 'Lu 23',
  code: '',
  legend: '',
  runs: true,
  actions: {},
  ...over,
});

describe('the planning grid as the page draws it', () => {
  it('says a free day can be booked, and until when, in text', () => {
    const cell = cellModel(day({ actions: { book: { until: '2026-11-17T22:59:00.000Z' } } }), '/j');
    expect(cell).toMatchObject({ mark: '+', css: 'free', actionable: true, href: '/j' });
    expect(cell.sentence).toBe('lundi 23 novembre 2026 : Libre. Réservable jusqu’au mardi 17 novembre 2026 à 23:59.');
  });

  it('says « réservations closes le … » for a future day past its deadline, instead of a blank cell', () => {
    const cell = cellModel(
      day({ actions: { bookingClosed: { code: 'DEADLINE_PASSED', message: '…', deadline: '2026-11-10T22:59:00.000Z' } } }),
      '/j',
    );
    expect(cell).toMatchObject({ mark: '–', css: 'late', actionable: false });
    expect(cell.sentence).toContain('Réservations closes le mardi 10 novembre 2026 à 23:59.');
  });

  it('shows the state of a day by its legend and its detail (a refusal’s reason, a rank)', () => {
    const refused = cellModel(day({ code: 'Réserve refusée', legend: 'Réserve refusée', detail: 'Motif : complet' }), '/j');
    expect(refused).toMatchObject({ mark: '✗', css: 'refused' });
    expect(refused.sentence).toBe('lundi 23 novembre 2026 : Réserve refusée. Motif : complet');
    expect(stateOf(day({ runs: false }))).toBe('Pas d’accueil');
    expect(stateOf(day({}))).toBe('Rien de réservé');
  });
});
