/**
 * A message from a facility's staff to the families of one of its activities, or of the whole facility:
 * sent once, with the families it goes to fixed when it is sent. Each family then gets a thread of its own
 * (broadcast.workflow.ts), so replies stay private.
 *
 * Pure: no framework, no I/O.
 */
import type { CommandMeta } from '../../../platform/domain/command-target';
import type { Decider } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import type { BroadcastEvent, BroadcastSentData } from '../messaging.events';
import { MAX_ATTACHMENTS, MAX_BODY_LENGTH } from '../threads/thread.decider';

/** The broadcast as staff send it: what BroadcastSent records, but when and by whom. */
export type SendBroadcast = CommandMeta & { type: 'SendBroadcast' } & Omit<BroadcastSentData, 'sentAt' | 'sentBy'>;

export type BroadcastState = { sent: boolean };

export const broadcastDecider: Decider<SendBroadcast, BroadcastEvent, BroadcastState> = {
  initialState: () => ({ sent: false }),
  evolve: (state, event) => (event.type === 'BroadcastSent' ? { sent: true } : state),
  decide(command, state) {
    if (state.sent) throw new DomainError('BROADCAST_EXISTS', 'Ce message a déjà été envoyé.', 'conflict');
    if (!command.body.trim()) throw new DomainError('EMPTY_BODY', 'Le message est vide.', 'invalid');
    if (!command.subject.trim()) throw new DomainError('EMPTY_SUBJECT', "L'objet du message est obligatoire.", 'invalid');
    if (command.body.length > MAX_BODY_LENGTH) {
      throw new DomainError('BODY_TOO_LONG', `Le message dépasse ${MAX_BODY_LENGTH.toLocaleString('fr-FR')} caractères.`, 'invalid');
    }
    if (command.attachments.length > MAX_ATTACHMENTS) {
      throw new DomainError('TOO_MANY_ATTACHMENTS', `Un message ne peut pas avoir plus de ${MAX_ATTACHMENTS} pièces jointes.`, 'invalid');
    }
    const recipients = [...new Set(command.recipients)].sort();
    if (recipients.length === 0) {
      throw new DomainError('NO_RECIPIENT', "Aucune famille n'est inscrite : le message n'a pas été envoyé.", 'invalid');
    }
    const { type: _type, at, actor, ...rest } = command;
    return [{ type: 'BroadcastSent', data: { ...rest, recipients, sentAt: at, sentBy: actor.userId } }];
  },
};
