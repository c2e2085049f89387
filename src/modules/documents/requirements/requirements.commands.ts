import { commandTarget } from '../../../platform/domain/command-target';
import { documentRequirementsStream } from '../documents.events';
import { requirementsDecider } from './requirements.decider';

export const requirementCommands = commandTarget({
  category: 'document-requirements',
  decider: requirementsDecider,
  streamId: documentRequirementsStream,
  keyFields: (activityId: string) => ({ activityId }),
});
