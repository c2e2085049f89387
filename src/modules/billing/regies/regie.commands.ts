import { commandTarget } from '../../../platform/domain/command-target';
import { regieDecider } from './regie.decider';
import { regieStream } from './regie.events';

/** A régie's settings and tariffs: one stream per régie. */
export const regieCommands = commandTarget({
  category: 'regie',
  decider: regieDecider,
  streamId: regieStream,
  keyFields: (regieId: string) => ({ regieId }),
});
