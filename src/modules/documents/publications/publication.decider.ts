/** A document published once for the families of a commune or a facility (pure). */
import type { CommandMeta } from '../../../platform/domain/command-target';
import type { Decider } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import type { DocumentPublishedData, PublicationEvent } from '../documents.events';

export type PublishDocument = CommandMeta & { type: 'PublishDocument' } & Omit<DocumentPublishedData, 'publishedAt' | 'publishedBy'>;

export const publicationDecider: Decider<PublishDocument, PublicationEvent, { published: boolean }> = {
  initialState: () => ({ published: false }),
  evolve: () => ({ published: true }),
  decide(command, state) {
    if (state.published) throw new DomainError('PUBLICATION_EXISTS', 'Ce document est déjà publié.', 'conflict');
    if (command.validUntil && command.validUntil < command.validFrom) {
      throw new DomainError('INVALID_VALIDITY', 'La date de fin de validité précède la date de début.', 'invalid');
    }
    const { type: _t, at, actor, ...data } = command;
    return [{ type: 'DocumentPublished', data: { ...data, publishedAt: at, publishedBy: actor.userId } }];
  },
};
