import type { FieldCondition } from '../../src/platform/document-store/document-store.port';
import type { ReadModels } from '../../src/platform/projections/read-models';
import { type FamilyDocumentDocument, familyDocumentsProjection } from './family-documents.projection';

export function familyDocument(readModels: ReadModels, documentId: string): Promise<FamilyDocumentDocument | null> {
  return readModels.get<FamilyDocumentDocument>(familyDocumentsProjection.name, documentId);
}

/** A family's documents, the most recent first (a family provides a handful a year). */
export async function documentsOfFamily(readModels: ReadModels, familyId: string): Promise<FamilyDocumentDocument[]> {
  return (
    await readModels.find<FamilyDocumentDocument>(familyDocumentsProjection.name, {
      where: { familyId },
      sort: [{ field: 'submittedAt', direction: 'desc' }],
      limit: 1000,
    })
  ).items;
}

/** Documents waiting for staff, oldest first, in the given communes (undefined: all). */
export async function pendingDocuments(readModels: ReadModels, communes: string[] | undefined): Promise<FamilyDocumentDocument[]> {
  const where: Record<string, FieldCondition> = { status: 'pending' };
  if (communes) where.commune = { in: communes };
  return (
    await readModels.find<FamilyDocumentDocument>(familyDocumentsProjection.name, {
      where,
      sort: [{ field: 'submittedAt', direction: 'asc' }],
      limit: 500,
    })
  ).items;
}
