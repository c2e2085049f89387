import { type FamilyCommand } from '../../src/modules/families/families.decider';
import type { ProjectedEvent } from '../../src/platform/projections/projection';
import { asJean, asProjectedEvents, asStaff, DUPONT_FAMILY_ID, LUCAS_ID, SEED_NOW } from '../../test/support/fixtures/dupont';
import { dupontHistory, projectAll } from '../../test/support/projection-harness';
import { type StaffQueueDocument, staffQueueProjection } from './staff-queue.projection';

const LATER = '2015-04-09T09:30:00.000Z';

const history = dupontHistory;
const project = (events: ProjectedEvent[]): Map<string, StaffQueueDocument> => projectAll(staffQueueProjection, events);

const healthRequest: FamilyCommand = {
  type: 'RequestHealthDataChange',
  ...asJean(),
  requestId: 'req-1',
  childId: LUCAS_ID,
  changes: { allergies: ['Arachide', 'Lait'] },
};
const cafRequest: FamilyCommand = {
  type: 'RequestCafChange',
  ...asJean(),
  requestId: 'req-2',
  changes: { regime: 'CAF', allocataireNumber: '1234567', quotientFamilial: 850 },
};

describe('staff-queue projection', () => {
  it('is queried by category, family and date', () => {
    expect(staffQueueProjection.name).toBe('staff-queue');
    expect(staffQueueProjection.indexedFields).toEqual(['category', 'familyId', 'requestedAt', 'commune']);
  });

  it('queues a pending request with the family number and the guardian name', () => {
    const documents = project(asProjectedEvents(history([healthRequest, cafRequest])));
    expect(documents.get('req-1')).toEqual({
      requestId: 'req-1',
      familyId: DUPONT_FAMILY_ID,
      familyNumber: '1001001818331',
      commune: 'SAINT-JEAN',
      guardianName: 'DUPONT JEAN',
      category: 'health',
      categoryLabel: 'Données sanitaires',
      childId: LUCAS_ID,
      childName: 'LUCAS',
      requestedAt: SEED_NOW,
      requestedBy: 'user-jean-dupont',
      summary: 'LUCAS : mise à jour des données sanitaires (allergies)',
    });
    expect(documents.get('req-2')).toMatchObject({ category: 'caf', categoryLabel: 'CAF', guardianName: 'DUPONT JEAN' });
    // The queue lists work; the health data itself stays in the request's own read model.
    expect(JSON.stringify(documents.get('req-1'))).not.toContain('Lait');
  });

  it('removes an accepted request from the queue', () => {
    const events = history([healthRequest, cafRequest, { type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-1' }]);
    const [, , , acceptance] = asProjectedEvents(events);
    expect(acceptance.type).toBe('ChangeRequestAccepted');
    expect(staffQueueProjection.evolve(project(asProjectedEvents(events.slice(0, 3))).get('req-1')!, acceptance, 'req-1')).toBeNull();
    expect([...project(asProjectedEvents(events)).keys()]).toEqual(['req-2']);
  });

  it('removes a refused request from the queue', () => {
    const events = history([
      healthRequest,
      cafRequest,
      { type: 'RefuseChangeRequest', ...asStaff(LATER), requestId: 'req-2', reason: 'Attestation CAF manquante.' },
    ]);
    expect([...project(asProjectedEvents(events)).keys()]).toEqual(['req-1']);
  });

  it('queues a new request of the same kind once the previous one was decided', () => {
    const events = history([
      cafRequest,
      { type: 'RefuseChangeRequest', ...asStaff(LATER), requestId: 'req-2', reason: 'Attestation CAF manquante.' },
      { ...cafRequest, requestId: 'req-3', at: LATER },
    ]);
    const documents = project(asProjectedEvents(events));
    expect([...documents.keys()]).toEqual(['req-3']);
    expect(documents.get('req-3')?.requestedAt).toBe(LATER);
  });
});
