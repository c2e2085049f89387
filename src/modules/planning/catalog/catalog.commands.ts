import { commandTarget } from '../../../platform/domain/command-target';
import { catalogDecider } from './catalog.decider';
import { facilityStream } from './catalog.events';

/** A facility's catalogue (the facility, its activities, its closures): one stream per facility. */
export const catalogCommands = commandTarget({
  category: 'facility',
  decider: catalogDecider,
  streamId: facilityStream,
  keyFields: (facilityId: string) => ({ facilityId }),
  // the stream grows with the years: its state is kept in snapshots (bump when the state's shape changes)
  // 2: activities hold `regieId` (was `regie`, issue 10)
  snapshotVersion: 2,
});
