import { commandTarget } from '../../../platform/domain/command-target';
import { familyDocumentsStream } from '../documents.events';
import { familyDocumentsDecider } from './family-documents.decider';

export const familyDocumentCommands = commandTarget({
  category: 'family-documents',
  decider: familyDocumentsDecider,
  streamId: familyDocumentsStream,
  keyFields: (familyId: string) => ({ familyId }),
  familyId: (familyId: string) => familyId,
});
