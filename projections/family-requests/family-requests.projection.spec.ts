import type { ProjectedEvent } from '../../src/platform/projections/projection';
import { asJean, asProjectedEvents, asStaff, DUPONT_FAMILY_ID } from '../../test/support/fixtures/dupont';
import { dupontHistory, projectAll } from '../../test/support/projection-harness';
import { type FamilyRequestDocument, familyRequestsProjection } from './family-requests.projection';

const FAMILY = DUPONT_FAMILY_ID;
const LUCAS = 'enfant-lucas';
const DAY = '2027-01-13';
const AT = '2026-12-01T10:00:00.000Z';
let position = 100;

/** An event as the runner hands it: a planning event on the family's stream, an allocation one on the day's stream. */
function event(type: string, data: Record<string, unknown>, streamId = `planning-${FAMILY}-2026-2027`): ProjectedEvent {
  position += 1;
  return {
    type,
    data,
    metadata: {
      eventId: `e-${position}`,
      correlationId: 'c',
      causationId: 'c',
      userId: 'u',
      role: 'parent',
      familyId: FAMILY,
      recordedAt: AT,
    },
    streamId,
    revision: position,
    position,
    recordedAt: AT,
  };
}

const requested = (requestId: string) =>
  event('ReservationRequested', {
    requestId,
    childId: LUCAS,
    activityId: 'alsh',
    date: DAY,
    requestedAt: AT,
    requestedBy: 'jean',
    validation: 'automatic',
  });
const allocation = (type: string, requestId: string, extra: Record<string, unknown> = {}) =>
  event(type, { requestId, familyId: FAMILY, childId: LUCAS, ...extra }, `allocation-alsh-${DAY}`);
const project = (events: ProjectedEvent[]): Map<string, FamilyRequestDocument> => projectAll(familyRequestsProjection, events);

describe('family-requests projection (« Liste des demandes », complete)', () => {
  it('lists a « Mon compte » request as the change-requests read model does, with the seed columns', () => {
    const events = asProjectedEvents(
      dupontHistory([
        { type: 'RequestContactChange', ...asJean(), requestId: 'req-1', person: 'spouse', changes: { profession: 'Infirmière' } },
        { type: 'RefuseChangeRequest', ...asStaff(AT), requestId: 'req-1', reason: 'Pièce manquante' },
      ]),
    );
    expect(project(events).get('req-1')).toMatchObject({
      section: 'account',
      type: 'spouse',
      typeLabel: 'Conjoint',
      status: 'refused',
      statusLabel: 'Refusée',
      refusedAt: AT,
      refusalReason: 'Pièce manquante',
    });
  });

  it('follows a reservation through the allocator: pending, accepted', () => {
    expect(project([requested('r1')]).get('r1')).toMatchObject({
      section: 'children',
      type: 'reservation',
      status: 'pending',
      dates: [DAY],
    });
    const accepted = project([
      requested('r1'),
      allocation('PlaceAllocated', 'r1', { position: 1, validation: 'automatic', awaitingStaff: false }),
    ]);
    expect(accepted.get('r1')).toMatchObject({ status: 'accepted', acceptedAt: AT, familyId: FAMILY, childId: LUCAS });
    const awaiting = project([
      requested('r2'),
      allocation('PlaceAllocated', 'r2', { position: 1, validation: 'staff', awaitingStaff: true }),
    ]);
    expect(awaiting.get('r2')).toMatchObject({ status: 'pending' });
  });

  it('shows the waiting list, an offer, a refusal with its reason, a closure and a cancellation', () => {
    const waiting = project([requested('r1'), allocation('RequestWaitListed', 'r1', { position: 1, validation: 'automatic', rank: 1 })]);
    expect(waiting.get('r1')).toMatchObject({ status: 'waiting-list', statusLabel: "Sur liste d'attente" });
    const offered = project([requested('r1'), allocation('PlaceOffered', 'r1', { offeredAt: AT, expiresAt: AT })]);
    expect(offered.get('r1')).toMatchObject({ status: 'offered' });
    const refused = project([
      requested('r1'),
      allocation('RequestRefusedByStaff', 'r1', { reason: 'Groupe complet', refusedAt: AT, refusedBy: 'agent' }),
      allocation('PlaceReleased', 'r1', { reason: 'refused-by-staff' }),
    ]);
    expect(refused.get('r1')).toMatchObject({ status: 'refused', refusalReason: 'Groupe complet', refusedAt: AT });
    const closed = project([requested('r1'), allocation('PlaceReleased', 'r1', { reason: 'closure', closureReason: 'Grève' })]);
    expect(closed.get('r1')).toMatchObject({ status: 'refused', refusalReason: 'Fermeture : Grève' });
    const cancelled = project([
      requested('r1'),
      event('CancellationRequested', { requestId: 'r1', childId: LUCAS, activityId: 'alsh', date: DAY, cancelledAt: AT, by: 'jean' }),
      // the allocator lags behind the family stream: an allocation decided before the cancellation arrives after it
      allocation('PlaceAllocated', 'r1', { position: 1, validation: 'automatic', awaitingStaff: false }),
    ]);
    expect(cancelled.get('r1')).toMatchObject({ status: 'cancelled', cancelledAt: AT });
  });

  it('lists an absence with each day, excused or billed, and why', () => {
    const documents = project([
      event('AbsenceDeclared', {
        absenceId: 'a1',
        childId: LUCAS,
        activityId: 'alsh',
        days: ['2027-01-13', '2027-01-20'],
        declaredAt: AT,
        declaredBy: 'jean',
        decisions: [
          { date: '2027-01-13', outcome: 'excused' },
          { date: '2027-01-20', outcome: 'billed' },
        ],
      }),
    ]);
    expect(documents.get('a1')).toMatchObject({
      section: 'children',
      type: 'absence',
      status: 'accepted',
      dates: ['2027-01-13', '2027-01-20'],
      absenceDays: [
        { date: '2027-01-13', outcome: 'excused', label: 'Absence excusée', why: expect.any(String) },
        { date: '2027-01-20', outcome: 'billed', label: 'Absence facturée', why: expect.any(String) },
      ],
    });
  });

  it('ignores allocation events about requests it never saw', () => {
    expect(project([allocation('PlaceAllocated', 'unknown', { position: 1, validation: 'automatic', awaitingStaff: false })]).size).toBe(0);
  });

  describe('documents the family provides', () => {
    const stream = `family-documents-${FAMILY}`;
    const LATER = '2026-12-02T09:00:00.000Z';
    const submitted = (documentId: string, extra: Record<string, unknown> = {}) =>
      event(
        'FamilyDocumentSubmitted',
        {
          documentId,
          commune: 'SAINT-JEAN',
          kind: 'medical-certificate',
          childId: LUCAS,
          validFrom: '2026-09-01',
          validUntil: '2027-08-31',
          fileId: 'f1',
          filename: 'certificat.pdf',
          contentType: 'application/pdf',
          size: 100,
          submittedAt: AT,
          submittedBy: 'jean',
          ...extra,
        },
        stream,
      );

    it('lists a document sent as a pending request, with its kind, validity and date', () => {
      expect(project([submitted('d1')]).get('d1')).toEqual({
        requestId: 'd1',
        familyId: FAMILY,
        section: 'children',
        type: 'document',
        typeLabel: 'Documents',
        status: 'pending',
        statusLabel: 'En attente',
        requestedAt: AT,
        requestedBy: 'jean',
        childId: LUCAS,
        documentKind: 'medical-certificate',
        validFrom: '2026-09-01',
        validUntil: '2027-08-31',
        summary: 'Certificat médical valable du 01/09/2026 au 31/08/2027',
      });
    });

    it('files a document about the whole family under « Mon compte »', () => {
      const insurance = project([submitted('d2', { kind: 'insurance', childId: undefined })]).get('d2');
      expect(insurance).toMatchObject({ section: 'account', summary: expect.stringMatching(/^Attestation d'assurance/) });
      expect(insurance).not.toHaveProperty('childId');
    });

    it('shows the acceptance with its date, and a refusal with its date and reason', () => {
      const accepted = project([
        submitted('d1'),
        event('FamilyDocumentAccepted', { documentId: 'd1', acceptedAt: LATER, acceptedBy: 'agent' }, stream),
      ]);
      expect(accepted.get('d1')).toMatchObject({ status: 'accepted', statusLabel: 'Acceptée', acceptedAt: LATER, requestedAt: AT });
      const refused = project([
        submitted('d1'),
        event('FamilyDocumentRefused', { documentId: 'd1', reason: 'Document illisible', refusedAt: LATER, refusedBy: 'agent' }, stream),
      ]);
      expect(refused.get('d1')).toMatchObject({
        status: 'refused',
        statusLabel: 'Refusée',
        refusedAt: LATER,
        refusalReason: 'Document illisible',
      });
    });

    it('ignores a decision about a document it never saw', () => {
      expect(project([event('FamilyDocumentAccepted', { documentId: 'dx', acceptedAt: LATER, acceptedBy: 'agent' }, stream)]).size).toBe(0);
    });
  });
});
