import { commandTarget } from '../../../platform/domain/command-target';
import { publicationStream } from '../documents.events';
import { publicationDecider } from './publication.decider';

export const publicationCommands = commandTarget({
  category: 'publication',
  decider: publicationDecider,
  streamId: publicationStream,
  keyFields: (publicationId: string) => ({ publicationId }),
});
