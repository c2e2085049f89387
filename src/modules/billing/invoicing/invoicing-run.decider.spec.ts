import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { Actor } from '../../../platform/domain/command-target';
import { invoicingRunDecider } from './invoicing-run.decider';
import type { DraftPreparedData, InvoicingEvent } from './invoicing-run.events';
import { numberingDecider } from './numbering';

const spec = DeciderSpecification.for(invoicingRunDecider);
const system: Actor = { userId: 'system', role: 'system' };
const runId = 'invoicing-regie-garderie-alsh-2015-04';
const at = '2015-05-02T06:00:00.000Z';
const draft: DraftPreparedData['invoices'] = [
  {
    invoiceId: `${runId}-f1`,
    familyId: 'f1',
    familyNumber: 'f1',
    familyName: 'DUPONT',
    lines: [],
    regularisations: [],
    totalCents: 12060,
    qf: 800,
  },
];
const content = { regieId: 'regie-garderie-alsh', month: '2015-04', invoices: draft, problems: [], pendingDays: 0, totalCents: 12060 };
const prepared: InvoicingEvent = { type: 'DraftPrepared', data: { ...content, runId, preparedAt: at, preparedBy: 'system' } };
const begun: InvoicingEvent = {
  type: 'IssueBegun',
  data: { runId, issuedOn: '2015-05-02', dueOn: '2015-05-17', year: 2015, count: 1, begunAt: at, begunBy: 'system' },
};
const issued: InvoicingEvent = {
  type: 'RunIssued',
  data: { runId, numbers: [{ invoiceId: `${runId}-f1`, number: 'AL-36' }], issuedAt: at },
};
const meta = { runId, at, actor: system };

describe('invoicing run decider', () => {
  it('prepares a draft, again as facts change, until the issue begins', () => {
    spec
      .given([])
      .when({ ...meta, type: 'PrepareDraft', draft: content })
      .then([prepared]);
    spec
      .given([prepared])
      .when({ ...meta, type: 'PrepareDraft', draft: content })
      .then([prepared]);
    spec
      .given([prepared, begun])
      .when({ ...meta, type: 'PrepareDraft', draft: content })
      .thenThrows('RUN_ALREADY_ISSUED');
  });

  it('begins the issue with the due date of the régie; a resumed issue changes nothing; an issued month is refused', () => {
    spec
      .given([prepared])
      .when({ ...meta, type: 'BeginIssue', issuedOn: '2015-05-02', dueAfterDays: 15 })
      .then([begun]);
    spec
      .given([prepared, begun])
      .when({ ...meta, type: 'BeginIssue', issuedOn: '2015-05-03', dueAfterDays: 15 })
      .then([]);
    spec
      .given([prepared, begun, issued])
      .when({ ...meta, type: 'BeginIssue', issuedOn: '2015-05-03', dueAfterDays: 15 })
      .thenThrows('RUN_ALREADY_ISSUED');
    spec
      .given([])
      .when({ ...meta, type: 'BeginIssue', issuedOn: '2015-05-03', dueAfterDays: 15 })
      .thenThrows('NO_DRAFT');
  });

  it('refuses to issue a draft with problems', () => {
    const withProblem: InvoicingEvent = {
      type: 'DraftPrepared',
      data: {
        ...prepared.data,
        problems: [{ code: 'NO_TARIFF', familyId: 'f1', childId: 'c', activityId: 'a', date: '2015-04-01', message: 'Aucun tarif' }],
      },
    } as InvoicingEvent;
    spec
      .given([withProblem])
      .when({ ...meta, type: 'BeginIssue', issuedOn: '2015-05-02', dueAfterDays: 15 })
      .thenThrows('DRAFT_HAS_PROBLEMS');
  });

  it('completes the issue once', () => {
    spec
      .given([prepared, begun])
      .when({ ...meta, type: 'CompleteIssue', numbers: issued.data.numbers })
      .then([issued]);
    spec
      .given([prepared, begun, issued])
      .when({ ...meta, type: 'CompleteIssue', numbers: issued.data.numbers })
      .then([]);
  });
});

describe('numbering: continuous per régie and year, the same key gets the same numbers back', () => {
  const numbering = DeciderSpecification.for(numberingDecider);
  const reserve = { type: 'ReserveNumbers' as const, regieId: 'r', kind: 'invoice' as const, year: 2015, at, actor: system };
  it('takes the next numbers, and gives a known key its numbers again', () => {
    const first = {
      type: 'NumbersReserved' as const,
      data: { regieId: 'r', kind: 'invoice' as const, year: 2015, key: 'run-1', first: 1, count: 35, reservedAt: at },
    };
    numbering
      .given([])
      .when({ ...reserve, key: 'run-1', count: 35 })
      .thenAnswers([first], { first: 1, count: 35 });
    numbering
      .given([first])
      .when({ ...reserve, key: 'run-2', count: 2 })
      .thenAnswers([{ type: 'NumbersReserved', data: { ...first.data, key: 'run-2', first: 36, count: 2 } }], { first: 36, count: 2 });
    numbering
      .given([first])
      .when({ ...reserve, key: 'run-1', count: 35 })
      .thenAnswers([], { first: 1, count: 35 });
    numbering
      .given([first])
      .when({ ...reserve, key: 'run-1', count: 3 })
      .thenThrows('NUMBERS_ALREADY_RESERVED');
  });
});
