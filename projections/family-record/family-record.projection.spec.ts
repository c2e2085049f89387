import { familiesDecider, type FamilyCommand } from '../../src/modules/families/families.decider';
import type { ProjectedEvent } from '../../src/platform/projections/projection';
import {
  asJean,
  asProjectedEvents,
  asStaff,
  dupontGuardian,
  dupontRecord,
  dupontRegistered,
  LUCAS_ID,
  REGISTERED_AT,
} from '../../test/support/fixtures/dupont';
import { dupontHistory, projectAll } from '../../test/support/projection-harness';
import { type FamilyRecordDocument, familyRecordProjection } from './family-record.projection';

const LATER = '2015-04-09T09:30:00.000Z';
const NEW_ADDRESS = { line1: '3 ALLÉE DES PLATANES', postalCode: '31400', city: 'SAINT-JEAN' };

const history = dupontHistory;
const project = (events: ProjectedEvent[]): Map<string, FamilyRecordDocument> => projectAll(familyRecordProjection, events);

const addressRequest: FamilyCommand = {
  type: 'RequestAddressChange',
  ...asJean(),
  requestId: 'req-1',
  person: 'guardian',
  address: NEW_ADDRESS,
};
const healthRequest: FamilyCommand = {
  type: 'RequestHealthDataChange',
  ...asJean(),
  requestId: 'req-2',
  childId: LUCAS_ID,
  changes: { glasses: true },
};

describe('family-record projection', () => {
  it('is one document per family, found by family number', () => {
    expect(familyRecordProjection.name).toBe('family-record');
    expect(familyRecordProjection.indexedFields).toEqual(['familyNumber']);
    const [registered] = asProjectedEvents([dupontRegistered]);
    expect(familyRecordProjection.documentIds(registered)).toEqual([dupontRecord.familyId]);
  });

  it('shows the registered record with no pending request', () => {
    const documents = project(asProjectedEvents([dupontRegistered]));
    expect(documents.get(dupontRecord.familyId)).toEqual({
      ...dupontRecord,
      pendingRequestIds: [],
      pendingRequestCount: 0,
      updatedAt: REGISTERED_AT,
      revision: 0,
    });
  });

  it('lists pending requests without changing the record', () => {
    const document = project(asProjectedEvents(history([addressRequest, healthRequest]))).get(dupontRecord.familyId);
    expect(document?.pendingRequestIds).toEqual(['req-1', 'req-2']);
    expect(document?.pendingRequestCount).toBe(2);
    expect(document?.guardian).toEqual(dupontGuardian);
  });

  it('applies accepted changes and forgets decided requests', () => {
    const events = history([
      addressRequest,
      healthRequest,
      { type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-1' },
      { type: 'RefuseChangeRequest', ...asStaff(LATER), requestId: 'req-2', reason: 'Certificat médical requis.' },
    ]);
    const document = project(asProjectedEvents(events)).get(dupontRecord.familyId);
    expect(document?.guardian.address).toEqual(NEW_ADDRESS);
    expect(document?.children[0].health.glasses).toBe(false);
    expect(document?.pendingRequestIds).toEqual([]);
    expect(document?.updatedAt).toBe(LATER);
  });

  it('adds an announced child once accepted, to be enrolled', () => {
    const events = history([
      {
        type: 'RequestChildAddition',
        ...asJean(),
        requestId: 'req-3',
        child: { firstName: 'LÉA', lastName: 'DUPONT', birthDate: '2011-06-02', sex: 'F' },
      },
      { type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-3' },
    ]);
    const children = project(asProjectedEvents(events)).get(dupontRecord.familyId)?.children ?? [];
    expect(children.map((c) => [c.childId, c.firstName, c.status])).toEqual([
      [LUCAS_ID, 'LUCAS', 'enrolled'],
      ['child-req-3', 'LÉA', 'to_be_enrolled'],
    ]);
  });

  it('always shows the record the decider decides on', () => {
    const events = history([
      addressRequest,
      { type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-1' },
      {
        type: 'RequestContactChange',
        ...asJean(LATER),
        requestId: 'req-4',
        person: 'spouse',
        changes: { phones: { mobile: '06 11 22 33 44' } },
      },
      { type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-4' },
      {
        type: 'RequestCafChange',
        ...asJean(LATER),
        requestId: 'req-5',
        changes: { regime: 'CAF', allocataireNumber: '1234567', quotientFamilial: 850 },
      },
      { type: 'AcceptChangeRequest', ...asStaff(LATER), requestId: 'req-5' },
    ]);
    const {
      pendingRequestIds: _p,
      pendingRequestCount: _c,
      updatedAt: _u,
      revision,
      ...record
    } = project(asProjectedEvents(events)).get(dupontRecord.familyId)!;
    const state = events.reduce(familiesDecider.evolve, familiesDecider.initialState());
    expect(record).toEqual(state.record);
    expect(revision).toBe(events.length - 1);
  });

  it('keeps runner fields of the stored document out of the record', () => {
    const [registered, requested] = asProjectedEvents(history([addressRequest]));
    const stored = { ...familyRecordProjection.evolve(null, registered, dupontRecord.familyId)!, _position: 1 };
    const next = familyRecordProjection.evolve(stored, requested, dupontRecord.familyId);
    expect(next).not.toHaveProperty('_position');
  });

  it('keeps one document per family', () => {
    const other = { ...dupontRegistered, data: { ...dupontRegistered.data, familyId: 'fam-2', familyNumber: '2002' } };
    const documents = project([
      ...asProjectedEvents([dupontRegistered]),
      ...asProjectedEvents([other], { familyId: 'fam-2', firstPosition: 2 }),
    ]);
    expect([...documents.keys()]).toEqual([dupontRecord.familyId, 'fam-2']);
    expect(documents.get('fam-2')?.familyNumber).toBe('2002');
  });
});
