/**
 * The record of a family's notifications (what, on which channel, when, delivered, failed or skipped), and
 * the guard that makes one delivery per notification and channel: a delivery is claimed before it is sent,
 * and a second run of the same job (a redelivery, two workers) finds it claimed or done and sends nothing.
 * A claim left by a worker that died expires after CLAIM_LEASE_MS, so the retry sends it then.
 *
 * Pure: no framework, no I/O.
 */
import type { CommandMeta } from '../../../platform/domain/command-target';
import type { Decider, Decision } from '../../../platform/domain/decider';
import type { Channel, NotificationEvent } from '../messaging.events';

export const CLAIM_LEASE_MS = 2 * 60 * 1000;

export type NotificationLogKey = { familyId: string; year: string };

type Delivery = { notificationId: string; channel: Channel; kind: string };

export type ClaimDelivery = CommandMeta & Delivery & { type: 'ClaimDelivery' };
export type RecordDelivery = CommandMeta &
  Delivery & {
    type: 'RecordDelivery';
    outcome: 'delivered' | 'failed' | 'skipped';
    to?: string;
    error?: string;
    reason?: 'no-consent' | 'no-address';
  };
export type NotificationLogCommand = ClaimDelivery | RecordDelivery;

export type DeliveryStatus = 'sending' | 'delivered' | 'failed' | 'skipped';

export type NotificationLogEntry = Delivery & {
  status: DeliveryStatus;
  at: string;
  to?: string;
  error?: string;
  reason?: string;
};

export type NotificationLogState = { entries: Record<string, NotificationLogEntry> };

/** 'claimed': send it now; 'done': it was delivered or skipped; 'busy': another run is sending it. */
export type ClaimAnswer = 'claimed' | 'done' | 'busy';

const keyOf = (d: Delivery) => `${d.notificationId}|${d.channel}`;

export const notificationLogDecider: Decider<
  NotificationLogCommand,
  NotificationEvent,
  NotificationLogState,
  Decision<NotificationEvent, ClaimAnswer | undefined>
> = {
  initialState: () => ({ entries: {} }),

  evolve(state, event) {
    const { notificationId, channel, kind } = event.data;
    const base = { notificationId, channel, kind };
    let entry: NotificationLogEntry;
    switch (event.type) {
      case 'NotificationDeliveryStarted':
        entry = { ...base, status: 'sending', at: event.data.startedAt };
        break;
      case 'NotificationDelivered':
        entry = { ...base, status: 'delivered', at: event.data.deliveredAt, to: event.data.to };
        break;
      case 'NotificationFailed':
        entry = { ...base, status: 'failed', at: event.data.failedAt, error: event.data.error };
        break;
      case 'NotificationSkipped':
        entry = { ...base, status: 'skipped', at: event.data.skippedAt, reason: event.data.reason };
        break;
      default:
        return state;
    }
    return { entries: { ...state.entries, [keyOf(base)]: entry } };
  },

  decide(command, state) {
    const { notificationId, channel, kind } = command;
    const base = { notificationId, channel, kind };
    const current = state.entries[keyOf(command)];
    const done = current?.status === 'delivered' || current?.status === 'skipped';
    if (command.type === 'ClaimDelivery') {
      if (done) return { events: [], answer: 'done' };
      if (current?.status === 'sending' && Date.parse(command.at) - Date.parse(current.at) < CLAIM_LEASE_MS) {
        return { events: [], answer: 'busy' };
      }
      return { events: [{ type: 'NotificationDeliveryStarted', data: { ...base, startedAt: command.at } }], answer: 'claimed' };
    }
    if (done) return { events: [], answer: undefined };
    switch (command.outcome) {
      case 'delivered':
        return {
          events: [{ type: 'NotificationDelivered', data: { ...base, to: command.to ?? '', deliveredAt: command.at } }],
          answer: undefined,
        };
      case 'failed':
        return {
          events: [{ type: 'NotificationFailed', data: { ...base, error: command.error ?? '', failedAt: command.at } }],
          answer: undefined,
        };
      case 'skipped':
        return {
          events: [{ type: 'NotificationSkipped', data: { ...base, reason: command.reason ?? 'no-consent', skippedAt: command.at } }],
          answer: undefined,
        };
      default: {
        const unexpected: never = command.outcome;
        throw new Error(`Unexpected outcome ${String(unexpected)}`);
      }
    }
  },
};
