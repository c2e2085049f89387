/**
 * The record of a family's notifications (what, to whom, on which channel, when: delivered, failed or
 * skipped with the reason), readable by staff, and the guard that makes one delivery per notification and
 * channel: a delivery is claimed (a version-guarded write) before it is sent, so a second run of the same
 * job (a redelivery, two workers) finds it claimed or done and sends nothing. A claim left by a worker that
 * died expires after CLAIM_LEASE_MS, and the retry sends it then.
 *
 * Kept in the DocumentStore, not the event log: it is the delivery's operational record, written by
 * background jobs at any time, and holds no decision of the domain.
 */
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';

import { type DocumentStore, VersionConflictError } from '../../../platform/document-store/document-store.port';
import { DOCUMENT_STORE } from '../../../platform/tokens';

export const NOTIFICATION_LOG = 'notification-log';
export const CLAIM_LEASE_MS = 2 * 60 * 1000;

export type Channel = 'email' | 'sms';
export type DeliveryStatus = 'sending' | 'delivered' | 'failed' | 'skipped';

export type NotificationLogEntry = {
  notificationId: string;
  familyId: string;
  channel: Channel;
  kind: string;
  title: string;
  status: DeliveryStatus;
  /** ISO instant of the last change */
  at: string;
  attempts: number;
  to?: string;
  error?: string;
  reason?: 'no-consent' | 'no-address';
};

/**
 * The log is a document outside the event log, hence outside the per-family encryption that erasure destroys:
 * it keeps no address in clear, only enough to tell staff which one was used (« j***@exemple.fr », « ******78 »).
 */
export function maskedAddress(address: string): string {
  const at = address.indexOf('@');
  if (at > 0) return `${address[0]}***${address.slice(at)}`;
  return `${'*'.repeat(Math.max(0, address.length - 2))}${address.slice(-2)}`;
}

/** 'claimed': send it now; 'done': it was delivered or skipped; 'busy': another run is sending it. */
export type ClaimAnswer = 'claimed' | 'done' | 'busy';

/** Pure: whether a run may send, given what the log holds. */
export function claimDecision(entry: NotificationLogEntry | null, now: string): ClaimAnswer {
  if (entry?.status === 'delivered' || entry?.status === 'skipped') return 'done';
  if (entry?.status === 'sending' && Date.parse(now) - Date.parse(entry.at) < CLAIM_LEASE_MS) return 'busy';
  return 'claimed';
}

type Delivery = Pick<NotificationLogEntry, 'notificationId' | 'familyId' | 'channel' | 'kind' | 'title'>;

@Injectable()
export class NotificationLog implements OnModuleInit {
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async onModuleInit(): Promise<void> {
    await this.documents.ensureCollection(NOTIFICATION_LOG, ['familyId', 'at']);
  }

  async claim(delivery: Delivery, now: string): Promise<ClaimAnswer> {
    const id = idOf(delivery);
    const current = await this.documents.get<NotificationLogEntry>(NOTIFICATION_LOG, id);
    const answer = claimDecision(current?.data ?? null, now);
    if (answer !== 'claimed') return answer;
    const entry: NotificationLogEntry = { ...delivery, status: 'sending', at: now, attempts: (current?.data.attempts ?? 0) + 1 };
    try {
      await this.documents.put(NOTIFICATION_LOG, id, entry, current ? current.version : 'absent');
      return 'claimed';
    } catch (error) {
      if (error instanceof VersionConflictError) return 'busy';
      throw error;
    }
  }

  /** The outcome of a delivery (a delivered or skipped one is final). */
  async record(
    delivery: Delivery,
    now: string,
    outcome: { status: 'delivered' | 'failed' | 'skipped'; to?: string; error?: string; reason?: 'no-consent' | 'no-address' },
  ): Promise<void> {
    const id = idOf(delivery);
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.documents.get<NotificationLogEntry>(NOTIFICATION_LOG, id);
      if (current && (current.data.status === 'delivered' || current.data.status === 'skipped')) return;
      const entry: NotificationLogEntry = {
        ...delivery,
        at: now,
        attempts: current?.data.attempts ?? 0,
        ...outcome,
        ...(outcome.to ? { to: maskedAddress(outcome.to) } : {}),
      };
      try {
        await this.documents.put(NOTIFICATION_LOG, id, entry, current ? current.version : 'absent');
        return;
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
  }

  /** A family's notifications, the most recent first. */
  async of(familyId: string, limit = 500): Promise<NotificationLogEntry[]> {
    const page = await this.documents.find<NotificationLogEntry>(NOTIFICATION_LOG, {
      where: { familyId },
      sort: [{ field: 'at', direction: 'desc' }],
      limit,
    });
    return page.items.map((d) => d.data);
  }
}

function idOf(delivery: Delivery): string {
  return `${delivery.notificationId}|${delivery.channel}`;
}
