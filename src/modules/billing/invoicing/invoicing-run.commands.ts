import { commandTarget } from '../../../platform/domain/command-target';
import { invoicingRunDecider } from './invoicing-run.decider';
import { invoicingRunId } from './invoicing-run.events';

export type RunKey = { regieId: string; month: string };

/** One stream per régie and month: the run's id is its stream's name. */
export const invoicingRunCommands = commandTarget({
  category: 'invoicing',
  decider: invoicingRunDecider,
  streamId: ({ regieId, month }: RunKey) => invoicingRunId(regieId, month),
  keyFields: ({ regieId, month }: RunKey) => ({ runId: invoicingRunId(regieId, month) }),
});
