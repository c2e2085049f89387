import { commandTarget } from '../../platform/domain/command-target';
import { familiesDecider } from './families.decider';
import { familyStream } from './families.events';

/** Every command on a family's record goes to the family's stream, decided by the families decider. */
export const familyCommands = commandTarget({
  category: 'family',
  decider: familiesDecider,
  streamId: familyStream,
  keyFields: (familyId: string) => ({ familyId }),
  familyId: (familyId: string) => familyId,
});
