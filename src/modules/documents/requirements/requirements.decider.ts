/** The documents an activity requires before a reservation (pure). */
import type { CommandMeta } from '../../../platform/domain/command-target';
import type { Decider } from '../../../platform/domain/decider';
import type { DocumentKind, RequirementsEvent } from '../documents.events';

export type SetDocumentRequirements = CommandMeta & { type: 'SetDocumentRequirements'; activityId: string; kinds: DocumentKind[] };
export type RequirementsState = { kinds: DocumentKind[] };

export const requirementsDecider: Decider<SetDocumentRequirements, RequirementsEvent, RequirementsState> = {
  initialState: () => ({ kinds: [] }),
  evolve: (_state, event) => ({ kinds: event.data.kinds }),
  decide(command, state) {
    const kinds = [...new Set(command.kinds)].sort();
    if (kinds.join() === state.kinds.join()) return [];
    return [
      { type: 'DocumentRequirementsSet', data: { activityId: command.activityId, kinds, setAt: command.at, setBy: command.actor.userId } },
    ];
  },
};
