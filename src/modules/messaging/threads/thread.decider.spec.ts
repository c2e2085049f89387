import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { ThreadEvent } from '../messaging.events';
import { NOTICE_AUTHOR, type PostNotice, type StartThread, threadDecider } from './thread.decider';

const spec = DeciderSpecification.for(threadDecider);
const parent = { userId: 'u-dupont', role: 'parent' as const };
const agent = { userId: 'u-agent', role: 'staff' as const };
const key = { familyId: 'F1', threadId: 'T1' };
const AT = '2026-11-16T08:00:00.000Z';

const start: StartThread = {
  type: 'StartThread',
  ...key,
  at: AT,
  actor: parent,
  side: 'family',
  commune: 'SAINT-JEAN',
  facilityId: 'alsh-saint-jean',
  facilityName: 'Accueil de Loisirs',
  topic: 'health',
  subject: 'Certificat',
  messageId: 'M1',
  body: 'Voici le certificat.',
  authorName: 'JEAN DUPONT',
  attachments: [],
};

const started: ThreadEvent[] = [
  {
    type: 'ThreadStarted',
    data: {
      threadId: 'T1',
      familyId: 'F1',
      commune: 'SAINT-JEAN',
      facilityId: 'alsh-saint-jean',
      facilityName: 'Accueil de Loisirs',
      topic: 'health',
      subject: 'Certificat',
      startedBy: 'family',
      startedAt: AT,
    },
  },
  {
    type: 'MessagePosted',
    data: {
      threadId: 'T1',
      messageId: 'M1',
      side: 'family',
      body: 'Voici le certificat.',
      authorName: 'JEAN DUPONT',
      attachments: [],
      postedAt: AT,
      postedBy: 'u-dupont',
    },
  },
];

describe('thread decider', () => {
  it('starts a conversation with its first message', () => {
    spec.given([]).when(start).then(started);
  });

  it('refuses an empty message, an empty subject and a second start', () => {
    spec
      .given([])
      .when({ ...start, body: '  \n ' })
      .thenThrows('EMPTY_BODY', 'invalid');
    spec
      .given([])
      .when({ ...start, subject: ' ' })
      .thenThrows('EMPTY_SUBJECT', 'invalid');
    spec
      .given([])
      .when({ ...start, body: 'x'.repeat(10_001) })
      .thenThrows('BODY_TOO_LONG', 'invalid');
    spec.given(started).when(start).thenThrows('THREAD_EXISTS', 'conflict');
  });

  it("answers another family's conversation as not found", () => {
    spec
      .given(started)
      .when({
        type: 'PostMessage',
        familyId: 'F2',
        threadId: 'T1',
        at: AT,
        actor: parent,
        side: 'family',
        messageId: 'M2',
        body: 'x',
        authorName: 'X',
        attachments: [],
      })
      .thenThrows('THREAD_NOT_FOUND', 'not_found');
  });

  it('counts unread messages per side: a staff answer is unread for the family until read', () => {
    const state = spec
      .given(started)
      .when({
        type: 'PostMessage',
        ...key,
        at: AT,
        actor: agent,
        side: 'staff',
        messageId: 'M2',
        body: 'Bien reçu.',
        authorName: 'Agent',
        attachments: [],
      })
      .then([
        {
          type: 'MessagePosted',
          data: {
            threadId: 'T1',
            messageId: 'M2',
            side: 'staff',
            body: 'Bien reçu.',
            authorName: 'Agent',
            attachments: [],
            postedAt: AT,
            postedBy: 'u-agent',
          },
        },
      ]);
    expect(state.unread).toEqual({ family: 1, staff: 1 });
    spec
      .given(started)
      .when({ type: 'MarkThreadRead', ...key, at: AT, actor: agent, side: 'staff' })
      .then([{ type: 'ThreadRead', data: { threadId: 'T1', side: 'staff', readAt: AT, readBy: 'u-agent' } }]);
    // nothing unread for the family: reading again records nothing
    spec
      .given(started)
      .when({ type: 'MarkThreadRead', ...key, at: AT, actor: parent, side: 'family' })
      .then([]);
  });

  it('restores a deleted conversation within 30 days, not after; a deleted conversation takes no reply from its side', () => {
    const deleted: ThreadEvent[] = [
      ...started,
      { type: 'ThreadDeleted', data: { threadId: 'T1', side: 'family', deletedAt: AT, deletedBy: 'u-dupont' } },
    ];
    spec
      .given(deleted)
      .when({ type: 'RestoreThread', ...key, at: '2026-12-15T08:00:00.000Z', actor: parent, side: 'family' })
      .then([
        {
          type: 'ThreadRestored',
          data: { threadId: 'T1', side: 'family', restoredAt: '2026-12-15T08:00:00.000Z', restoredBy: 'u-dupont' },
        },
      ]);
    spec
      .given(deleted)
      .when({ type: 'RestoreThread', ...key, at: '2026-12-17T08:00:00.000Z', actor: parent, side: 'family' })
      .thenThrows('THREAD_PURGED', 'conflict');
    spec
      .given(deleted)
      .when({
        type: 'PostMessage',
        ...key,
        at: AT,
        actor: parent,
        side: 'family',
        messageId: 'M3',
        body: 'x',
        authorName: 'X',
        attachments: [],
      })
      .thenThrows('THREAD_DELETED', 'conflict');
  });

  describe('notices of the notification service', () => {
    const system = { userId: 'notifications', role: 'system' as const };
    const notice = (notificationId: string, body: string): PostNotice => ({
      type: 'PostNotice',
      familyId: 'F1',
      threadId: 'N1',
      at: AT,
      actor: system,
      notificationId,
      commune: 'SAINT-JEAN',
      topic: 'other',
      subject: 'Vos demandes',
      body,
    });
    const posted = (notificationId: string, body: string): ThreadEvent => ({
      type: 'MessagePosted',
      data: {
        threadId: 'N1',
        messageId: notificationId,
        side: 'staff',
        body,
        authorName: NOTICE_AUTHOR,
        attachments: [],
        postedAt: AT,
        postedBy: 'notifications',
        notificationId,
      },
    });
    const opened: ThreadEvent = {
      type: 'ThreadStarted',
      data: {
        threadId: 'N1',
        familyId: 'F1',
        commune: 'SAINT-JEAN',
        facilityId: 'service-famille',
        facilityName: 'Service enfance-famille de la commune',
        topic: 'other',
        subject: 'Vos demandes',
        startedBy: 'staff',
        startedAt: AT,
      },
    };

    it('opens the family’s conversation for the kind with the first notice, from the commune’s family service', () => {
      spec
        .given([])
        .when(notice('n-1', 'Demande acceptée'))
        .then([opened, posted('n-1', 'Demande acceptée')]);
    });

    it('adds a later notice to the same conversation', () => {
      spec
        .given([opened, posted('n-1', 'Demande acceptée')])
        .when(notice('n-2', 'Demande refusée'))
        .then([posted('n-2', 'Demande refusée')]);
    });

    it('posts a notice once, however often it is delivered', () => {
      spec
        .given([opened, posted('n-1', 'Demande acceptée')])
        .when(notice('n-1', 'Demande acceptée'))
        .then([]);
    });

    it('brings a conversation the family deleted back with the next notice', () => {
      spec
        .given([
          opened,
          posted('n-1', 'a'),
          { type: 'ThreadDeleted', data: { threadId: 'N1', side: 'family', deletedAt: AT, deletedBy: 'u' } },
        ])
        .when(notice('n-2', 'b'))
        .then([posted('n-2', 'b')]);
    });

    it('never posts into another family’s conversation', () => {
      spec
        .given([opened])
        .when({ ...notice('n-3', 'x'), familyId: 'F2' })
        .thenThrows('THREAD_NOT_FOUND', 'not_found');
    });
  });
});
