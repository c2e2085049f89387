import { projectAll } from '../../test/support/projection-harness';
import { projected } from '../../test/support/workflow-specification';
import { messageThreadsProjection } from './message-threads.projection';

const stream = { streamId: 'message-thread-T1', metadata: { familyId: 'F1' } };
const posted = (side: 'family' | 'staff', messageId: string, postedAt: string, position: number) =>
  projected(
    'MessagePosted',
    { threadId: 'T1', messageId, side, body: 'x', authorName: 'A', attachments: [], postedAt, postedBy: 'u' },
    { ...stream, position },
  );

describe('message-threads projection', () => {
  const started = projected(
    'ThreadStarted',
    {
      threadId: 'T1',
      familyId: 'F1',
      commune: 'Saint-Jean',
      facilityId: 'alsh',
      facilityName: 'ALSH',
      topic: 'billing',
      subject: 'Facture',
      startedBy: 'family',
      startedAt: '2026-11-16T08:00:00.000Z',
    },
    { ...stream, position: 1 },
  );

  it('puts a family message in the staff queue since its first unanswered message, and takes it out on the answer', () => {
    const waiting = projectAll(messageThreadsProjection, [
      started,
      posted('family', 'M1', '2026-11-16T08:00:00.000Z', 2),
      posted('family', 'M2', '2026-11-16T09:00:00.000Z', 3),
    ]).get('T1')!;
    expect(waiting).toMatchObject({
      queueKey: 'SAINT-JEAN|alsh',
      topicLabel: 'Facturation',
      awaitingStaff: true,
      awaitingSince: '2026-11-16T08:00:00.000Z',
      unreadStaff: 2,
      hasFamilyMessage: true,
      hasStaffMessage: false,
    });
    const answered = projectAll(messageThreadsProjection, [
      started,
      posted('family', 'M1', '2026-11-16T08:00:00.000Z', 2),
      posted('staff', 'M2', '2026-11-16T10:00:00.000Z', 3),
      projected(
        'ThreadRead',
        { threadId: 'T1', side: 'staff', readAt: '2026-11-16T10:00:00.000Z', readBy: 'u' },
        { ...stream, position: 4 },
      ),
    ]).get('T1')!;
    expect(answered).toMatchObject({ awaitingStaff: false, awaitingSince: null, unreadStaff: 0, unreadFamily: 1, hasStaffMessage: true });
  });

  it('brings a conversation the family deleted back to its inbox when staff write again', () => {
    const doc = projectAll(messageThreadsProjection, [
      started,
      posted('family', 'M1', '2026-11-16T08:00:00.000Z', 2),
      projected(
        'ThreadDeleted',
        { threadId: 'T1', side: 'family', deletedAt: '2026-11-16T09:00:00.000Z', deletedBy: 'u' },
        { ...stream, position: 3 },
      ),
      posted('staff', 'M2', '2026-11-17T08:00:00.000Z', 4),
    ]).get('T1')!;
    expect(doc).toMatchObject({ familyDeleted: false, familyDeletedAt: null, unreadFamily: 1 });
  });
});
