import { Inject, Injectable } from '@nestjs/common';

import { allFacilities } from '../../../../projections/catalog/catalog.queries';
import { familyRecordOf } from '../../../../projections/family-record/family-record.queries';
import { type InvoiceDocument } from '../../../../projections/invoices/invoices.projection';
import { regieInvoicesOfMonths } from '../../../../projections/invoices/invoices.queries';
import { gridsOfMonth } from '../../../../projections/planning-grid/planning-grid.queries';
import type { PlanningGridDocument } from '../../../../projections/planning-grid/planning-grid.types';
import type { Clock } from '../../../platform/clock/clock';
import type { CommandContext } from '../../../platform/commands/command-context';
import { Commands } from '../../../platform/commands/stream-command';
import { StreamReader } from '../../../platform/commands/stream-reader';
import { DomainError } from '../../../platform/domain/domain-error';
import { ReadModels } from '../../../platform/projections/read-models';
import { CLOCK } from '../../../platform/tokens';
import { type Activity, dayKind, parisDateOf, PlanningFacts } from '../../planning';
import { accountCommands } from '../account/account.commands';
import type { Invoice } from '../account/account.events';
import { type FamilyCategory, isMonthId, monthBounds, type Regie } from '../billing.types';
import { regieCommands } from '../regies/regie.commands';
import type { RegieState } from '../regies/regie.decider';
import type { DayFact, InvoiceLine } from '../tariffs/billable-lines';
import { draftRun, type FamilyFacts } from './draft-run';
import { invoicingRunCommands } from './invoicing-run.commands';
import { invoicingRunId } from './invoicing-run.events';
import { formatNumber, numberingCommands } from './numbering';
import { dayStateOf, periodKindOf } from './planning-days';

/** How many months back a run looks for facts that changed after their invoice (regularisations). */
export const REGULARISATION_MONTHS = 2;
/** Family accounts posted at once by an issue. */
const ISSUE_CONCURRENCY = 8;

const shift = (month: string, delta: number) => {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

/**
 * Gathers the facts of a run (the régie and its tariffs, the catalogue's activities that name the régie, the
 * planning grids of the month and of the months before, the families' records, the school calendar), has the
 * pure draft computed, and runs the issue: freeze, reserve the numbers, post each invoice to its family's
 * account, complete. Every step is idempotent, so an interrupted issue is resumed by issuing again.
 */
@Injectable()
export class InvoicingService {
  constructor(
    private readonly commands: Commands,
    private readonly reader: StreamReader,
    private readonly readModels: ReadModels,
    private readonly planning: PlanningFacts,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async regie(regieId: string): Promise<RegieState & { regie: Regie }> {
    const { state } = await this.reader.state(regieCommands, regieId);
    if (!state.regie) throw new DomainError('REGIE_NOT_FOUND', 'Régie introuvable.', 'not_found');
    return state as RegieState & { regie: Regie };
  }

  /** The activities that name this régie, from the catalogue. */
  async activitiesOf(regieId: string): Promise<Activity[]> {
    const facilities = await allFacilities(this.readModels);
    return facilities.flatMap((f) => Object.values(f.activities)).filter((a) => a.regieId === regieId);
  }

  private async grids(month: string, activityIds: Set<string>): Promise<Map<string, PlanningGridDocument[]>> {
    const byFamily = new Map<string, PlanningGridDocument[]>();
    let cursor: string | undefined;
    do {
      const page = await gridsOfMonth(this.readModels, month, cursor);
      for (const doc of page.items) {
        if (!Object.keys(doc.rows).some((id) => activityIds.has(id))) continue;
        byFamily.set(doc.familyId, [...(byFamily.get(doc.familyId) ?? []), doc]);
      }
      cursor = page.nextCursor;
    } while (cursor);
    return byFamily;
  }

  async prepareDraft(regieId: string, month: string, context: CommandContext) {
    if (!isMonthId(month)) throw new DomainError('INVALID_MONTH', 'Mois invalide : AAAA-MM.', 'invalid');
    const { regie, tariffs } = await this.regie(regieId);
    const activities = await this.activitiesOf(regieId);
    const byId = new Map(activities.map((a) => [a.activityId, a]));
    const ids = new Set(byId.keys());
    const calendar = await this.planning.schoolCalendar();
    const earlierMonths = Array.from({ length: REGULARISATION_MONTHS }, (_, i) => shift(month, -(i + 1)));
    const current = await this.grids(month, ids);
    const earlier = new Map<string, Map<string, PlanningGridDocument[]>>();
    for (const m of earlierMonths) earlier.set(m, await this.grids(m, ids));
    const invoiced = await regieInvoicesOfMonths(this.readModels, regieId, earlierMonths);
    const invoicedBy = new Map<string, InvoiceDocument[]>();
    for (const inv of invoiced) invoicedBy.set(inv.familyId, [...(invoicedBy.get(inv.familyId) ?? []), inv]);

    const holidays = new Set(this.planning.publicHolidays([`${month}-01`]));
    const toDays = (docs: PlanningGridDocument[], names: Map<string, string>): DayFact[] =>
      docs.flatMap((doc) =>
        Object.entries(doc.rows)
          .filter(([activityId]) => ids.has(activityId))
          .flatMap(([activityId, row]) =>
            Object.entries(row.days).flatMap(([date, cell]) => {
              const period = periodKindOf(dayKind(date, calendar, (d) => holidays.has(d)));
              if (!period) return [];
              return [
                {
                  childId: doc.childId,
                  childName: names.get(doc.childId) ?? doc.childId,
                  activityId,
                  activityName: byId.get(activityId)!.name,
                  date,
                  periodKind: period,
                  state: dayStateOf(cell),
                },
              ];
            }),
          ),
      );

    const families: FamilyFacts[] = [];
    const familyIds = new Set([...current.keys(), ...[...earlier.values()].flatMap((m) => [...m.keys()])]);
    for (const familyId of [...familyIds].sort()) {
      const record = await familyRecordOf(this.readModels, familyId);
      if (!record) continue;
      const names = new Map(record.children.map((c) => [c.childId, c.firstName]));
      const ranks: Record<string, number> = {};
      [...record.children]
        .sort((a, b) => (a.birthDate < b.birthDate ? -1 : a.birthDate > b.birthDate ? 1 : a.childId.localeCompare(b.childId)))
        .forEach((c, i) => (ranks[c.childId] = i + 1));
      const category: FamilyCategory = regie.communes.includes(record.commune.toUpperCase()) ? 'resident' : 'non-resident';
      const qf = record.caf?.quotientFamilial;
      families.push({
        familyId,
        familyNumber: record.familyNumber,
        familyName: `${record.guardian.lastName} ${record.guardian.firstName}`,
        profile: { category, qfHistory: qf !== undefined ? [{ from: '0000-01-01', qf }] : [], childRanks: ranks },
        days: toDays(current.get(familyId) ?? [], names),
        earlier: earlierMonths
          .map((m) => ({
            month: m,
            docs: earlier.get(m)?.get(familyId) ?? [],
            invoices: (invoicedBy.get(familyId) ?? []).filter((i) => i.monthKey === m),
          }))
          .filter((e) => e.invoices.length > 0)
          .map((e) => ({
            month: e.month,
            days: toDays(e.docs, names),
            invoiced: [
              ...e.invoices.flatMap((i) => i.lines),
              ...invoiced.filter((i) => i.familyId === familyId).flatMap((i) => i.regularisations.filter((r) => r.month === e.month)),
            ] as InvoiceLine[],
          })),
      });
    }
    const absencePenalties = Object.fromEntries(activities.map((a) => [a.activityId, a.absencePolicy.penalty]));
    const runId = invoicingRunId(regieId, month);
    const draft = draftRun({ runId, regieId, month, tariffs: Object.values(tariffs), absencePenalties, families });
    await this.commands.send(invoicingRunCommands, { regieId, month }, { type: 'PrepareDraft', draft }, context);
    return this.run(regieId, month);
  }

  async run(regieId: string, month: string) {
    const { state, revision } = await this.reader.state(invoicingRunCommands, { regieId, month });
    return { runId: invoicingRunId(regieId, month), status: state.status, revision, draft: state.draft, issue: state.issue };
  }

  async issue(regieId: string, month: string, context: CommandContext) {
    if (!isMonthId(month)) throw new DomainError('INVALID_MONTH', 'Mois invalide : AAAA-MM.', 'invalid');
    const { regie } = await this.regie(regieId);
    const key = { regieId, month };
    const issuedOn = parisDateOf(this.clock.now().toISOString());
    await this.commands.send(invoicingRunCommands, key, { type: 'BeginIssue', issuedOn, dueAfterDays: regie.dueAfterDays }, context);
    const { state } = await this.reader.state(invoicingRunCommands, key);
    const draft = state.draft!;
    const issue = state.issue!;
    const runId = invoicingRunId(regieId, month);
    const numbers: { invoiceId: string; number: string }[] = [];
    if (draft.invoices.length > 0) {
      const reserved = await this.commands.send(
        numberingCommands,
        { regieId, kind: 'invoice', year: issue.year },
        { type: 'ReserveNumbers', key: runId, count: draft.invoices.length },
        { ...context, idempotencyKey: undefined },
      );
      const { first } = reserved.answer as { first: number };
      const { from, to } = monthBounds(month);
      const post = async (index: number) => {
        const d = draft.invoices[index];
        const number = formatNumber(regie.prefix, 'invoice', first + index);
        const invoice: Invoice = {
          invoiceId: d.invoiceId,
          number,
          regieId,
          regieName: regie.name,
          familyId: d.familyId,
          month,
          periodFrom: from,
          periodTo: to,
          issuedOn: issue.issuedOn,
          dueOn: issue.dueOn,
          lines: d.lines,
          regularisations: d.regularisations,
          totalCents: d.totalCents,
          previousUnpaidCents: 0,
          source: { kind: 'run', runId },
        };
        await this.commands.send(
          accountCommands,
          d.familyId,
          { type: 'PostInvoice', invoice },
          { ...context, idempotencyKey: undefined, expectedRevision: undefined },
        );
        numbers[index] = { invoiceId: d.invoiceId, number };
      };
      // each family's account is its own stream: a few at once (numbers come from the draft's order, not the posting's)
      let next = 0;
      const worker = async () => {
        while (next < draft.invoices.length) await post(next++);
      };
      await Promise.all(Array.from({ length: Math.min(ISSUE_CONCURRENCY, draft.invoices.length) }, worker));
    }
    await this.commands.send(invoicingRunCommands, key, { type: 'CompleteIssue', numbers }, { ...context, idempotencyKey: undefined });
    return { ...(await this.run(regieId, month)), numbers };
  }
}
