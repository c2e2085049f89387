/**
 * Where a notification lands in the family's in-portal inbox, whatever its e-mail/SMS consent: a message
 * from the commune's family service in one conversation per family and subject (its requests, its
 * reservations, its documents, its invoices…), so the notices of one matter read as one thread.
 *
 * Pure: the thread id is derived from the family and the subject, the message id from the notification.
 */
import { v5 as uuidv5 } from 'uuid';

import type { Topic } from '../messaging.events';

const NOTICE_THREAD_NAMESPACE = '4d1f7c9e-2b8a-4e35-9c61-7a0e5f3b2d18';

/** Notifications whose matter is already a message of the inbox (a staff message): no notice for them. */
export const ALREADY_IN_INBOX: ReadonlySet<string> = new Set(['new-message']);

type NoticeSubject = { key: string; subject: string; topic: Topic };

const SUBJECTS: { kinds: readonly string[]; subject: NoticeSubject }[] = [
  {
    kinds: ['request-accepted', 'request-refused'],
    subject: { key: 'requests', subject: 'Vos demandes de modification', topic: 'other' },
  },
  {
    kinds: ['wait-listed', 'place-offered', 'offer-expired', 'accepted-by-staff', 'refused-by-staff', 'day-closed'],
    subject: { key: 'reservations', subject: 'Vos réservations', topic: 'reservation' },
  },
  {
    kinds: ['document-accepted', 'document-refused'],
    subject: { key: 'documents', subject: 'Vos documents', topic: 'other' },
  },
  {
    kinds: ['invoice-issued', 'payment-received'],
    subject: { key: 'billing', subject: 'Vos factures et paiements', topic: 'billing' },
  },
];

export type InboxNotice = { threadId: string; topic: Topic; subject: string; body: string };

/** The family's notice thread and message for a notification (null: it needs none). */
export function inboxNotice(n: { familyId: string; kind: string; title: string; message: string }): InboxNotice | null {
  if (ALREADY_IN_INBOX.has(n.kind)) return null;
  const known = SUBJECTS.find((s) => s.kinds.includes(n.kind))?.subject;
  const subject = known ?? { key: `kind:${n.kind}`, subject: n.title, topic: 'other' as const };
  return {
    threadId: noticeThreadId(n.familyId, subject.key),
    topic: subject.topic,
    subject: subject.subject,
    body: `${n.title}\n\n${n.message}`,
  };
}

export function noticeThreadId(familyId: string, subjectKey: string): string {
  return uuidv5(`notices|${familyId}|${subjectKey}`, NOTICE_THREAD_NAMESPACE);
}
