/**
 * One conversation between a family and a facility (or the commune's family service): started by either
 * side, answered by either side, read, marked unread, deleted and restored by each side on its own.
 *
 * Pure: no framework, no I/O; time comes with the command.
 */
import type { CommandMeta } from '../../../platform/domain/command-target';
import type { Decider } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import { type Attachment, COMMUNE_SERVICE, COMMUNE_SERVICE_NAME, type Side, type ThreadEvent, type Topic } from '../messaging.events';

/** A deleted conversation can be restored for 30 days; then it is gone from the folders for good. */
export const RESTORE_WINDOW_DAYS = 30;
const RESTORE_WINDOW_MS = RESTORE_WINDOW_DAYS * 24 * 60 * 60 * 1000;
export const MAX_BODY_LENGTH = 10_000;
export const MAX_ATTACHMENTS = 5;

export type ThreadKey = { familyId: string; threadId: string };

type Message = { messageId: string; body: string; authorName: string; attachments: Attachment[] };

export type StartThread = CommandMeta &
  ThreadKey &
  Message & {
    type: 'StartThread';
    side: Side;
    commune: string;
    facilityId: string;
    facilityName: string;
    topic: Topic;
    subject: string;
    broadcastId?: string;
  };
export type PostMessage = CommandMeta & ThreadKey & Message & { type: 'PostMessage'; side: Side };
export type MarkThreadRead = CommandMeta & ThreadKey & { type: 'MarkThreadRead'; side: Side };
export type MarkThreadUnread = CommandMeta & ThreadKey & { type: 'MarkThreadUnread'; side: Side };
export type DeleteThread = CommandMeta & ThreadKey & { type: 'DeleteThread'; side: Side };
export type RestoreThread = CommandMeta & ThreadKey & { type: 'RestoreThread'; side: Side };
/**
 * A notice of the notification service in the family's conversation for its kind (from the commune's family
 * service): starts the conversation the first time, adds to it afterwards, once per notification.
 */
export type PostNotice = CommandMeta &
  ThreadKey & {
    type: 'PostNotice';
    notificationId: string;
    commune: string;
    topic: Topic;
    subject: string;
    body: string;
  };

export type ThreadCommand = StartThread | PostMessage | MarkThreadRead | MarkThreadUnread | DeleteThread | RestoreThread | PostNotice;

type PerSide<T> = Record<Side, T>;

export type ThreadState = {
  started: boolean;
  familyId?: string;
  commune?: string;
  facilityId?: string;
  messages: number;
  /** messages from the other side not read yet, per reading side */
  unread: PerSide<number>;
  /** a side marked the thread unread (nothing new arrived) */
  markedUnread: PerSide<boolean>;
  deletedAt: PerSide<string | null>;
  /** every attachment of the thread: only these file ids can be downloaded through it */
  fileIds: string[];
  /** the notifications posted in the thread as notices (each once) */
  notices: string[];
};

export const threadDecider: Decider<ThreadCommand, ThreadEvent, ThreadState> = {
  initialState: () => ({
    started: false,
    messages: 0,
    unread: { family: 0, staff: 0 },
    markedUnread: { family: false, staff: false },
    deletedAt: { family: null, staff: null },
    fileIds: [],
    notices: [],
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'ThreadStarted':
        return {
          ...state,
          started: true,
          familyId: event.data.familyId,
          commune: event.data.commune,
          facilityId: event.data.facilityId,
        };
      case 'MessagePosted': {
        const reader = other(event.data.side);
        return {
          ...state,
          messages: state.messages + 1,
          unread: { ...state.unread, [reader]: state.unread[reader] + 1 },
          // a new message brings a deleted conversation back to the recipient's inbox
          deletedAt: { ...state.deletedAt, [reader]: null },
          fileIds: [...state.fileIds, ...event.data.attachments.map((a) => a.fileId)],
          notices: event.data.notificationId ? [...state.notices, event.data.notificationId] : state.notices,
        };
      }
      case 'ThreadRead':
        return {
          ...state,
          unread: { ...state.unread, [event.data.side]: 0 },
          markedUnread: { ...state.markedUnread, [event.data.side]: false },
        };
      case 'ThreadMarkedUnread':
        return { ...state, markedUnread: { ...state.markedUnread, [event.data.side]: true } };
      case 'ThreadDeleted':
        return { ...state, deletedAt: { ...state.deletedAt, [event.data.side]: event.data.deletedAt } };
      case 'ThreadRestored':
        return { ...state, deletedAt: { ...state.deletedAt, [event.data.side]: null } };
      default:
        return state;
    }
  },

  decide(command, state) {
    const who = command.actor.userId;
    if (command.type === 'StartThread') {
      if (state.started) throw new DomainError('THREAD_EXISTS', 'Cette conversation existe déjà.', 'conflict');
      checkMessage(command);
      if (!command.subject.trim()) throw new DomainError('EMPTY_SUBJECT', "L'objet du message est obligatoire.", 'invalid');
      return [threadStarted(command), posted(command, command.side)];
    }
    if (command.type === 'PostNotice') return postNotice(command, state);
    // Another family's thread answers like one that does not exist.
    if (!state.started || state.familyId !== command.familyId) {
      throw new DomainError('THREAD_NOT_FOUND', 'Conversation introuvable.', 'not_found');
    }
    const side = command.side;
    switch (command.type) {
      case 'PostMessage':
        if (state.deletedAt[side]) {
          throw new DomainError(
            'THREAD_DELETED',
            'Cette conversation est dans les messages supprimés : restaurez-la avant d’y répondre.',
            'conflict',
          );
        }
        checkMessage(command);
        return [posted(command, side)];
      case 'MarkThreadRead':
        if (state.unread[side] === 0 && !state.markedUnread[side]) return [];
        return [{ type: 'ThreadRead', data: { threadId: command.threadId, side, readAt: command.at, readBy: who } }];
      case 'MarkThreadUnread':
        if (state.unread[side] > 0 || state.markedUnread[side]) return [];
        return [{ type: 'ThreadMarkedUnread', data: { threadId: command.threadId, side, markedAt: command.at, markedBy: who } }];
      case 'DeleteThread':
        if (state.deletedAt[side]) return [];
        return [{ type: 'ThreadDeleted', data: { threadId: command.threadId, side, deletedAt: command.at, deletedBy: who } }];
      case 'RestoreThread': {
        const deletedAt = state.deletedAt[side];
        if (!deletedAt) return [];
        if (Date.parse(command.at) - Date.parse(deletedAt) > RESTORE_WINDOW_MS) {
          throw new DomainError(
            'THREAD_PURGED',
            `Cette conversation a été supprimée il y a plus de ${RESTORE_WINDOW_DAYS} jours : elle ne peut plus être restaurée.`,
            'conflict',
          );
        }
        return [{ type: 'ThreadRestored', data: { threadId: command.threadId, side, restoredAt: command.at, restoredBy: who } }];
      }
      default: {
        const unexpected: never = command;
        throw new Error(`Unexpected command ${JSON.stringify(unexpected)}`);
      }
    }
  },
};

/** The author the family sees on a notice. */
export const NOTICE_AUTHOR = COMMUNE_SERVICE_NAME;

function postNotice(command: PostNotice, state: ThreadState): ThreadEvent[] {
  if (state.started && state.familyId !== command.familyId) {
    throw new DomainError('THREAD_NOT_FOUND', 'Conversation introuvable.', 'not_found');
  }
  if (state.notices.includes(command.notificationId)) return [];
  checkMessage({ body: command.body, attachments: [] });
  const message = posted(
    { ...command, messageId: command.notificationId, authorName: NOTICE_AUTHOR, attachments: [] },
    'staff',
    command.notificationId,
  );
  if (state.started) return [message];
  return [threadStarted({ ...command, facilityId: COMMUNE_SERVICE, facilityName: COMMUNE_SERVICE_NAME, side: 'staff' }), message];
}

type ThreadOpening = Pick<
  StartThread,
  'threadId' | 'familyId' | 'commune' | 'facilityId' | 'facilityName' | 'topic' | 'subject' | 'side' | 'broadcastId' | 'at'
>;

function threadStarted(c: ThreadOpening): ThreadEvent {
  return {
    type: 'ThreadStarted',
    data: {
      threadId: c.threadId,
      familyId: c.familyId,
      commune: c.commune,
      facilityId: c.facilityId,
      facilityName: c.facilityName,
      topic: c.topic,
      subject: c.subject,
      startedBy: c.side,
      ...(c.broadcastId ? { broadcastId: c.broadcastId } : {}),
      startedAt: c.at,
    },
  };
}

function other(side: Side): Side {
  return side === 'family' ? 'staff' : 'family';
}

function checkMessage(message: Pick<Message, 'body' | 'attachments'>): void {
  if (!message.body.trim()) throw new DomainError('EMPTY_BODY', 'Le message est vide.', 'invalid');
  if (message.body.length > MAX_BODY_LENGTH) {
    throw new DomainError('BODY_TOO_LONG', `Le message dépasse ${MAX_BODY_LENGTH.toLocaleString('fr-FR')} caractères.`, 'invalid');
  }
  if (message.attachments.length > MAX_ATTACHMENTS) {
    throw new DomainError('TOO_MANY_ATTACHMENTS', `Un message ne peut pas avoir plus de ${MAX_ATTACHMENTS} pièces jointes.`, 'invalid');
  }
}

function posted(command: CommandMeta & ThreadKey & Message, side: Side, notificationId?: string): ThreadEvent {
  return {
    type: 'MessagePosted',
    data: {
      threadId: command.threadId,
      messageId: command.messageId,
      side,
      body: command.body,
      authorName: command.authorName,
      attachments: command.attachments,
      postedAt: command.at,
      postedBy: command.actor.userId,
      ...(notificationId ? { notificationId } : {}),
    },
  };
}
