import { documentEvents, type DocumentPublishedData } from '../../src/modules/documents/documents.events';
import type { ProjectionDefinition } from '../../src/platform/projections/projection';

/**
 * « Infos / Documents »: one document per publication, every version kept (a new version names the one it
 * replaces; the replaced one is marked, not removed, for the auditors).
 */
export type PublicationDocument = Omit<DocumentPublishedData, 'publishedBy'> & {
  /** the publication that replaced this one */
  replacedBy: string | null;
  current: boolean;
};

export const publicationsProjection: ProjectionDefinition<PublicationDocument> = {
  name: 'publications',
  version: 1,
  eventTypes: ['DocumentPublished'],
  indexedFields: ['commune', 'current', 'publishedAt'],
  documentIds(event) {
    const { publicationId, replaces } = event.data as { publicationId?: string; replaces?: string };
    return [publicationId, replaces].filter((id): id is string => typeof id === 'string' && id.length > 0);
  },
  evolve(document, event, id) {
    const e = documentEvents.narrow(event);
    if (e?.type !== 'DocumentPublished') return document;
    if (id === e.data.publicationId) {
      const { publishedBy: _by, ...data } = e.data;
      return { ...data, replacedBy: document?.replacedBy ?? null, current: !document?.replacedBy };
    }
    // the replaced version
    return document && { ...document, replacedBy: e.data.publicationId, current: false };
  },
};
