import { inboxNotice, noticeThreadId } from './inbox-notice';

describe('inbox notice', () => {
  const base = { familyId: 'F1', title: 'Demande refusée', message: 'Motif : illisible.' };

  it('files the notices of one matter in one conversation of the family, titled and in French', () => {
    const refused = inboxNotice({ ...base, kind: 'request-refused' });
    const accepted = inboxNotice({ ...base, kind: 'request-accepted', title: 'Demande acceptée' });
    expect(refused).toEqual({
      threadId: noticeThreadId('F1', 'requests'),
      topic: 'other',
      subject: 'Vos demandes de modification',
      body: 'Demande refusée\n\nMotif : illisible.',
    });
    expect(accepted?.threadId).toBe(refused?.threadId);
    expect(inboxNotice({ ...base, kind: 'place-offered' })).toMatchObject({ subject: 'Vos réservations', topic: 'reservation' });
    expect(inboxNotice({ ...base, kind: 'invoice-issued' })).toMatchObject({ subject: 'Vos factures et paiements', topic: 'billing' });
  });

  it('gives each family its own conversation, and an unknown kind one of its own named by its title', () => {
    expect(inboxNotice({ ...base, familyId: 'F2', kind: 'request-refused' })?.threadId).not.toBe(
      inboxNotice({ ...base, kind: 'request-refused' })?.threadId,
    );
    expect(inboxNotice({ ...base, kind: 'something-new', title: 'Autre avis' })).toMatchObject({
      threadId: noticeThreadId('F1', 'kind:something-new'),
      subject: 'Autre avis',
      topic: 'other',
    });
  });

  it('adds nothing for a staff message, which is in the inbox already', () => {
    expect(inboxNotice({ ...base, kind: 'new-message' })).toBeNull();
  });
});
