import type { DomainEvent, EventTypeDefinition } from '../domain/decider';
import { type EventToAppend, familyIdOf, type StoredEvent } from '../event-store/event-store.port';
import type { EventMetadata, ProjectedEvent } from '../projections/projection';
import { type FamilyKeyRing, isProtectedLeaf } from './family-key-ring';

/** A copy of `data` where the value at each dotted path has had `leaf` applied to every leaf under it. */
function mapPaths(
  data: Record<string, unknown>,
  paths: string[],
  leaf: (value: string | number | boolean) => unknown,
): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const path of paths) {
    const keys = path.split('.');
    if (!hasPath(data, keys)) continue;
    copy ??= structuredClone(data);
    let parent: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
    const last = keys[keys.length - 1];
    parent[last] = mapLeaves(parent[last], leaf);
  }
  return copy ?? data;
}

function hasPath(data: Record<string, unknown>, keys: string[]): boolean {
  let node: unknown = data;
  for (const key of keys) {
    if (node === null || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== undefined && node !== null;
}

const IDENTIFIER = /^[a-z][A-Za-z]*Id$/;

function mapLeaves(value: unknown, leaf: (value: string | number | boolean) => unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => mapLeaves(v, leaf));
  if (typeof value === 'object') {
    // identifiers inside personal data (a child's childId) are the application's own, not personal data: kept as they are
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, IDENTIFIER.test(k) ? v : mapLeaves(v, leaf)]),
    );
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return leaf(value);
  return value;
}

/**
 * The one place events are turned into stored records and back.
 * - writes the schema version of each type into the metadata;
 * - upcasts older versions on read, so deciders and projections only ever see the current schema;
 * - knows which fields hold personal data (EventTypeDefinition.personalData): crypto-shredding
 *   (per-family encryption of those fields) plugs in here, in `protect` / `reveal`, and nowhere else.
 */
export class EventSerializer {
  private readonly definitions = new Map<string, EventTypeDefinition>();

  /** Without a key ring (unit tests, tools that only read plaintext logs) personal data is stored as is. */
  constructor(private readonly keys?: FamilyKeyRing) {}

  /** Whether personal data is encrypted (a key ring is plugged in). */
  get encrypting(): boolean {
    return this.keys !== undefined;
  }

  /**
   * Before `serialize`: makes sure the families of these events have a key (created at a family's first event),
   * and refuses to write personal data of an erased family (FAMILY_ERASED).
   */
  async prepare(events: DomainEvent[], metadata: Pick<EventMetadata, 'familyId'>): Promise<void> {
    if (!this.keys) return;
    const families = new Set<string>();
    for (const event of events) {
      if (this.definition(event.type).personalData.length === 0) continue;
      const familyId = familyIdOf({ data: event.data as Record<string, unknown>, metadata });
      if (familyId) families.add(familyId);
    }
    if (families.size > 0) await this.keys.ensure(families);
  }

  register(definitions: EventTypeDefinition[]): this {
    for (const definition of definitions) {
      const known = this.definitions.get(definition.type);
      if (known && known !== definition) throw new Error(`Event type ${definition.type} registered twice`);
      this.definitions.set(definition.type, definition);
    }
    return this;
  }

  definition(type: string): EventTypeDefinition {
    const definition = this.definitions.get(type);
    if (!definition) throw new Error(`Unknown event type ${type}: register its EventTypeDefinition`);
    return definition;
  }

  personalDataPaths(type: string): string[] {
    return this.definition(type).personalData;
  }

  serialize(event: DomainEvent, metadata: EventMetadata): EventToAppend {
    const definition = this.definition(event.type);
    return {
      id: metadata.eventId,
      type: event.type,
      data: this.protect(definition, event.data as Record<string, unknown>, metadata),
      metadata: { ...metadata, schemaVersion: definition.version },
    };
  }

  /** Domain view of a stored event (current schema). Unknown types are an error: the log is ours. */
  deserialize<E extends DomainEvent = DomainEvent>(stored: StoredEvent): E {
    return { type: stored.type, data: this.upcast(stored) } as E;
  }

  toProjected(stored: StoredEvent): ProjectedEvent {
    return {
      type: stored.type,
      data: this.upcast(stored),
      metadata: stored.metadata as EventMetadata,
      streamId: stored.streamId,
      revision: stored.revision,
      position: stored.position,
      recordedAt: stored.recordedAt,
    };
  }

  isKnown(type: string): boolean {
    return this.definitions.has(type);
  }

  private upcast(stored: StoredEvent): Record<string, unknown> {
    const definition = this.definition(stored.type);
    const raw = stored.metadata?.schemaVersion;
    let version = typeof raw === 'number' ? raw : 1;
    let data = this.reveal(definition, stored.data, stored.metadata);
    while (version < definition.version) {
      const step = definition.upcast?.[version];
      if (!step) throw new Error(`No upcaster for ${stored.type} v${version} -> v${version + 1}`);
      data = step(data);
      version += 1;
    }
    if (version > definition.version) {
      throw new Error(`${stored.type} v${version} is newer than this code (v${definition.version}): deploy the newer version`);
    }
    return data;
  }

  /** Crypto-shredding: each leaf under the personal paths is encrypted with the family's key (family-key-ring.ts). */
  private protect(definition: EventTypeDefinition, data: Record<string, unknown>, metadata: EventMetadata): Record<string, unknown> {
    const keys = this.keys;
    if (!keys || definition.personalData.length === 0) return data;
    const familyId = familyIdOf({ data, metadata });
    if (!familyId) return data;
    return mapPaths(data, definition.personalData, (leaf) => (isProtectedLeaf(leaf) ? leaf : keys.encryptLeaf(familyId, leaf)));
  }

  /**
   * Decrypts the personal leaves; once the family's key is destroyed they read « données effacées » (strings) or
   * null. Plaintext leaves (events written before encryption and not migrated yet) are returned as they are.
   */
  private reveal(
    definition: EventTypeDefinition,
    data: Record<string, unknown>,
    metadata: Record<string, unknown>,
  ): Record<string, unknown> {
    const keys = this.keys;
    if (!keys || definition.personalData.length === 0) return data;
    const familyId = familyIdOf({ data, metadata });
    if (!familyId) return data;
    return mapPaths(data, definition.personalData, (leaf) => (isProtectedLeaf(leaf) ? keys.decryptLeaf(familyId, leaf) : leaf));
  }

  /** The families whose keys reading these events needs (for the key-loading event store). */
  familiesOf(events: StoredEvent[]): Set<string> {
    const families = new Set<string>();
    for (const event of events) {
      if (!this.definitions.get(event.type)?.personalData.length) continue;
      const familyId = familyIdOf(event);
      if (familyId) families.add(familyId);
    }
    return families;
  }

  /** Encrypts the plaintext personal leaves of a stored event (the migration of events written before encryption). */
  protectStored(stored: StoredEvent): Record<string, unknown> {
    return this.protect(this.definition(stored.type), stored.data, stored.metadata as EventMetadata);
  }
}
