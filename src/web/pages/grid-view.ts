/**
 * The planning grid as the page draws it, from the API's grid view (GET /families/:f/children/:c/planning):
 * per cell a short visual mark, a CSS class, and a sentence saying the state and what can be done, until
 * when — the state is always in text, never only in colour.
 */
import { formatInstantFr, formatLongDateFr } from '../renderer';

export interface ApiGridCell {
  date: string;
  label: string;
  code: string;
  legend: string;
  detail?: string;
  runs: boolean;
  status?: string;
  requestId?: string;
  actions: {
    book?: { until: string };
    cancel?: { requestId: string; until: string };
    declareAbsence?: { requestId?: string; reportBy: string };
    answerOffer?: { requestId: string; until: string };
    bookingClosed?: { code: string; message: string; deadline?: string };
  };
}

export interface ApiGridRow {
  activityId: string;
  label: string;
  enrolled: boolean;
  cells: ApiGridCell[];
}

export interface ApiGrid {
  childId: string;
  month: string;
  label: string;
  previousMonth: string;
  nextMonth: string;
  today: string;
  days: { date: string; label: string; weekend: boolean }[];
  rows: ApiGridRow[];
  legend: { code: string; label: string; symbol?: string }[];
}

/** The mark drawn in a cell, by legend code (the seed's symbols where it has one). */
const MARKS: Record<string, string> = {
  Réservé: '✓',
  Régulier: 'R',
  'Réservation hors contrat': '✓',
  'Heure hors contrat': 'H',
  Congé: 'C',
  Erreur: '!',
  'Absence à vérifier': '?',
  'Absent excusé': 'AE',
  'Absent facturé': 'AF',
  Fermeture: 'X',
  F: 'F',
  P: 'P',
  G: 'G',
  'Demande en attente': '…',
  'Réserve en cours de traitement': 'V',
  'Réserve refusée': '✗',
  'Absence en cours de traitement': 'A?',
};

const CLASSES: Record<string, string> = {
  Réservé: 'booked',
  Régulier: 'booked',
  'Réservation hors contrat': 'booked',
  'Heure hors contrat': 'extra',
  Congé: 'leave',
  Erreur: 'error',
  'Absence à vérifier': 'absent',
  'Absent excusé': 'absent',
  'Absent facturé': 'billed',
  Fermeture: 'closed',
  F: 'holiday',
  P: 'holiday',
  G: 'holiday',
  'Demande en attente': 'pending',
  'Réserve en cours de traitement': 'pending',
  'Réserve refusée': 'refused',
  'Absence en cours de traitement': 'pending',
};

export interface CellModel {
  date: string;
  mark: string;
  css: string;
  /** the whole state and what can be done, for screen readers and the tooltip */
  sentence: string;
  href?: string;
  actionable: boolean;
}

/** What can be done on a day, in French (the cell's sentence and the day page). */
export function actionSentences(cell: ApiGridCell): string[] {
  const out: string[] = [];
  const a = cell.actions;
  if (a.book) out.push(`Réservable jusqu’au ${formatInstantFr(a.book.until)}.`);
  if (a.cancel) out.push(`Annulable jusqu’au ${formatInstantFr(a.cancel.until)}.`);
  if (a.declareAbsence) out.push(`Absence à signaler avant le ${formatInstantFr(a.declareAbsence.reportBy)} pour être excusée.`);
  if (a.answerOffer) out.push(`Place proposée : répondez avant le ${formatInstantFr(a.answerOffer.until)}.`);
  if (a.bookingClosed) {
    out.push(a.bookingClosed.deadline ? `Réservations closes le ${formatInstantFr(a.bookingClosed.deadline)}.` : a.bookingClosed.message);
  }
  return out;
}

/** The state of a day in words: the legend's label, or why an empty day is empty. */
export function stateOf(cell: ApiGridCell): string {
  if (cell.code) return cell.legend || cell.code;
  if (cell.actions.book) return 'Libre';
  if (cell.actions.bookingClosed) return 'Réservations closes';
  return cell.runs ? 'Rien de réservé' : 'Pas d’accueil';
}

export function cellModel(cell: ApiGridCell, dayHref: string): CellModel {
  const closedByDeadline = !cell.code && cell.actions.bookingClosed !== undefined;
  const bookable = !cell.code && cell.actions.book !== undefined;
  const state = stateOf(cell);
  const sentence = [`${formatLongDateFr(cell.date)} : ${state}.`, cell.detail ? `${cell.detail}` : '', ...actionSentences(cell)]
    .filter(Boolean)
    .join(' ');
  const actionable = Object.keys(cell.actions).some((k) => k !== 'bookingClosed');
  return {
    date: cell.date,
    mark: cell.code ? (MARKS[cell.code] ?? cell.code.slice(0, 2)) : bookable ? '+' : closedByDeadline ? '–' : '',
    css: cell.code ? (CLASSES[cell.code] ?? 'other') : bookable ? 'free' : closedByDeadline ? 'late' : 'none',
    sentence,
    ...(actionable || cell.code || closedByDeadline ? { href: dayHref } : {}),
    actionable,
  };
}

/** The legend as the page shows it: every code with its mark and class, plus the page's own two. */
export function legendModel(grid: ApiGrid): { mark: string; css: string; label: string }[] {
  return [
    { mark: '+', css: 'free', label: 'Libre : réservable' },
    { mark: '–', css: 'late', label: 'Réservations closes' },
    ...grid.legend.map((l) => ({ mark: MARKS[l.code] ?? l.code, css: CLASSES[l.code] ?? 'other', label: l.label })),
  ];
}
