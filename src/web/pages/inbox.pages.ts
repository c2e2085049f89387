/** « Boîte de réception »: received / sent / deleted folders, a conversation and its reply, a new message. */
import { COMMUNE_SERVICE, COMMUNE_SERVICE_NAME, TOPIC_LABELS } from '../../modules/messaging/messaging.events';
import { ApiRefusal } from '../api-client';
import { page, type PageRequest, type PageRoute, redirect } from '../portal';
import { errorView, field, optional } from './forms';

const PARENT = ['parent'] as const;

/* eslint-disable @typescript-eslint/no-explicit-any -- the folders and threads are the API's JSON, shown as they come */
type Json = any;

/** The folders, by their French address and the API's name. */
const FOLDERS = [
  { slug: 'recus', folder: 'received', label: 'Messages reçus' },
  { slug: 'envoyes', folder: 'sent', label: 'Messages envoyés' },
  { slug: 'supprimes', folder: 'deleted', label: 'Messages supprimés' },
] as const;

const LABELS = { facilityId: 'Destinataire', topic: 'Objet', subject: 'Sujet', body: 'Message' };

function familyOf(p: PageRequest): string {
  return p.principal?.familyId ?? '';
}

/** « Vous avez N nouveau(x) message(s) » (Accueil). */
export async function unreadMessages(p: PageRequest): Promise<{ messages: number; text: string }> {
  return p.api.get(`/families/${familyOf(p)}/inbox/unread`);
}

export function inboxPages(): PageRoute[] {
  const folderPage = async (p: PageRequest) => {
    const current = FOLDERS.find((f) => f.slug === p.query.dossier) ?? FOLDERS[0];
    const familyId = familyOf(p);
    const [list, unread] = await Promise.all([
      p.api.get<Json>(`/families/${familyId}/inbox?folder=${current.folder}`),
      p.api.get<Json>(`/families/${familyId}/inbox/unread`),
    ]);
    return page('inbox', current.label, {
      heading: current.label,
      unread,
      deletedFolder: current.folder === 'deleted',
      folders: FOLDERS.map((f) => ({ href: `/messages?dossier=${f.slug}`, label: f.label, current: f === current })),
      items: (list.items as Json[]).map((t) => ({
        ...t,
        href: `/messages/${encodeURIComponent(t.threadId)}`,
        isUnread: t.unreadFamily > 0 || t.markedUnreadFamily,
      })),
    });
  };

  const newMessagePage = async (p: PageRequest, extra: Record<string, unknown> = {}, status?: number) => {
    const familyId = familyOf(p);
    const [record, facilities] = await Promise.all([p.api.get<Json>(`/families/${familyId}`), p.api.get<Json>('/facilities')]);
    const commune = String(record.commune ?? '').toUpperCase();
    const chosen = (extra.values as Record<string, string> | undefined)?.destinataire ?? COMMUNE_SERVICE;
    const chosenTopic = (extra.values as Record<string, string> | undefined)?.objet ?? '';
    const recipients = [
      { value: COMMUNE_SERVICE, label: COMMUNE_SERVICE_NAME },
      ...(facilities.items as Json[])
        .map((d) => d.facility)
        .filter((f) => f && String(f.commune).toUpperCase() === commune)
        .map((f) => ({ value: f.facilityId, label: f.name })),
    ].map((r) => ({ ...r, selected: r.value === chosen }));
    const topics = Object.entries(TOPIC_LABELS).map(([value, label]) => ({ value, label, selected: value === chosenTopic }));
    return page('inbox-new', 'Nouveau message', { recipients, topics, ...extra }, status);
  };

  const threadPage = async (p: PageRequest, extra: Record<string, unknown> = {}, status?: number) => {
    const familyId = familyOf(p);
    const threadId = p.params.threadId;
    let thread = await p.api.get<Json>(`/families/${familyId}/inbox/threads/${encodeURIComponent(threadId)}`);
    if (thread.unreadFamily > 0 || thread.markedUnreadFamily) {
      // opening a conversation reads it (the family's own mark; staff keep theirs)
      await p.api.post(`/families/${familyId}/inbox/threads/${encodeURIComponent(threadId)}/read`, {});
      thread = { ...thread, unreadFamily: 0, markedUnreadFamily: false };
    }
    return page(
      'inbox-thread',
      thread.subject,
      {
        thread,
        deleted: Boolean(thread.familyDeletedAt),
        action: `/messages/${encodeURIComponent(threadId)}`,
        messages: (thread.messages as Json[]).map((m) => ({ ...m, fromFamily: m.side === 'family' })),
        ...extra,
      },
      status,
    );
  };

  return [
    { method: 'GET', path: '/messages', access: PARENT, handle: folderPage },
    { method: 'GET', path: '/messages/nouveau', access: PARENT, handle: (p) => newMessagePage(p) },
    {
      method: 'POST',
      path: '/messages/nouveau',
      access: PARENT,
      handle: async (p) => {
        const to = field(p.form, 'destinataire');
        let answer: Json;
        try {
          answer = await p.api.post(`/families/${familyOf(p)}/inbox/threads`, {
            ...(to && to !== COMMUNE_SERVICE ? { facilityId: to } : {}),
            topic: field(p.form, 'objet'),
            subject: optional(p.form, 'sujet') ?? '',
            body: optional(p.form, 'message') ?? '',
          });
        } catch (error) {
          if (!(error instanceof ApiRefusal) || error.status === 401) throw error;
          return newMessagePage(p, { ...errorView(error, LABELS), values: p.form }, 422);
        }
        return redirect(`/messages/${encodeURIComponent(answer.threadId)}`, { kind: 'success', text: 'Votre message a été envoyé.' });
      },
    },
    { method: 'GET', path: '/messages/:threadId', access: PARENT, handle: (p) => threadPage(p) },
    {
      method: 'POST',
      path: '/messages/:threadId/repondre',
      access: PARENT,
      handle: async (p) => {
        const threadId = encodeURIComponent(p.params.threadId);
        try {
          await p.api.post(`/families/${familyOf(p)}/inbox/threads/${threadId}/messages`, { body: optional(p.form, 'message') ?? '' });
        } catch (error) {
          if (!(error instanceof ApiRefusal) || error.status === 401 || error.status === 404) throw error;
          return threadPage(p, { ...errorView(error, LABELS), values: p.form }, 422);
        }
        return redirect(`/messages/${threadId}#dernier`, { kind: 'success', text: 'Votre réponse a été envoyée.' });
      },
    },
    {
      method: 'POST',
      path: '/messages/:threadId/:geste(supprimer|restaurer|non-lu)',
      access: PARENT,
      handle: async (p) => {
        const threadId = encodeURIComponent(p.params.threadId);
        const verb = { supprimer: 'delete', restaurer: 'restore', 'non-lu': 'unread' }[p.params.geste] ?? 'read';
        await p.api.post(`/families/${familyOf(p)}/inbox/threads/${threadId}/${verb}`, {});
        const text = {
          supprimer: 'La conversation a été mise dans les messages supprimés (restaurable 30 jours).',
          restaurer: 'La conversation a été restaurée.',
          'non-lu': 'La conversation est marquée comme non lue.',
        }[p.params.geste];
        return redirect(p.params.geste === 'restaurer' ? `/messages/${threadId}` : '/messages', { kind: 'success', text: text ?? '' });
      },
    },
  ];
}
