/**
 * A context's event types, declared once: one table from which the union type, the list of type names,
 * the serializer's definitions (schema version, personal-data paths, upcasters) and the type guards are
 * all derived. Adding an event type is one line in the data map and one in the table; forgetting either
 * is a compile error.
 *
 *   type FamilyEventData = { FamilyRegistered: FamilyRegisteredData; ChildAdded: ChildAddedData };
 *   export const familyEvents = eventTable<FamilyEventData>({
 *     FamilyRegistered: { version: 1, personalData: ['guardian'] },
 *     ChildAdded: { version: 1, personalData: ['child'] },
 *   });
 *   export type FamilyEvent = EventOf<FamilyEventData>;
 *
 * Pure: no framework, no I/O.
 */
import type { DomainEvent, EventTypeDefinition } from './decider';

/** How one event type is stored: its current schema version, its personal data, its upcasters. */
export interface EventSpec {
  /** current schema version (1 for a first version) */
  version: number;
  /** dotted paths in data holding personal data (encrypted per family by the serializer) */
  personalData: readonly string[];
  /** upcasters keyed by the version they read: upcast[1] turns v1 data into v2 data */
  upcast?: Record<number, (data: Record<string, unknown>) => Record<string, unknown>>;
}

/** The union of the events of a data map: { A: DA; B: DB } → DomainEvent<'A', DA> | DomainEvent<'B', DB>. */
export type EventOf<M, K extends keyof M & string = keyof M & string> = { [T in K]: DomainEvent<T, M[T]> }[K];

export interface EventTable<M> {
  /** every type name of the table, in declaration order */
  readonly types: readonly (keyof M & string)[];
  /** what the serializer registers */
  readonly definitions: readonly EventTypeDefinition[];
  /** whether a type name belongs to the table */
  has(type: string): type is keyof M & string;
  /** a stored or projected event (type + plain, upcast data) as one of the table's events, or null */
  narrow(event: { type: string; data: unknown }): EventOf<M> | null;
  /** the events of the table among `events`, narrowed */
  only(events: readonly { type: string; data: unknown }[]): EventOf<M>[];
}

export function eventTable<M>(specs: { readonly [K in keyof M & string]: EventSpec }): EventTable<M> {
  const types = Object.keys(specs) as (keyof M & string)[];
  const known = new Set<string>(types);
  const definitions: EventTypeDefinition[] = types.map((type) => {
    const spec: EventSpec = specs[type];
    return {
      type,
      version: spec.version,
      personalData: [...spec.personalData],
      ...(spec.upcast ? { upcast: spec.upcast } : {}),
    };
  });
  const has = (type: string): type is keyof M & string => known.has(type);
  const narrow = (event: { type: string; data: unknown }): EventOf<M> | null =>
    has(event.type) ? ({ type: event.type, data: event.data } as EventOf<M>) : null;
  return {
    types,
    definitions,
    has,
    narrow,
    only: (events) => events.flatMap((event) => narrow(event) ?? []),
  };
}

/** The definitions of several tables, refusing a type declared in two of them. */
export function definitionsOf(...tables: { readonly definitions: readonly EventTypeDefinition[] }[]): EventTypeDefinition[] {
  const seen = new Set<string>();
  return tables.flatMap((table) =>
    table.definitions.map((definition) => {
      if (seen.has(definition.type)) throw new Error(`Event type ${definition.type} is declared in two tables`);
      seen.add(definition.type);
      return definition;
    }),
  );
}
