/**
 * The documents a family provides (certificat médical, attestation d'assurance, carnet de vaccination):
 * submitted with their validity, then accepted by staff or refused with a reason.
 *
 * Pure: no framework, no I/O.
 */
import type { CommandMeta } from '../../../platform/domain/command-target';
import type { Decider } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import type { FamilyDocumentEvent, FamilyDocumentSubmittedData } from '../documents.events';

export type SubmitDocument = CommandMeta & { type: 'SubmitDocument'; familyId: string } & Omit<
    FamilyDocumentSubmittedData,
    'submittedAt' | 'submittedBy'
  >;
export type AcceptDocument = CommandMeta & { type: 'AcceptDocument'; familyId: string; documentId: string };
export type RefuseDocument = CommandMeta & { type: 'RefuseDocument'; familyId: string; documentId: string; reason: string };
export type FamilyDocumentCommand = SubmitDocument | AcceptDocument | RefuseDocument;

export type FamilyDocumentsState = { documents: Record<string, 'pending' | 'accepted' | 'refused'> };

export const familyDocumentsDecider: Decider<FamilyDocumentCommand, FamilyDocumentEvent, FamilyDocumentsState> = {
  initialState: () => ({ documents: {} }),
  evolve(state, event) {
    const status = event.type === 'FamilyDocumentSubmitted' ? 'pending' : event.type === 'FamilyDocumentAccepted' ? 'accepted' : 'refused';
    return { documents: { ...state.documents, [event.data.documentId]: status } };
  },
  decide(command, state) {
    if (command.type === 'SubmitDocument') {
      if (state.documents[command.documentId]) throw new DomainError('DOCUMENT_EXISTS', 'Ce document a déjà été envoyé.', 'conflict');
      if (command.validUntil < command.validFrom) {
        throw new DomainError('INVALID_VALIDITY', 'La date de fin de validité précède la date de début.', 'invalid');
      }
      const { type: _t, familyId: _f, at, actor, ...data } = command;
      return [{ type: 'FamilyDocumentSubmitted', data: { ...data, submittedAt: at, submittedBy: actor.userId } }];
    }
    const status = state.documents[command.documentId];
    if (!status) throw new DomainError('DOCUMENT_NOT_FOUND', 'Document introuvable.', 'not_found');
    if (status !== 'pending') throw new DomainError('ALREADY_DECIDED', 'Ce document a déjà été accepté ou refusé.', 'conflict');
    if (command.type === 'AcceptDocument') {
      return [
        {
          type: 'FamilyDocumentAccepted',
          data: { documentId: command.documentId, acceptedAt: command.at, acceptedBy: command.actor.userId },
        },
      ];
    }
    return [
      {
        type: 'FamilyDocumentRefused',
        data: { documentId: command.documentId, reason: command.reason, refusedAt: command.at, refusedBy: command.actor.userId },
      },
    ];
  },
};
