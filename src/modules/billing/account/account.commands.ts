import { commandTarget } from '../../../platform/domain/command-target';
import { accountDecider } from './account.decider';
import { accountStream } from './account.events';

/** A family's account with the régies: one stream per family. */
export const accountCommands = commandTarget({
  category: 'account',
  decider: accountDecider,
  streamId: accountStream,
  keyFields: (familyId: string) => ({ familyId }),
  familyId: (familyId: string) => familyId,
});
