/**
 * An EventStore that loads the family keys of the events it returns before returning them (crypto-shredding:
 * the serializer decrypts synchronously, so the keys must be at hand). Everything that reads events through the
 * EVENT_STORE token (command pipeline, projections, workflows, auditors) gets them this way; nobody else changes.
 */
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadFamilyOptions,
  ReadStreamOptions,
  StoredEvent,
  Subscription,
  SubscriptionOptions,
} from '../event-store/event-store.port';
import type { EventSerializer } from './event-serializer';
import type { FamilyKeyRing } from './family-key-ring';

export class KeyLoadingEventStore implements EventStore {
  constructor(
    /** the store underneath (operations and tests that reach the SQLite connection) */
    readonly inner: EventStore,
    private readonly serializer: EventSerializer,
    private readonly keys: FamilyKeyRing,
  ) {}

  private async loaded(events: StoredEvent[]): Promise<StoredEvent[]> {
    const families = this.serializer.familiesOf(events);
    if (families.size > 0) await this.keys.load(families);
    return events;
  }

  appendToStream(streamId: string, events: EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, events, expectedRevision);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.loaded(await this.inner.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.loaded(await this.inner.readAll(options));
  }

  async readFamily(familyId: string, options?: ReadFamilyOptions): Promise<StoredEvent[]> {
    return this.loaded(await this.inner.readFamily(familyId, options));
  }

  subscribeToAll(options: SubscriptionOptions): Subscription {
    return this.inner.subscribeToAll({
      ...options,
      onEvent: async (event) => {
        await this.loaded([event]);
        await options.onEvent(event);
      },
    });
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  /** Storage health's probe of the store underneath (SQLite), when it has one. */
  async writeProbe(): Promise<void> {
    await (this.inner as { writeProbe?: () => Promise<void> }).writeProbe?.();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
