/**
 * A monthly invoicing run of a régie: a draft first (staff list and check it; it can be prepared again as
 * facts change), then the issue: the draft is frozen (IssueBegun), numbers are reserved and the invoices
 * posted to the families' accounts, then the run is marked issued. Re-running an issued month changes
 * nothing (409 RUN_ALREADY_ISSUED). Pure.
 */
import { type CommandMeta, STAFF_ROLES } from '../../../platform/domain/command-target';
import type { Decider } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import { plusDays } from '../billing.types';
import type { DraftPreparedData, InvoicingEvent } from './invoicing-run.events';

export type PrepareDraft = CommandMeta & {
  type: 'PrepareDraft';
  runId: string;
  draft: Omit<DraftPreparedData, 'runId' | 'preparedAt' | 'preparedBy'>;
};
export type BeginIssue = CommandMeta & { type: 'BeginIssue'; runId: string; issuedOn: string; dueAfterDays: number };
export type CompleteIssue = CommandMeta & { type: 'CompleteIssue'; runId: string; numbers: { invoiceId: string; number: string }[] };
export type InvoicingCommand = PrepareDraft | BeginIssue | CompleteIssue;

export type RunStatus = 'none' | 'draft' | 'issuing' | 'issued';
export type InvoicingState = {
  status: RunStatus;
  draft: DraftPreparedData | null;
  issue: { issuedOn: string; dueOn: string; year: number } | null;
};

export function alreadyIssued(month: string): DomainError {
  return new DomainError(
    'RUN_ALREADY_ISSUED',
    `La facturation de ${month} est déjà émise : elle ne peut plus changer (corrigez par un avoir).`,
    'conflict',
  );
}

export const invoicingRunDecider: Decider<InvoicingCommand, InvoicingEvent, InvoicingState> = {
  initialState: () => ({ status: 'none', draft: null, issue: null }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'DraftPrepared':
        return { ...state, status: 'draft', draft: event.data };
      case 'IssueBegun':
        return { ...state, status: 'issuing', issue: { issuedOn: event.data.issuedOn, dueOn: event.data.dueOn, year: event.data.year } };
      case 'RunIssued':
        return { ...state, status: 'issued' };
    }
  },
  decide(command, state) {
    if (!STAFF_ROLES.includes(command.actor.role)) {
      throw new DomainError('FORBIDDEN_ROLE', 'Seuls les agents de la régie lancent la facturation.', 'forbidden');
    }
    switch (command.type) {
      case 'PrepareDraft': {
        if (state.status === 'issuing' || state.status === 'issued') throw alreadyIssued(command.draft.month);
        return [
          {
            type: 'DraftPrepared',
            data: { ...command.draft, runId: command.runId, preparedAt: command.at, preparedBy: command.actor.userId },
          },
        ];
      }
      case 'BeginIssue': {
        if (state.status === 'issued') throw alreadyIssued(state.draft?.month ?? '');
        if (state.status === 'issuing') return []; // resumed: the frozen draft and its dates stand
        if (!state.draft) throw new DomainError('NO_DRAFT', "Préparez d'abord le brouillon de facturation.", 'conflict');
        if (state.draft.problems.length > 0) {
          throw new DomainError(
            'DRAFT_HAS_PROBLEMS',
            `Le brouillon signale ${state.draft.problems.length} problème(s) (ex. : ${state.draft.problems[0].message}) : corrigez les tarifs puis préparez-le à nouveau.`,
            'conflict',
          );
        }
        return [
          {
            type: 'IssueBegun',
            data: {
              runId: command.runId,
              issuedOn: command.issuedOn,
              dueOn: plusDays(command.issuedOn, command.dueAfterDays),
              year: Number(command.issuedOn.slice(0, 4)),
              count: state.draft.invoices.length,
              begunAt: command.at,
              begunBy: command.actor.userId,
            },
          },
        ];
      }
      case 'CompleteIssue': {
        if (state.status === 'issued') return [];
        if (state.status !== 'issuing') throw new DomainError('NOT_ISSUING', "L'émission n'a pas commencé.", 'conflict');
        return [{ type: 'RunIssued', data: { runId: command.runId, numbers: command.numbers, issuedAt: command.at } }];
      }
    }
  },
};
