/**
 * Are a data folder's read models what the event log says they should be? Each projection is replayed
 * from position zero up to the checkpoint its live collection reached, into a scratch in-memory store, and
 * the two sets of documents are compared. Used by `restore` (a restored folder is verified before it is
 * used) and by the crash drills (read models after a kill -9 equal a rebuild).
 *
 * Runs on a data folder no process is writing to (the owner lock is not taken here: the caller holds it or
 * knows the folder is idle).
 */
import { join } from 'node:path';

import { ALL_PROJECTIONS } from '../../projections';
import { ALL_EVENT_TYPES } from '../app.events';
import { SystemClock } from '../platform/clock/clock';
import type { DocumentStore } from '../platform/document-store/document-store.port';
import { SqliteDocumentStore } from '../platform/document-store/sqlite-document-store';
import { SqliteEventStore } from '../platform/event-store/sqlite-event-store';
import { EventSerializer } from '../platform/events/event-serializer';
import { FamilyKeyRing } from '../platform/events/family-key-ring';
import { KeyLoadingEventStore } from '../platform/events/key-loading-event-store';
import { SqliteFamilyKeyStore } from '../platform/events/sqlite-family-key-store';
import { ProjectionRunner } from '../platform/projections/projection-runner';

export interface ReadModelComparison {
  projection: string;
  collection: string;
  checkpoint: number;
  documents: number;
  /** one line per document that differs: missing, unexpected or different */
  differences: string[];
}

const PAGE = 500;

async function allDocuments(store: DocumentStore, collection: string): Promise<Map<string, string>> {
  const documents = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await store.find(collection, { limit: 1000, cursor });
    for (const item of page.items) documents.set(item.id, JSON.stringify(item.data));
    cursor = page.nextCursor;
  } while (cursor);
  return documents;
}

export async function compareReadModelsWithRebuild(dataDir: string): Promise<ReadModelComparison[]> {
  // personal data is encrypted per family: replay through the keys kept beside the events, as the portal reads them
  const keys = new FamilyKeyRing(new SqliteFamilyKeyStore(join(dataDir, 'events.sqlite')), new SystemClock());
  const serializer = new EventSerializer(keys).register(ALL_EVENT_TYPES);
  const events = new KeyLoadingEventStore(new SqliteEventStore(join(dataDir, 'events.sqlite')), serializer, keys);
  const documents = new SqliteDocumentStore(join(dataDir, 'read-models.sqlite'));
  const results: ReadModelComparison[] = [];
  try {
    for (const definition of ALL_PROJECTIONS) {
      const state = await documents.get<{ collection: string }>('projection_state', definition.name);
      if (!state) {
        results.push({ projection: definition.name, collection: '-', checkpoint: 0, documents: 0, differences: ['no projection state'] });
        continue;
      }
      const collection = state.data.collection;
      const checkpoint = (await documents.getCheckpoint(collection)) ?? 0;
      const scratch = new SqliteDocumentStore(':memory:');
      try {
        const runner = new ProjectionRunner(events, scratch, serializer).register(definition);
        for (let from = 0; from < checkpoint;) {
          const page = (await events.readAll({ fromPosition: from, maxCount: PAGE })).filter((e) => e.position <= checkpoint);
          if (page.length === 0) break;
          await runner.applyBatch(definition, 'rebuilt', page);
          from = page[page.length - 1].position;
        }
        const live = await allDocuments(documents, collection);
        const rebuilt = await allDocuments(scratch, 'rebuilt');
        const differences: string[] = [];
        for (const [id, data] of rebuilt) {
          if (!live.has(id)) differences.push(`${id}: missing from the read model`);
          else if (live.get(id) !== data) differences.push(`${id}: differs from the rebuild`);
        }
        for (const id of live.keys()) if (!rebuilt.has(id)) differences.push(`${id}: not produced by a rebuild`);
        results.push({ projection: definition.name, collection, checkpoint, documents: live.size, differences });
      } finally {
        await scratch.close();
      }
    }
    return results;
  } finally {
    await events.close();
    await keys.close();
    await documents.close();
  }
}
