import { claimDecision, maskedAddress, type NotificationLogEntry } from './notification-log';

const AT = '2026-11-16T08:00:00.000Z';
const entry = (status: NotificationLogEntry['status'], at = AT): NotificationLogEntry => ({
  notificationId: 'N1',
  familyId: 'F1',
  channel: 'email',
  kind: 'new-message',
  title: 'Nouveau message',
  status,
  at,
  attempts: 1,
});

describe('one delivery per notification and channel', () => {
  it('claims a new delivery, finds a delivered or skipped one done, and one being sent busy', () => {
    expect(claimDecision(null, AT)).toBe('claimed');
    expect(claimDecision(entry('delivered'), AT)).toBe('done');
    expect(claimDecision(entry('skipped'), AT)).toBe('done');
    expect(claimDecision(entry('sending'), '2026-11-16T08:01:00.000Z')).toBe('busy');
  });

  it('lets a retry claim again after a failure, or after a claim left by a worker that died (2 minutes)', () => {
    expect(claimDecision(entry('failed'), AT)).toBe('claimed');
    expect(claimDecision(entry('sending'), '2026-11-16T08:02:01.000Z')).toBe('claimed');
  });
});

describe('maskedAddress', () => {
  it('keeps no address in clear: the first letter and the domain of an e-mail, the last two digits of a phone', () => {
    expect(maskedAddress('jean.dupont@exemple.fr')).toBe('j***@exemple.fr');
    expect(maskedAddress('+33612345678')).toBe('**********78');
  });
});
