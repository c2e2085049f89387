import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { FamilyDocumentEvent } from '../documents.events';
import { familyDocumentsDecider, type SubmitDocument } from './family-documents.decider';

const spec = DeciderSpecification.for(familyDocumentsDecider);
const parent = { userId: 'u-dupont', role: 'parent' as const };
const agent = { userId: 'u-agent', role: 'staff' as const };
const AT = '2026-11-16T08:00:00.000Z';
const submit: SubmitDocument = {
  type: 'SubmitDocument',
  familyId: 'F1',
  documentId: 'D1',
  commune: 'SAINT-JEAN',
  kind: 'medical-certificate',
  childId: 'C1',
  validFrom: '2026-11-01',
  validUntil: '2027-08-31',
  fileId: 'f'.repeat(32),
  filename: 'certificat.pdf',
  contentType: 'application/pdf',
  size: 100,
  at: AT,
  actor: parent,
};
const submitted: FamilyDocumentEvent = {
  type: 'FamilyDocumentSubmitted',
  data: {
    documentId: 'D1',
    commune: 'SAINT-JEAN',
    kind: 'medical-certificate',
    childId: 'C1',
    validFrom: '2026-11-01',
    validUntil: '2027-08-31',
    fileId: 'f'.repeat(32),
    filename: 'certificat.pdf',
    contentType: 'application/pdf',
    size: 100,
    submittedAt: AT,
    submittedBy: 'u-dupont',
  },
};

describe('family documents decider', () => {
  it('records a document with its validity, then one decision by staff', () => {
    spec.given([]).when(submit).then([submitted]);
    spec
      .given([])
      .when({ ...submit, validUntil: '2026-10-01' })
      .thenThrows('INVALID_VALIDITY', 'invalid');
    spec
      .given([submitted])
      .when({ type: 'RefuseDocument', familyId: 'F1', documentId: 'D1', reason: 'Illisible', at: AT, actor: agent })
      .then([{ type: 'FamilyDocumentRefused', data: { documentId: 'D1', reason: 'Illisible', refusedAt: AT, refusedBy: 'u-agent' } }]);
    const accepted: FamilyDocumentEvent = {
      type: 'FamilyDocumentAccepted',
      data: { documentId: 'D1', acceptedAt: AT, acceptedBy: 'u-agent' },
    };
    spec
      .given([submitted, accepted])
      .when({ type: 'AcceptDocument', familyId: 'F1', documentId: 'D1', at: AT, actor: agent })
      .thenThrows('ALREADY_DECIDED', 'conflict');
    spec
      .given([])
      .when({ type: 'AcceptDocument', familyId: 'F1', documentId: 'D9', at: AT, actor: agent })
      .thenThrows('DOCUMENT_NOT_FOUND', 'not_found');
  });
});
