import type { StoredEvent } from '../../../platform/event-store/event-store.port';
import { EventSerializer } from '../../../platform/events/event-serializer';
import { catalogEvents } from './catalog.events';
import { regieIdOf, upcastActivityRegie } from './regie-reference';

describe('the régie of an activity becomes a reference', () => {
  it('derives a stable id from a régie name', () => {
    expect(regieIdOf('Régie garderie ALSH')).toBe('regie-garderie-alsh');
    expect(regieIdOf('  Régie restauration scolaire ')).toBe('regie-restauration-scolaire');
    expect(regieIdOf('Régie « Été » 2015 !')).toBe('regie-ete-2015');
    expect(regieIdOf('')).toBe('regie');
  });

  it('upcasts a v1 ActivityDefined stored with the régie name to v2 with its id, and leaves v2 as it is', () => {
    const serializer = new EventSerializer().register([...catalogEvents.definitions]);
    const activity = { activityId: 'alsh', facilityId: 'f', name: 'ALSH', regie: 'Régie garderie ALSH' };
    const stored = {
      streamId: 'facility-f',
      type: 'ActivityDefined',
      data: { activity, definedAt: '2015-01-01T00:00:00.000Z', definedBy: 'agent' },
      metadata: { schemaVersion: 1 },
      revision: 1,
      position: 1,
      recordedAt: '2015-01-01T00:00:00.000Z',
      id: 'e1',
    } as unknown as StoredEvent;
    const read = serializer.deserialize<{ type: string; data: { activity: Record<string, unknown> } }>(stored);
    expect(read.data.activity.regieId).toBe('regie-garderie-alsh');
    expect(read.data.activity).not.toHaveProperty('regie');
    const current = { activity: { activityId: 'a', regieId: 'ma-regie' } };
    expect(upcastActivityRegie(current)).toBe(current);
  });
});
