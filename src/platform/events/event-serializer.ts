import type { DomainEvent, EventTypeDefinition } from '../domain/decider';
import type { EventToAppend, StoredEvent } from '../event-store/event-store.port';
import type { EventMetadata, ProjectedEvent } from '../projections/projection';

/**
 * The one place events are turned into stored records and back.
 * - writes the schema version of each type into the metadata;
 * - upcasts older versions on read, so deciders and projections only ever see the current schema;
 * - knows which fields hold personal data (EventTypeDefinition.personalData): crypto-shredding
 *   (per-family encryption of those fields) plugs in here, in `protect` / `reveal`, and nowhere else.
 */
export class EventSerializer {
  private readonly definitions = new Map<string, EventTypeDefinition>();

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
      data: this.protect(definition, event.data as Record<string, unknown>),
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
    let data = this.reveal(definition, stored.data);
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

  /** Hook for crypto-shredding (encrypt definition.personalData with the family's key). Identity today. */
  private protect(_definition: EventTypeDefinition, data: Record<string, unknown>): Record<string, unknown> {
    return data;
  }

  /** Hook for crypto-shredding (decrypt, or mark as erased when the family's key was destroyed). Identity today. */
  private reveal(_definition: EventTypeDefinition, data: Record<string, unknown>): Record<string, unknown> {
    return data;
  }
}
