import { commandTarget } from '../../platform/domain/command-target';
import { identityDecider } from './identity.decider';
import { accountStream } from './identity.events';

/** Every command on an account goes to the account's stream (named by its normalized login). */
export const accountCommands = commandTarget({
  category: 'account',
  decider: identityDecider,
  streamId: accountStream,
  keyFields: (accountId: string) => ({ accountId }),
});
