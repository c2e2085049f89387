/**
 * A family's read models replayed from the log, apart from the live ones: the auditors' « state at an instant »
 * (the family's events up to that instant through a projection's evolve) and the consistency check (the family's
 * events up to the live checkpoint must give exactly the documents the live collection holds).
 *
 * Only projections whose documents are made of one family's events alone can be replayed for a family (the
 * family record, its requests, its planning grid…): `familyScoped` says which; a catalogue or a user-account read
 * model cannot, and is checked by the whole-log comparison (operations/read-model-check.ts).
 * The family's events come from EventStore.readFamily (an index: no scan of the log), in pages.
 */
import type { DocumentStore } from '../document-store/document-store.port';
import { SqliteDocumentStore } from '../document-store/sqlite-document-store';
import type { EventStore, StoredEvent } from '../event-store/event-store.port';
import type { EventSerializer } from '../events/event-serializer';
import type { ProjectionDefinition } from './projection';
import { ProjectionRunner } from './projection-runner';

const PAGE = 1000;
const SCRATCH = 'replayed';

export interface ReplayBound {
  /** ISO instant: events committed at or before it */
  until?: string;
  /** global position: events at or before it */
  upToPosition?: number;
}

export interface ConsistencyReport {
  projection: string;
  checkpoint: number;
  documents: number;
  /** one line per document that differs: missing, unexpected or different */
  differences: string[];
}

/** JSON with object keys sorted: two documents compare equal whatever order their fields were written in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export class FamilyReplay {
  constructor(
    private readonly events: EventStore,
    private readonly serializer: EventSerializer,
    private readonly live: { documents: DocumentStore; runner: ProjectionRunner },
    /** names of the projections whose documents are made of one family's events alone */
    private readonly familyScoped: ReadonlySet<string>,
  ) {}

  scoped(definitions: ProjectionDefinition[]): ProjectionDefinition[] {
    return definitions.filter((d) => this.familyScoped.has(d.name));
  }

  /** The family's events within the bound, page by page, in commit order. */
  async *familyEvents(familyId: string, bound: ReplayBound = {}): AsyncGenerator<StoredEvent[]> {
    const limit = bound.until === undefined ? Number.POSITIVE_INFINITY : Date.parse(bound.until);
    const upTo = bound.upToPosition ?? Number.POSITIVE_INFINITY;
    for (let from = 0; ;) {
      const page = await this.events.readFamily(familyId, { fromPosition: from, maxCount: PAGE });
      const kept = page.filter((e) => e.position <= upTo && Date.parse(e.recordedAt) <= limit);
      if (kept.length > 0) yield kept;
      if (page.length < PAGE || page[page.length - 1].position >= upTo) return;
      from = page[page.length - 1].position;
    }
  }

  /**
   * Runs `work` on the family's documents of `definition` replayed within the bound (a scratch in-memory store,
   * dropped afterwards): `get(id)` answers the replayed document, `all()` every replayed one.
   */
  async replay<T>(
    definition: ProjectionDefinition,
    familyId: string,
    bound: ReplayBound,
    work: (replayed: {
      get(id: string): Promise<Record<string, unknown> | null>;
      all(): Promise<Map<string, Record<string, unknown>>>;
    }) => Promise<T>,
  ): Promise<T> {
    const scratch = new SqliteDocumentStore(':memory:');
    try {
      const runner = new ProjectionRunner(this.events, scratch, this.serializer).register(definition);
      for await (const page of this.familyEvents(familyId, bound)) await runner.applyBatch(definition, SCRATCH, page);
      return await work({
        get: async (id) => (await scratch.get(SCRATCH, id))?.data ?? null,
        all: async () => {
          const documents = new Map<string, Record<string, unknown>>();
          let cursor: string | undefined;
          do {
            const found = await scratch.find(SCRATCH, { limit: 1000, cursor });
            for (const item of found.items) documents.set(item.id, item.data);
            cursor = found.nextCursor;
          } while (cursor);
          return documents;
        },
      });
    } finally {
      await scratch.close();
    }
  }

  /** A live document of a projection (today's read model), or null. */
  async liveDocument(name: string, id: string): Promise<Record<string, unknown> | null> {
    const collection = await this.live.runner.collectionOf(name);
    return (await this.live.documents.get(collection, id))?.data ?? null;
  }

  /**
   * Replaying the family's events up to the live checkpoint gives exactly the live documents of the family:
   * each replayed document is compared with the live one of the same id, and live documents of the family
   * (by their indexed `familyId`) that the replay does not produce are reported. Never repairs anything.
   */
  async check(definition: ProjectionDefinition, familyId: string): Promise<ConsistencyReport> {
    const collection = await this.live.runner.collectionOf(definition.name);
    const checkpoint = (await this.live.documents.getCheckpoint(collection)) ?? 0;
    return this.replay(definition, familyId, { upToPosition: checkpoint }, async (replayed) => {
      const expected = await replayed.all();
      const differences: string[] = [];
      let moved = 0;
      for (const [id, data] of expected) {
        const live = (await this.live.documents.get(collection, id))?.data;
        if (!live) differences.push(`${id} : absent du modèle de lecture`);
        else if (typeof live._position === 'number' && live._position > checkpoint)
          moved += 1; // the projection moved on meanwhile
        else if (canonicalJson(live) !== canonicalJson(data)) differences.push(`${id} : diffère du rejeu du journal`);
      }
      if (definition.indexedFields.includes('familyId')) {
        let cursor: string | undefined;
        do {
          const found = await this.live.documents.find(collection, { where: { familyId }, limit: 1000, cursor });
          for (const item of found.items) {
            if (!expected.has(item.id)) differences.push(`${item.id} : présent dans le modèle de lecture, absent du rejeu`);
          }
          cursor = found.nextCursor;
        } while (cursor);
      }
      return { projection: definition.name, checkpoint, documents: expected.size - moved, differences };
    });
  }
}
