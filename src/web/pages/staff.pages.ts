/**
 * The back-office: the queue of requests (accept, refuse with a reason), families (search by N° Famille,
 * record, requests, planning, history), activities (the day list with validation and the attendance
 * sheet, closures). Auditors see the same pages without any form: the API refuses them every write.
 */
import { ApiRefusal } from '../api-client';
import { page, type PageRequest, type PageRoute, redirect } from '../portal';
import { formatLongDateFr } from '../renderer';
import { field, optional } from './forms';
import type { ApiGrid } from './grid-view';
import { DATE, gridModel, MONTH, requestsPage } from './parent.pages';

const BACK_OFFICE = ['staff', 'admin', 'auditor'] as const;
const WRITERS = ['staff', 'admin'] as const;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/* eslint-disable @typescript-eslint/no-explicit-any -- the API's JSON, shown as it comes */
type Json = any;

const canWrite = (p: PageRequest) => p.principal?.role === 'staff' || p.principal?.role === 'admin';

export function staffPages(): PageRoute[] {
  return [
    {
      method: 'GET',
      path: '/agents',
      access: BACK_OFFICE,
      handle: async (p) => {
        const category = /^[a-z]{2,20}$/.test(p.query.categorie ?? '') ? p.query.categorie : undefined;
        const queue = await p.api.get<Json>(`/staff/requests?limit=100${category ? `&category=${category}` : ''}`);
        return page('staff-queue', 'Demandes à traiter', { items: queue.items, canWrite: canWrite(p), category });
      },
    },
    {
      method: 'POST',
      path: '/agents/demandes/:familyId/:requestId',
      access: WRITERS,
      handle: async (p) => {
        const { familyId, requestId } = p.params;
        const back = `/agents#d-${requestId}`;
        if (!ID.test(familyId) || !ID.test(requestId)) return redirect('/agents', { kind: 'error', text: 'Demande introuvable.' });
        const decision = field(p.form, 'decision');
        try {
          if (decision === 'accepter') await p.api.post(`/families/${familyId}/requests/${requestId}/accept`, {});
          else if (decision === 'refuser')
            await p.api.post(`/families/${familyId}/requests/${requestId}/refuse`, { reason: field(p.form, 'motif') });
          else return redirect(back, { kind: 'error', text: 'Choisissez d’accepter ou de refuser la demande.' });
        } catch (error) {
          if (!(error instanceof ApiRefusal) || error.status === 401) throw error;
          const text = error.status === 400 ? 'Indiquez le motif du refus : il est communiqué à la famille.' : error.message;
          return redirect(back, { kind: 'error', text });
        }
        return redirect('/agents', {
          kind: 'success',
          text:
            decision === 'accepter'
              ? 'Demande acceptée : le dossier est mis à jour.'
              : 'Demande refusée : la famille voit le motif dans sa liste des demandes.',
        });
      },
    },
    {
      method: 'GET',
      path: '/agents/familles',
      access: BACK_OFFICE,
      handle: async (p) => {
        const number = (p.query.numero ?? '').trim();
        if (number === '') return page('staff-search', 'Familles', {});
        if (!/^\d{1,20}$/.test(number))
          return page('staff-search', 'Familles', { error: 'Le N° Famille comporte de 1 à 20 chiffres.', number }, 422);
        const found = await p.api.raw(`GET`, `/families/${number}`);
        if (found.status === 200) return redirect(`/agents/familles/${number}`);
        return page('staff-search', 'Familles', { error: `Aucune famille N° ${number} dans votre périmètre.`, number }, 404);
      },
    },
    {
      method: 'GET',
      path: '/agents/familles/:familyId',
      access: BACK_OFFICE,
      handle: async (p) => {
        const familyId = p.params.familyId;
        const [record, requests] = await Promise.all([
          p.api.get<Json>(`/families/${familyId}`),
          p.api.get<Json>(`/families/${familyId}/requests`),
        ]);
        return page('staff-family', `Famille ${record.familyNumber}`, { record, requests, canWrite: canWrite(p) });
      },
    },
    {
      method: 'GET',
      path: '/agents/familles/:familyId/demandes',
      access: BACK_OFFICE,
      handle: async (p) => requestsPage(p, p.params.familyId, `/agents/familles/${p.params.familyId}/demandes`),
    },
    {
      method: 'GET',
      path: '/agents/familles/:familyId/enfants/:childId',
      access: BACK_OFFICE,
      handle: async (p) => {
        const { familyId, childId } = p.params;
        const month = MONTH.test(p.query.mois ?? '') ? p.query.mois : undefined;
        const grid = await p.api.get<ApiGrid>(`/families/${familyId}/children/${childId}/planning${month ? `?month=${month}` : ''}`);
        const model = gridModel(grid, `/agents/familles/${familyId}/enfants/${childId}`);
        // staff read the grid; they act on a day from the activity's day list
        for (const row of model.rows) for (const cell of row.cells) delete (cell as { href?: string }).href;
        return page('staff-child', 'Planning', { grid: model, familyId });
      },
    },
    {
      method: 'GET',
      path: '/agents/familles/:familyId/historique',
      access: BACK_OFFICE,
      handle: async (p) => {
        const familyId = p.params.familyId;
        const asOf = /^\d{4}-\d{2}-\d{2}$/.test(p.query.date ?? '') ? p.query.date : undefined;
        const history = await p.api.get<Json>(`/families/${familyId}/history${asOf ? `?asOf=${asOf}T23:59:59Z` : ''}`);
        return page('staff-history', 'Historique', { history, familyId, asOf, events: [...history.events].reverse() });
      },
    },
    {
      method: 'GET',
      path: '/agents/activites',
      access: BACK_OFFICE,
      handle: async (p) => {
        const catalog = await p.api.get<Json>('/facilities');
        const scope = p.principal?.scope;
        const visible = (catalog.items as Json[]).filter(
          (f) => p.principal?.role === 'admin' || !scope || scope.includes('*') || scope.some((c) => c.toUpperCase() === f.commune),
        );
        const today = p.query.date && DATE.test(p.query.date) ? p.query.date : parisToday(p.now);
        return page('staff-activities', 'Activités', {
          facilities: visible.map((f) => ({ ...f, activityList: Object.values(f.activities ?? {}) })),
          today,
          canWrite: canWrite(p),
        });
      },
    },
    {
      method: 'POST',
      path: '/agents/structures/:facilityId/fermetures',
      access: WRITERS,
      handle: async (p) => {
        const facilityId = p.params.facilityId;
        try {
          await p.api.post(`/facilities/${facilityId}/closures`, {
            scope: { facilityId },
            from: field(p.form, 'du'),
            to: optional(p.form, 'au') ?? field(p.form, 'du'),
            reason: field(p.form, 'motif'),
          });
        } catch (error) {
          if (!(error instanceof ApiRefusal) || error.status === 401) throw error;
          const text = error.status === 400 ? 'Indiquez les dates (du, au) et le motif de la fermeture.' : error.message;
          return redirect('/agents/activites', { kind: 'error', text });
        }
        return redirect('/agents/activites', { kind: 'success', text: 'Fermeture enregistrée : les plannings des familles la montrent.' });
      },
    },
    {
      method: 'GET',
      path: '/agents/calendrier',
      access: BACK_OFFICE,
      handle: async (p) => {
        const calendar = await p.api.get<Json>('/school-calendar');
        const allCommunes = p.principal?.role === 'admin' || (p.principal?.role === 'staff' && (p.principal.scope ?? []).includes('*'));
        return page('staff-calendar', 'Calendrier scolaire', { calendar, canAdjust: allCommunes });
      },
    },
    {
      method: 'POST',
      path: '/agents/calendrier',
      access: WRITERS,
      handle: async (p) => {
        const kind = field(p.form, 'type');
        const adjustment =
          kind === 'add-holiday'
            ? {
                type: kind,
                holiday: {
                  name: field(p.form, 'nom'),
                  kind: 'petites',
                  from: field(p.form, 'du'),
                  to: optional(p.form, 'au') ?? field(p.form, 'du'),
                },
              }
            : { type: 'remove-holiday-days', from: field(p.form, 'du'), to: optional(p.form, 'au') ?? field(p.form, 'du') };
        try {
          await p.api.post('/school-calendar/adjustments', { adjustment });
        } catch (error) {
          if (!(error instanceof ApiRefusal) || error.status === 401) throw error;
          const text = error.status === 400 ? 'Indiquez les dates (et le nom d’un pont).' : error.message;
          return redirect('/agents/calendrier', { kind: 'error', text });
        }
        return redirect('/agents/calendrier', {
          kind: 'success',
          text: 'Calendrier ajusté : les règles et les plannings en tiennent compte.',
        });
      },
    },
    {
      method: 'GET',
      path: '/agents/activites/:activityId/jours/:date',
      access: BACK_OFFICE,
      handle: async (p) => dayListPage(p),
    },
    {
      method: 'POST',
      path: '/agents/activites/:activityId/jours/:date',
      access: WRITERS,
      handle: async (p) => {
        const { activityId, date } = p.params;
        const base = `/agents/activites/${activityId}/jours/${date}`;
        const action = field(p.form, 'action');
        try {
          if (action === 'pointage') {
            const entries = Object.entries(p.form)
              .filter(([k, v]) => k.startsWith('presence:') && typeof v === 'string' && v !== '')
              .map(([k, v]) => {
                const [, familyId, childId] = k.split(':');
                return { familyId, childId, status: v as string };
              });
            if (entries.length === 0) return redirect(base, { kind: 'error', text: 'Cochez la présence d’au moins un enfant.' });
            await p.api.post(`/activities/${activityId}/days/${date}/attendance`, { entries });
          } else if (action === 'valider' || action === 'refuser') {
            const requestId = field(p.form, 'demande');
            const verb = action === 'valider' ? 'accept' : 'refuse';
            await p.api.post(
              `/activities/${activityId}/days/${date}/requests/${requestId}/${verb}`,
              action === 'refuser' ? { reason: field(p.form, 'motif') } : {},
            );
          } else {
            return redirect(base, { kind: 'error', text: 'Action inconnue.' });
          }
        } catch (error) {
          if (!(error instanceof ApiRefusal) || error.status === 401) throw error;
          const text =
            error.status === 400 ? 'Certaines informations sont manquantes (le motif d’un refus est obligatoire).' : error.message;
          return redirect(base, { kind: 'error', text });
        }
        const text =
          action === 'pointage' ? 'Pointage enregistré.' : action === 'valider' ? 'Réservation validée.' : 'Réservation refusée.';
        return redirect(base, { kind: 'success', text });
      },
    },
  ];
}

async function dayListPage(p: PageRequest) {
  const { activityId, date } = p.params;
  if (!ID.test(activityId) || !DATE.test(date))
    return page('message', 'Page introuvable', { heading: 'Page introuvable', text: 'Activité ou date invalide.' }, 404);
  const day = await p.api.get<Json>(`/activities/${activityId}/days/${date}`);
  // the names of the children, from the families' records (the API checks the agent reaches each family)
  const familyIds = new Set<string>([...day.allocated, ...day.awaitingStaff, ...day.offered, ...day.waiting].map((r: Json) => r.familyId));
  const names = new Map<string, string>();
  await Promise.all(
    [...familyIds].map(async (familyId) => {
      const record = await p.api.raw<Json>('GET', `/families/${familyId}`);
      if (record.status === 200)
        for (const c of record.body.children ?? []) names.set(`${familyId}|${c.childId}`, `${c.lastName} ${c.firstName}`);
    }),
  );
  const attendance = new Map<string, string>((day.attendance as Json[]).map((a) => [`${a.familyId}|${a.childId}`, a.status]));
  const person = (r: Json) => ({ ...r, name: names.get(`${r.familyId}|${r.childId}`) ?? r.childId, key: `${r.familyId}:${r.childId}` });
  const sheet = (day.allocated as Json[]).map((r) => {
    const status = attendance.get(`${r.familyId}|${r.childId}`);
    return { ...person(r), present: status === 'present', absent: status === 'absent' };
  });
  const previous = shiftDate(date, -1);
  const next = shiftDate(date, 1);
  return page('staff-day', `${day.activityName} – ${formatLongDateFr(date)}`, {
    day,
    dateLabel: formatLongDateFr(date),
    awaiting: (day.awaitingStaff as Json[]).map(person),
    offered: (day.offered as Json[]).map(person),
    waiting: (day.waiting as Json[]).map(person),
    sheet,
    canWrite: canWrite(p),
    previousHref: `/agents/activites/${activityId}/jours/${previous}`,
    nextHref: `/agents/activites/${activityId}/jours/${next}`,
  });
}

function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today in Paris, YYYY-MM-DD. */
function parisToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
