import type { ReadModels } from '../../src/platform/projections/read-models';
import { type PublicationDocument, publicationsProjection } from './publications.projection';

export function publication(readModels: ReadModels, publicationId: string): Promise<PublicationDocument | null> {
  return readModels.get<PublicationDocument>(publicationsProjection.name, publicationId);
}

/** A commune's publications, newest first: the current ones only, or every version (auditors, staff). */
export async function publicationsOf(
  readModels: ReadModels,
  commune: string,
  options: { currentOnly: boolean },
): Promise<PublicationDocument[]> {
  return (
    await readModels.find<PublicationDocument>(publicationsProjection.name, {
      where: { commune: commune.toUpperCase(), ...(options.currentOnly ? { current: true } : {}) },
      sort: [{ field: 'publishedAt', direction: 'desc' }],
      limit: 1000,
    })
  ).items;
}
