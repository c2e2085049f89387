import { projected, WorkflowSpecification } from '../../../../test/support/workflow-specification';
import type { CommandOutput } from '../../../platform/workflows/workflow';
import { isoWeekday } from '../calendar/local-date';
import { officialSchoolCalendar } from '../calendar/official-school-calendar';
import { publicHolidaysOf } from '../calendar/public-holidays';
import { ALSH_MERCREDI, ALSH_MERCREDI_ID } from '../catalog/catalog.examples';
import type { ReservationItem } from '../family-planning/family-planning.decider';
import { planningStream } from '../family-planning/family-planning.events';
import { type RegularContractFacts, regularContractWorkflow } from './regular-contract.workflow';

const spec = WorkflowSpecification.for(regularContractWorkflow);
const calendar = officialSchoolCalendar('C');
const FACTS: RegularContractFacts = {
  calendar,
  closures: [],
  publicHolidays: [...publicHolidaysOf(2026).keys(), ...publicHolidaysOf(2027).keys()],
  familyCategory: 'resident',
  activities: { [ALSH_MERCREDI_ID]: ALSH_MERCREDI },
};
const enrolled = (regularDays: number[], recordedAt: string, eventId = 'ev-enrol') =>
  projected(
    'ChildEnrolled',
    { childId: 'lucie', activityId: ALSH_MERCREDI_ID, schoolYear: '2026-2027', regularDays, enrolledAt: recordedAt, enrolledBy: 'agent' },
    { streamId: planningStream('fam-1', '2026-2027'), eventId, recordedAt },
  );
const itemsOf = (outputs: ReturnType<ReturnType<ReturnType<typeof spec.given>['when']>['outputs']>) =>
  (outputs[0] as CommandOutput).payload.items as ReservationItem[];

describe('regular contracts (regular-contract.workflow.ts)', () => {
  const year = calendar.schoolYears.find((y) => y.id === '2026-2027')!;

  it('books every contract day of the school year from the enrolment on, in one request to the family', () => {
    const outputs = spec
      .given(FACTS)
      .when(enrolled([3], '2026-11-16T09:00:00.000Z'))
      .outputs();
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toMatchObject({
      kind: 'command',
      key: { familyId: 'fam-1', schoolYear: '2026-2027' },
      idempotencyKey: 'contract:ev-enrol',
      payload: { type: 'RequestReservations', calendar, familyCategory: 'resident', activities: FACTS.activities },
    });
    const items = itemsOf(outputs);
    expect(items.length).toBeGreaterThan(20);
    expect(items[0]).toMatchObject({ childId: 'lucie', activityId: ALSH_MERCREDI_ID, date: '2026-11-18' });
    expect(items.every((i) => isoWeekday(i.date) === 3 && i.date >= '2026-11-16' && i.date <= year.end)).toBe(true);
  });

  it('gives each day a request id derived from the enrolment: a redelivery asks for the same requests', () => {
    const first = itemsOf(
      spec
        .given(FACTS)
        .when(enrolled([3], '2026-11-16T09:00:00.000Z'))
        .outputs(),
    );
    const again = itemsOf(
      spec
        .given(FACTS)
        .when(enrolled([3], '2026-11-16T09:00:00.000Z'))
        .outputs(),
    );
    const other = itemsOf(
      spec
        .given(FACTS)
        .when(enrolled([3], '2026-11-16T09:00:00.000Z', 'ev-other'))
        .outputs(),
    );
    expect(again.map((i) => i.requestId)).toEqual(first.map((i) => i.requestId));
    expect(other[0].requestId).not.toBe(first[0].requestId);
  });

  it('starts at the rentrée for an enrolment made before it', () => {
    const items = itemsOf(
      spec
        .given(FACTS)
        .when(enrolled([3], '2026-06-20T09:00:00.000Z'))
        .outputs(),
    );
    expect(items[0].date >= year.start).toBe(true);
    expect(items[0].date < '2026-09-10').toBe(true);
  });

  it('books nothing without contract days, after the school year, or for a school year the calendar does not have', () => {
    spec.given(FACTS).when(enrolled([], '2026-11-16T09:00:00.000Z')).then([]);
    spec
      .given(FACTS)
      .when(enrolled([3], '2027-08-01T09:00:00.000Z'))
      .then([]);
    spec
      .given({ ...FACTS, calendar: { ...calendar, schoolYears: [] } })
      .when(enrolled([3], '2026-11-16T09:00:00.000Z'))
      .then([]);
  });
});
