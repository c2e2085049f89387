/**
 * The official school calendar of metropolitan France (zones A, B and C) for the school years
 * 2026-2027 and 2027-2028, as data. A commune starts from `officialSchoolCalendar(zone)` and adjusts it
 * with `adjustCalendar` (school-calendar.ts).
 *
 * Zones (unchanged since 2015): A = académies de Besançon, Bordeaux, Clermont-Ferrand, Dijon, Grenoble,
 * Limoges, Lyon, Poitiers; B = Aix-Marseille, Amiens, Lille, Nancy-Metz, Nantes, Nice, Normandie,
 * Orléans-Tours, Reims, Rennes, Strasbourg; C = Créteil, Montpellier, Paris, Toulouse, Versailles.
 *
 * CONVENTION. The official texts give "fin des cours : samedi 17 octobre 2026 / reprise des cours :
 * lundi 2 novembre 2026" (classes end after school on the Saturday — on the Friday evening where there
 * is no Saturday school — and resume on the morning of the reprise day). Here:
 *   - `from` = the day given as "fin des cours" (the Saturday): the first day without school for the
 *     pupils of a Monday–Friday school;
 *   - `to`   = the day before "reprise des cours" (usually the Sunday): the last day without school.
 * Both are included. The summer holidays run from "fin des cours" to the day before the next rentrée.
 *
 * SOURCES. The reference is the arrêté fixing the calendar (Journal officiel) and its open-data mirror,
 * the data set "Calendrier scolaire" of the Ministry (`fr-en-calendrier-scolaire`,
 * https://data.education.gouv.fr/explore/dataset/fr-en-calendrier-scolaire/). No live access to either
 * was possible when this file was written (2026-11-28); each date below was cross-checked against the
 * stored public copies named next to it, and a period is marked `provisional: true` where no source of
 * sufficient weight confirmed it. Re-check against the data set before each school year.
 *
 * 2026-2027 — arrêté du 22 octobre 2025 (JO), as reported by: the SNALC académie de Normandie page
 * "Calendrier scolaire 2026-2027" (zone B, all dates); a public repository citing
 * `fr-en-calendrier-scolaire` (all three zones); avis-parents.com (arrêté du 22 octobre 2025, rentrée
 * mardi 1er septembre 2026, été samedi 3 juillet 2027, zone C first for winter and spring); two
 * independent seed files (zones B and C). All agree.
 *
 * 2027-2028 — NOT CONFIRMED. Only third-party code was found (one file citing an "arrêté du 23/07/2026",
 * two others); no official text or ministry page. Toussaint, Noël and the winter holidays agree across
 * those files; the spring holidays do not (zone B: 8→23 April in one, 1→16 April in another); the rentrée
 * 2027 and the start of summer 2028 were found nowhere and are estimates. All 2027-2028 entries are
 * `provisional`.
 *
 * Not shipped: a "pont de l'Ascension" for 2027 (jeudi 6 mai 2027): whether the arrêté of 22 October
 * 2025 frees Friday 7 May 2027 could not be confirmed. A commune adds it with `adjustCalendar`.
 */
import type { HolidayPeriod, SchoolCalendar, SchoolYear, Zone } from '../planning.types';

export const OFFICIAL_CALENDAR_SOURCE =
  'Arrêté du 22 octobre 2025 (calendrier scolaire 2026-2027) ; jeu de données « Calendrier scolaire » ' +
  '(fr-en-calendrier-scolaire), data.education.gouv.fr. Dates 2027-2028 non confirmées (provisoires).';

export const OFFICIAL_SCHOOL_YEARS: readonly SchoolYear[] = [
  // Rentrée mardi 1er septembre 2026 (arrêté du 22/10/2025). The end is the day before the rentrée 2027,
  // which was not found: 1 September 2027 (a Wednesday) is assumed, so the end is provisional.
  { id: '2026-2027', start: '2026-09-01', end: '2027-08-31', provisional: true },
  // Not confirmed: rentrée assumed on Wednesday 1 September 2027, next one on Friday 1 September 2028.
  { id: '2027-2028', start: '2027-09-01', end: '2028-08-31', provisional: true },
];

type Entry = Omit<HolidayPeriod, 'zone'> & { zones: readonly Zone[] };

const ALL: readonly Zone[] = ['A', 'B', 'C'];

const ENTRIES: readonly Entry[] = [
  // --- end of 2025-2026 (arrêté du 7 décembre 2022): needed for July–August 2026 bookings ----------
  // Fin des cours samedi 4 juillet 2026; rentrée mardi 1er septembre 2026 (confirmed, see above).
  { name: "Vacances d'Été", kind: 'grandes', from: '2026-07-04', to: '2026-08-31', zones: ALL },

  // --- 2026-2027 (arrêté du 22 octobre 2025) — confirmed ---------------------------------------------
  // Fin des cours samedi 17 octobre 2026, reprise lundi 2 novembre 2026.
  { name: 'Vacances de la Toussaint', kind: 'petites', from: '2026-10-17', to: '2026-11-01', zones: ALL },
  // Fin des cours samedi 19 décembre 2026, reprise lundi 4 janvier 2027.
  { name: 'Vacances de Noël', kind: 'petites', from: '2026-12-19', to: '2027-01-03', zones: ALL },
  // Winter: zone C first (6 février), then A (13 février), then B (20 février); reprise the Monday
  // two weeks later: C 22 février, A 1er mars, B 8 mars 2027.
  { name: "Vacances d'Hiver", kind: 'petites', from: '2027-02-13', to: '2027-02-28', zones: ['A'] },
  { name: "Vacances d'Hiver", kind: 'petites', from: '2027-02-20', to: '2027-03-07', zones: ['B'] },
  { name: "Vacances d'Hiver", kind: 'petites', from: '2027-02-06', to: '2027-02-21', zones: ['C'] },
  // Spring: C 3 avril → reprise 19 avril; A 10 avril → reprise 26 avril; B 17 avril → reprise 3 mai 2027.
  { name: 'Vacances de Printemps', kind: 'petites', from: '2027-04-10', to: '2027-04-25', zones: ['A'] },
  { name: 'Vacances de Printemps', kind: 'petites', from: '2027-04-17', to: '2027-05-02', zones: ['B'] },
  { name: 'Vacances de Printemps', kind: 'petites', from: '2027-04-03', to: '2027-04-18', zones: ['C'] },
  // Fin des cours samedi 3 juillet 2027 (confirmed); the end depends on the rentrée 2027 (not found).
  {
    name: "Vacances d'Été",
    kind: 'grandes',
    from: '2027-07-03',
    to: '2027-08-31',
    zones: ALL,
    provisional: true,
  },

  // --- 2027-2028 — NOT CONFIRMED (third-party code only; see the header) -----------------------------
  // Fin des cours samedi 23 octobre 2027, reprise lundi 8 novembre 2027 (three files agree).
  {
    name: 'Vacances de la Toussaint',
    kind: 'petites',
    from: '2027-10-23',
    to: '2027-11-07',
    zones: ALL,
    provisional: true,
  },
  // Fin des cours samedi 18 décembre 2027, reprise lundi 3 janvier 2028 (three files agree).
  {
    name: 'Vacances de Noël',
    kind: 'petites',
    from: '2027-12-18',
    to: '2028-01-02',
    zones: ALL,
    provisional: true,
  },
  // Winter 2028: B 5 février → reprise 21 février (two files agree); C 12 février → 28 février and
  // A 19 février → 6 mars (one file; consistent with the usual rotation B, C, A).
  { name: "Vacances d'Hiver", kind: 'petites', from: '2028-02-19', to: '2028-03-05', zones: ['A'], provisional: true },
  { name: "Vacances d'Hiver", kind: 'petites', from: '2028-02-05', to: '2028-02-20', zones: ['B'], provisional: true },
  { name: "Vacances d'Hiver", kind: 'petites', from: '2028-02-12', to: '2028-02-27', zones: ['C'], provisional: true },
  // Spring 2028: CONFLICTING sources. Shipped: the file citing the arrêté — A 22 avril → reprise mardi
  // 9 mai (8 mai is a Monday), B 8 avril → reprise 24 avril, C 15 avril → reprise mardi 2 mai. Another
  // file gives zone B 1er avril → reprise 17 avril.
  {
    name: 'Vacances de Printemps',
    kind: 'petites',
    from: '2028-04-22',
    to: '2028-05-08',
    zones: ['A'],
    provisional: true,
  },
  {
    name: 'Vacances de Printemps',
    kind: 'petites',
    from: '2028-04-08',
    to: '2028-04-23',
    zones: ['B'],
    provisional: true,
  },
  {
    name: 'Vacances de Printemps',
    kind: 'petites',
    from: '2028-04-15',
    to: '2028-05-01',
    zones: ['C'],
    provisional: true,
  },
  // ESTIMATE, found in no source: the first Saturday of July (as in 2024–2027) to the day before an
  // assumed rentrée on 1 September 2028.
  {
    name: "Vacances d'Été",
    kind: 'grandes',
    from: '2028-07-01',
    to: '2028-08-31',
    zones: ALL,
    provisional: true,
  },
];

/** Every official holiday period, one entry per zone. */
export const OFFICIAL_HOLIDAYS: readonly HolidayPeriod[] = ENTRIES.flatMap(({ zones, ...period }) =>
  zones.map((zone): HolidayPeriod => ({ ...period, zone })),
);

/** The official calendar of one zone (a fresh copy: the caller may adjust it). */
export function officialSchoolCalendar(zone: Zone): SchoolCalendar {
  return {
    zone,
    schoolYears: OFFICIAL_SCHOOL_YEARS.map((year) => ({ ...year })),
    holidays: OFFICIAL_HOLIDAYS.filter((period) => period.zone === zone).map((period) => ({ ...period })),
  };
}
