/**
 * A read model, as the projection runner sees it. Each folder under projections/ exports one.
 * `evolve` is pure: the runner loads the documents an event touches, calls evolve, and stores the results
 * together with the projection's checkpoint in one batch. Each document keeps the global position of the
 * last event applied to it (`_position`), so handling an event twice changes nothing.
 */
export interface ProjectedEvent {
  type: string;
  /** upcasted to the current schema version */
  data: Record<string, unknown>;
  metadata: EventMetadata;
  streamId: string;
  revision: number;
  position: number;
  recordedAt: string;
}

/** Metadata every event carries (written by the command pipeline). */
export interface EventMetadata {
  eventId: string;
  correlationId: string;
  causationId: string;
  userId: string;
  role: string;
  familyId?: string;
  /** ISO instant at which the command was accepted */
  recordedAt: string;
  schemaVersion?: number;
  [key: string]: unknown;
}

export interface ProjectionDefinition<D extends Record<string, unknown> = Record<string, unknown>> {
  /** stable name; the collection is `<name>_v<version>` (or a rebuild generation of it) */
  name: string;
  /** bump to rebuild from position zero on the next start */
  version: number;
  /** event types this projection reads; others are skipped (the checkpoint still advances) */
  eventTypes: string[];
  /** fields of the documents that queries filter or sort on */
  indexedFields: string[];
  /** ids of the documents this event changes (usually one) */
  documentIds(event: ProjectedEvent): string[];
  /** pure: the new document, or null to delete it */
  evolve(document: D | null, event: ProjectedEvent, documentId: string): D | null;
}
