/** The parents' tabs: Accueil, Mon compte, Mes enfants (with the planning grid), Liste des demandes. */
import { ApiRefusal } from '../api-client';
import { page, type PageRequest, type PageRoute, redirect } from '../portal';
import { formatLongDateFr } from '../renderer';
import { homeAccount } from './billing.pages';
import { checked, errorView, field, numberOf, optional } from './forms';
import { actionSentences, type ApiGrid, type ApiGridCell, cellModel, legendModel, stateOf } from './grid-view';
import { unreadMessages } from './inbox.pages';

const PARENT = ['parent'] as const;

/* eslint-disable @typescript-eslint/no-explicit-any -- the record and requests are the API's JSON, shown as they come */
type Json = any;

const CATEGORY_FILTERS = [
  { group: 'Mon compte', items: ['guardian', 'spouse', 'tax', 'caf', 'bank'] },
  { group: 'Mes enfants', items: ['child', 'authorizations', 'health', 'reservation', 'absence'] },
];

/** The states a request can be filtered on (the API's `status`). */
const REQUEST_STATUSES = [
  { value: 'pending', label: 'En attente' },
  { value: 'accepted', label: 'Acceptées' },
  { value: 'refused', label: 'Refusées' },
  { value: 'waiting-list', label: 'Liste d’attente' },
  { value: 'offered', label: 'Place proposée' },
  { value: 'cancelled', label: 'Annulées' },
];

const WEEKDAYS = [
  { n: 1, label: 'Lundi' },
  { n: 2, label: 'Mardi' },
  { n: 3, label: 'Mercredi' },
  { n: 4, label: 'Jeudi' },
  { n: 5, label: 'Vendredi' },
];

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
export const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

function familyOf(p: PageRequest): string {
  return p.principal?.familyId ?? '';
}

/** The family record and its pending requests (for « en attente » marks). */
async function recordAndPending(p: PageRequest, familyId: string) {
  const [record, requests] = await Promise.all([
    p.api.get<Json>(`/families/${familyId}`),
    p.api.get<Json>(`/families/${familyId}/requests?status=pending`),
  ]);
  const pending: Json[] = requests.pending ?? [];
  const pendingBy = (category: string, person?: string) =>
    pending.filter((r) => r.category === category && (!person || !r.changes?.person || r.changes.person === person));
  return { record, pending, pendingBy };
}

/** « M. DUPONT JEAN – N° Famille 1001001818331 » */
function identityLine(record: Json): string {
  const g = record.guardian;
  return `${g.civility ?? ''} ${g.lastName} ${g.firstName} – N° Famille ${record.familyNumber}`.trim();
}

/** The address or contact forms of Mon compte, and what each sends to the API. */
const ACCOUNT_FORMS: Record<
  string,
  { endpoint: string; body(form: PageRequest['form'], record: Json): unknown; labels: Record<string, string> }
> = {
  adresse: {
    endpoint: 'address',
    body: (f) => ({
      person: field(f, 'personne') === 'spouse' ? 'spouse' : 'guardian',
      address: {
        line1: field(f, 'ligne1'),
        ...(optional(f, 'ligne2') ? { line2: optional(f, 'ligne2') } : {}),
        postalCode: field(f, 'codePostal'),
        city: field(f, 'ville'),
      },
    }),
    labels: { line1: 'Adresse', line2: 'Complément', postalCode: 'Code postal', city: 'Ville' },
  },
  coordonnees: {
    endpoint: 'contact',
    body: (f, record) => {
      const person = field(f, 'personne') === 'spouse' ? 'spouse' : 'guardian';
      const current = (person === 'spouse' ? record.spouse : record.guardian) ?? {};
      const phones: Record<string, string> = {};
      for (const [name, key] of [
        ['telDomicile', 'home'],
        ['telTravail', 'work'],
        ['telMobile', 'mobile'],
      ] as const) {
        const v = optional(f, name);
        if (v !== undefined && v !== current.phones?.[key]) phones[key] = v;
      }
      const changes: Record<string, unknown> = {};
      if (Object.keys(phones).length > 0) changes.phones = phones;
      for (const [name, key] of [
        ['email', 'email'],
        ['profession', 'profession'],
        ['employeur', 'employer'],
      ] as const) {
        const v = optional(f, name);
        if (v !== undefined && v !== current[key]) changes[key] = v;
      }
      const emailConsent = checked(f, 'autorisationCourriel');
      const smsConsent = checked(f, 'autorisationSms');
      if (emailConsent !== current.emailConsent) changes.emailConsent = emailConsent;
      if (smsConsent !== current.smsConsent) changes.smsConsent = smsConsent;
      return { person, changes };
    },
    labels: { home: 'Téléphone domicile', work: 'Téléphone professionnel', mobile: 'Mobile', email: 'E-mail', changes: 'Modifications' },
  },
  fiscales: {
    endpoint: 'tax',
    body: (f) => {
      const income = numberOf(optional(f, 'revenu'));
      const shares = numberOf(optional(f, 'parts'));
      const year = numberOf(optional(f, 'annee'));
      return {
        changes: {
          ...(income !== undefined ? { referenceIncomeCents: Math.round(income * 100) } : {}),
          ...(shares !== undefined ? { taxShares: shares } : {}),
          ...(year !== undefined ? { year } : {}),
        },
      };
    },
    labels: { referenceIncomeCents: 'Revenu fiscal de référence', taxShares: 'Nombre de parts', year: 'Année', changes: 'Modifications' },
  },
  caf: {
    endpoint: 'caf',
    body: (f) => ({
      changes: { regime: field(f, 'regime'), allocataireNumber: field(f, 'numero'), quotientFamilial: numberOf(optional(f, 'qf')) ?? null },
    }),
    labels: { regime: 'Régime', allocataireNumber: 'N° allocataire', quotientFamilial: 'Quotient familial' },
  },
  bancaires: {
    endpoint: 'direct-debit',
    body: (f) => ({
      accountHolder: field(f, 'titulaire'),
      iban: field(f, 'iban'),
      bic: field(f, 'bic'),
      ...(optional(f, 'banque') ? { bankName: optional(f, 'banque') } : {}),
    }),
    labels: { accountHolder: 'Titulaire', iban: 'IBAN', bic: 'BIC', bankName: 'Banque' },
  },
};

export function parentPages(): PageRoute[] {
  const accountPage = async (p: PageRequest, extra: Record<string, unknown> = {}, status?: number) => {
    const familyId = familyOf(p);
    const { record, pendingBy } = await recordAndPending(p, familyId);
    return page(
      'account',
      'Mon compte',
      {
        record,
        identity: identityLine(record),
        pending: {
          guardian: pendingBy('guardian'),
          spouse: pendingBy('spouse'),
          tax: pendingBy('tax'),
          caf: pendingBy('caf'),
          bank: pendingBy('bank'),
        },
        ...extra,
      },
      status,
    );
  };

  const childrenPage = async (p: PageRequest, extra: Record<string, unknown> = {}, status?: number) => {
    const familyId = familyOf(p);
    const [{ record, pendingBy }, planning] = await Promise.all([
      recordAndPending(p, familyId),
      p.api.get<Json>(`/families/${familyId}/planning`),
    ]);
    // the « semaine type » lines: each child's activities of this month's planning
    const lines = (planning.children as Json[]).flatMap((c) =>
      (c.rows as Json[])
        .filter((r) => r.enrolled)
        .map((r) => ({ key: `${c.childId}:${r.activityId}`, child: c.name ?? '', label: r.label })),
    );
    return page(
      'children',
      'Mes enfants',
      { record, pendingChildren: pendingBy('child'), weekLines: lines, weekdays: WEEKDAYS, ...extra },
      status,
    );
  };

  const childPage = async (p: PageRequest, extra: Record<string, unknown> = {}, status?: number) => {
    const familyId = familyOf(p);
    const childId = p.params.childId;
    const month = MONTH.test(p.query.mois ?? '') ? p.query.mois : undefined;
    const [grid, { record, pendingBy }] = await Promise.all([
      p.api.get<ApiGrid>(`/families/${familyId}/children/${childId}/planning${month ? `?month=${month}` : ''}`),
      recordAndPending(p, familyId),
    ]);
    const child = (record.children as Json[]).find((c) => c.childId === childId);
    return page(
      'child',
      child ? `${child.firstName} – Mes enfants` : 'Mes enfants',
      {
        child,
        grid: gridModel(grid, `/mes-enfants/${childId}`),
        pendingAuthorizations: pendingBy('authorizations').filter((r) => r.childId === childId),
        pendingHealth: pendingBy('health').filter((r) => r.childId === childId),
        ...extra,
      },
      status,
    );
  };

  return [
    {
      method: 'GET',
      path: '/accueil',
      access: PARENT,
      handle: async (p) => {
        const [{ record, pending }, account, unread] = await Promise.all([
          recordAndPending(p, familyOf(p)),
          homeAccount(p),
          unreadMessages(p),
        ]);
        return page('home', 'Accueil', { record, identity: identityLine(record), pendingCount: pending.length, account, unread });
      },
    },
    { method: 'GET', path: '/mon-compte', access: PARENT, handle: (p) => accountPage(p) },
    {
      method: 'POST',
      path: '/mon-compte/:formulaire',
      access: PARENT,
      handle: async (p) => {
        const kind = p.params.formulaire;
        const form = Object.prototype.hasOwnProperty.call(ACCOUNT_FORMS, kind) ? ACCOUNT_FORMS[kind] : undefined;
        if (!form) return page('message', 'Page introuvable', { heading: 'Page introuvable', text: 'Ce formulaire n’existe pas.' }, 404);
        const familyId = familyOf(p);
        try {
          const record = kind === 'coordonnees' ? await p.api.get<Json>(`/families/${familyId}`) : undefined;
          await p.api.post(`/families/${familyId}/requests/${form.endpoint}`, form.body(p.form, record));
        } catch (error) {
          if (!(error instanceof ApiRefusal) || error.status === 401) throw error;
          return accountPage(
            p,
            { ...errorView(error, form.labels), openForm: `${kind}-${field(p.form, 'personne') || 'famille'}`, values: p.form },
            422,
          );
        }
        return redirect('/mon-compte', {
          kind: 'success',
          text: 'Votre demande a été transmise à la commune : elle apparaît « en attente » jusqu’à sa décision.',
        });
      },
    },
    { method: 'GET', path: '/mes-enfants', access: PARENT, handle: (p) => childrenPage(p) },
    {
      method: 'POST',
      path: '/mes-enfants/ajout',
      access: PARENT,
      handle: async (p) => {
        try {
          await p.api.post(`/families/${familyOf(p)}/requests/child-addition`, {
            child: {
              firstName: field(p.form, 'prenom'),
              lastName: field(p.form, 'nom'),
              birthDate: field(p.form, 'naissance'),
              sex: field(p.form, 'sexe'),
              ...(optional(p.form, 'ecole') ? { school: optional(p.form, 'ecole') } : {}),
            },
          });
        } catch (error) {
          if (!(error instanceof ApiRefusal) || error.status === 401) throw error;
          const labels = { firstName: 'Prénom', lastName: 'Nom', birthDate: 'Date de naissance', sex: 'Sexe', school: 'École' };
          return childrenPage(p, { ...errorView(error, labels), values: p.form }, 422);
        }
        return redirect('/mes-enfants', { kind: 'success', text: 'Votre demande d’ajout d’un enfant a été transmise à la commune.' });
      },
    },
    {
      method: 'POST',
      path: '/mes-enfants/semaine-type',
      access: PARENT,
      handle: async (p) => {
        const lines = Object.keys(p.form)
          .filter((k) => k.startsWith('jours:'))
          .map((k) => {
            const [, childId, activityId] = k.split(':');
            const weekdays = (Array.isArray(p.form[k]) ? (p.form[k] as string[]) : [p.form[k] as string]).map(Number);
            return { childId, activityId, weekdays };
          });
        if (lines.length === 0)
          return childrenPage(p, { error: 'Cochez au moins un jour de la semaine pour une activité.', values: p.form }, 422);
        let answer: Json;
        try {
          answer = await p.api.post(`/families/${familyOf(p)}/reservations/typical-week`, {
            from: field(p.form, 'du'),
            to: field(p.form, 'au'),
            lines,
          });
        } catch (error) {
          if (!(error instanceof ApiRefusal) || error.status === 401) throw error;
          return childrenPage(p, { ...errorView(error, { from: 'Du', to: 'Au' }), values: p.form }, 422);
        }
        await p.settle();
        const results = (answer.results as Json[]).map((r) => ({
          ...r,
          dateLabel: formatLongDateFr(r.date),
          ok: r.status === 'requested',
        }));
        return page('typical-week', 'Semaine type', { requested: answer.requested, refused: answer.refused, results });
      },
    },
    { method: 'GET', path: '/mes-enfants/:childId', access: PARENT, handle: (p) => childPage(p) },
    {
      method: 'POST',
      path: '/mes-enfants/:childId/:demande(autorisations|sante)',
      access: PARENT,
      handle: async (p) => {
        const childId = p.params.childId;
        const health = p.params.demande === 'sante';
        const changes = health
          ? {
              allergies: field(p.form, 'allergies')
                .split(/[,;\n]/)
                .map((s) => s.trim())
                .filter(Boolean),
              glasses: checked(p.form, 'lunettes'),
              pai: checked(p.form, 'pai'),
            }
          : { photoConsent: checked(p.form, 'droitImage'), mayLeaveAlone: checked(p.form, 'partSeul') };
        try {
          await p.api.post(`/families/${familyOf(p)}/requests/${health ? 'health' : 'authorizations'}`, { childId, changes });
        } catch (error) {
          if (!(error instanceof ApiRefusal) || error.status === 401 || error.status === 404) throw error;
          return childPage(p, errorView(error, { allergies: 'Allergies' }), 422);
        }
        return redirect(`/mes-enfants/${childId}`, { kind: 'success', text: 'Votre demande a été transmise à la commune.' });
      },
    },
    {
      method: 'GET',
      path: '/mes-enfants/:childId/jour',
      access: PARENT,
      handle: async (p) => dayPage(p, familyOf(p), `/mes-enfants/${p.params.childId}`),
    },
    {
      method: 'POST',
      path: '/mes-enfants/:childId/jour',
      access: PARENT,
      handle: async (p) => dayAction(p, familyOf(p), `/mes-enfants/${p.params.childId}`),
    },
    {
      method: 'GET',
      path: '/demandes',
      access: PARENT,
      handle: async (p) => requestsPage(p, familyOf(p)),
    },
  ];
}

/** The grid of one child for the template. */
export function gridModel(grid: ApiGrid, base: string) {
  return {
    ...grid,
    previousHref: `${base}?mois=${grid.previousMonth}`,
    nextHref: `${base}?mois=${grid.nextMonth}`,
    legend: legendModel(grid),
    rows: grid.rows.map((row) => ({
      ...row,
      cells: row.cells.map((cell) => ({
        ...cellModel(cell, `${base}/jour?activite=${encodeURIComponent(row.activityId)}&date=${cell.date}`),
        id: `c-${row.activityId}-${cell.date}`,
        weekend: grid.days.find((d) => d.date === cell.date)?.weekend ?? false,
        today: cell.date === grid.today,
      })),
    })),
    days: grid.days.map((d) => ({ ...d, today: d.date === grid.today })),
  };
}

/** One day of one activity: its state in words and the forms of what can be done now. */
async function findCell(p: PageRequest, familyId: string, childId: string, activityId: string, date: string) {
  if (!ID.test(activityId) || !DATE.test(date)) return undefined;
  const grid = await p.api.get<ApiGrid>(`/families/${familyId}/children/${childId}/planning?month=${date.slice(0, 7)}`);
  const row = grid.rows.find((r) => r.activityId === activityId);
  const cell = row?.cells.find((c) => c.date === date);
  return row && cell ? { row, cell } : undefined;
}

export async function dayPage(p: PageRequest, familyId: string, base: string) {
  const found = await findCell(p, familyId, p.params.childId, p.query.activite ?? '', p.query.date ?? '');
  if (!found)
    return page(
      'message',
      'Jour introuvable',
      { heading: 'Jour introuvable', text: 'Cette activité ou ce jour n’existe pas dans le planning.' },
      404,
    );
  return page(
    'day',
    `${formatLongDateFr(found.cell.date)} – ${found.row.label}`,
    dayModel(found.row.label, found.row.activityId, found.cell, base),
  );
}

function dayModel(label: string, activityId: string, cell: ApiGridCell, base: string) {
  const state = stateOf(cell);
  return {
    activityLabel: label,
    activityId,
    cell,
    state,
    dateLabel: formatLongDateFr(cell.date),
    sentences: actionSentences(cell),
    action: `${base}/jour`,
    back: `${base}?mois=${cell.date.slice(0, 7)}#c-${activityId}-${cell.date}`,
  };
}

/** Book, cancel, declare an absence or answer an offer; then the answer of the day, read back from the grid. */
export async function dayAction(p: PageRequest, familyId: string, base: string) {
  const childId = p.params.childId;
  const activityId = field(p.form, 'activite');
  const date = field(p.form, 'date');
  const action = field(p.form, 'action');
  const back = `${base}?mois=${date.slice(0, 7)}#c-${activityId}-${date}`;
  const found = await findCell(p, familyId, childId, activityId, date);
  if (!found)
    return page(
      'message',
      'Jour introuvable',
      { heading: 'Jour introuvable', text: 'Cette activité ou ce jour n’existe pas dans le planning.' },
      404,
    );
  const { cell } = found;
  try {
    if (action === 'reserver') {
      await p.api.post(`/families/${familyId}/reservations`, { childId, activityId, date });
    } else if (action === 'annuler' && cell.actions.cancel) {
      await p.api.post(`/families/${familyId}/reservations/${cell.actions.cancel.requestId}/cancel`, {});
    } else if (action === 'absence') {
      const to = optional(p.form, 'jusquau') ?? date;
      await p.api.post(`/families/${familyId}/absences`, { childId, activityId, from: date, to });
    } else if ((action === 'accepter-offre' || action === 'refuser-offre') && cell.actions.answerOffer) {
      const verb = action === 'accepter-offre' ? 'accept' : 'decline';
      await p.api.post(`/families/${familyId}/reservations/${cell.actions.answerOffer.requestId}/offer/${verb}`, {});
    } else {
      return redirect(back, { kind: 'error', text: 'Cette action n’est plus possible pour ce jour : le planning a été mis à jour.' });
    }
  } catch (error) {
    if (!(error instanceof ApiRefusal) || error.status === 401) throw error;
    return redirect(back, { kind: 'error', text: `${formatLongDateFr(date)} : ${error.message}` });
  }
  await p.settle();
  const after = await findCell(p, familyId, childId, activityId, date);
  const now = after?.cell;
  const answer = now
    ? [stateOf(now), now.detail]
        .filter(Boolean)
        .join(' – ')
        .replace(/[.\s]+$/, '')
    : '';
  const DONE: Record<string, string> = {
    reserver: 'Réservation demandée',
    annuler: 'Réservation annulée',
    absence: 'Absence déclarée',
    'accepter-offre': 'Place acceptée',
    'refuser-offre': 'Place refusée',
  };
  const done = DONE[action] ?? 'Réponse enregistrée';
  return redirect(back, { kind: 'success', text: `${done} pour le ${formatLongDateFr(date)} (${found.row.label}) : ${answer}.` });
}

/** « Liste des demandes »: the last month's requests, filtered by type (a rubrique, Réservations, Absences) and state. */
export async function requestsPage(p: PageRequest, familyId: string, base = '/demandes') {
  const category = /^[a-z-]{2,20}$/.test(p.query.categorie ?? '') ? p.query.categorie : undefined;
  const status = REQUEST_STATUSES.some((s) => s.value === p.query.statut) ? p.query.statut : undefined;
  const qs = new URLSearchParams();
  if (category) qs.set('type', category);
  if (status) qs.set('status', status);
  const list = await p.api.get<Json>(`/families/${familyId}/requests${qs.size ? `?${qs}` : ''}`);
  const labels: Record<string, string> = { ...(list.categories ?? {}), ...(list.types ?? {}) };
  const filterHref = (c?: string, s?: string) => {
    const q = new URLSearchParams();
    if (c) q.set('categorie', c);
    if (s) q.set('statut', s);
    return `${base}${q.size ? `?${q}` : ''}`;
  };
  // reservations and absences carry their type's label and their own dates: one shape for the table
  const rows = (items: Json[] | undefined) =>
    (items ?? []).map((r) => ({
      ...r,
      categoryLabel: r.categoryLabel ?? r.typeLabel,
      decidedAt: r.decidedAt ?? r.acceptedAt ?? r.refusedAt ?? r.cancelledAt,
      reason: r.reason ?? r.refusalReason,
    }));
  const others = rows([...(list.waitingList ?? []), ...(list.offered ?? []), ...(list.cancelled ?? [])]);
  const pending = rows(list.pending);
  const accepted = rows(list.accepted);
  const refused = rows(list.refused);
  return page('requests', 'Liste des demandes', {
    since: list.since,
    groups: CATEGORY_FILTERS.map((g) => ({
      group: g.group,
      items: g.items.map((c) => ({ label: labels[c] ?? c, href: filterHref(c, status), current: c === category })),
    })),
    allHref: filterHref(undefined, status),
    allCurrent: !category,
    statuses: [
      { label: 'Toutes', href: filterHref(category), current: !status },
      ...REQUEST_STATUSES.map((s) => ({ label: s.label, href: filterHref(category, s.value), current: status === s.value })),
    ],
    pending,
    accepted,
    refused,
    others,
    empty: pending.length + accepted.length + refused.length + others.length === 0,
  });
}
