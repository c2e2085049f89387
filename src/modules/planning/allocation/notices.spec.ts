import { endingOf, noticeText } from './notices';

describe('allocation notices', () => {
  it('frees the family’s day for every ending but a cancellation (which the family recorded itself)', () => {
    expect(endingOf('RequestRefusedByStaff', undefined)).toBe('refused-by-staff');
    expect(endingOf('RequestRejected', undefined)).toBe('rejected');
    expect(endingOf('PlaceReleased', 'closure')).toBe('closure');
    expect(endingOf('PlaceReleased', 'offer-expired')).toBe('offer-expired');
    expect(endingOf('RemovedFromWaitingList', 'closure')).toBe('closure');
    expect(endingOf('PlaceReleased', 'cancelled')).toBeNull();
    expect(endingOf('PlaceAllocated', undefined)).toBeNull();
  });

  it('words an offered place in French with its deadline in Paris time', () => {
    const { title, message } = noticeText(
      {
        kind: 'place-offered',
        familyId: 'f',
        childId: 'c',
        requestId: 'r',
        activityId: 'a',
        date: '2027-01-13',
        expiresAt: '2027-01-08T11:00:00.000Z',
      },
      'LUCIE',
      'ALSH Mercredi après-midi',
    );
    expect(title).toBe('Une place se libère');
    expect(message).toContain('mercredi 13 janvier 2027');
    expect(message).toContain('LUCIE');
    expect(message).toMatch(/12:00/);
  });
});
