/**
 * Who acts, what every command carries, and where a command goes: declared once per stream
 * (Eventuous-style "this command goes to this stream with this decider"), so that endpoints, workflows
 * and jobs send a command in one line and never name a stream or a decider themselves.
 *
 * Pure: no framework, no I/O.
 */
import type { Decider, Decision, DomainEvent } from './decider';

/** Every role of the portal. 'anonymous': the holder of an activation or reset link; 'system': the application itself. */
export const ROLES = ['parent', 'staff', 'auditor', 'admin', 'system', 'anonymous'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that act for the commune (staff work, validations, catalogue). */
export const STAFF_ROLES: readonly Role[] = ['staff', 'admin', 'system'];
/** Roles that may act for a family: the family's parent, and the commune's staff. */
export const FAMILY_ROLES: readonly Role[] = ['parent', ...STAFF_ROLES];

/** Who sends a command (copied into the events' data where a rule needs it: requestedBy, decidedBy…). */
export interface Actor {
  userId: string;
  role: Role;
}

/** What the pipeline fills in on every command: the instant it is accepted and who sends it. */
export interface CommandMeta {
  /** ISO instant at which the command is handled (deciders read no clock) */
  at: string;
  actor: Actor;
}

/** A command as its sender writes it: without the meta the pipeline fills in, nor the fields its target's key fills in. */
export type WithoutMeta<C, KeyField extends PropertyKey = never> = C extends unknown ? Omit<C, keyof CommandMeta | KeyField> : never;

/**
 * Where the commands of one kind of stream go. `K` is the stream's key (a family id, an activity-day…),
 * `F` the command fields the key fills in (e.g. 'familyId').
 */
export interface CommandTarget<K, C extends CommandMeta, E extends DomainEvent, S, F extends PropertyKey = never> {
  /** the stream category, e.g. 'family' (metrics, logs) */
  readonly category: string;
  readonly decider: Decider<C, E, S, E[] | Decision<E>>;
  streamId(key: K): string;
  /** the command fields the key fills in */
  keyFields(key: K): { [P in F]: unknown };
  /** the family the events concern (metadata.familyId), when the key says */
  familyId(key: K): string | undefined;
  /** a closed stream whose events (those `includes` keeps) are folded before this one's: a previous layout of the data */
  prelude?(key: K): { streamId: string; includes(event: { type: string; data: Record<string, unknown> }): boolean } | undefined;
  /** the state is kept in snapshots beside the stream under this schema version (bump it when the state's shape changes) */
  readonly snapshotVersion?: number;
}

export function commandTarget<K, C extends CommandMeta, E extends DomainEvent, S, F extends PropertyKey = never>(target: {
  category: string;
  decider: Decider<C, E, S, E[] | Decision<E>>;
  streamId(key: K): string;
  keyFields?(key: K): { [P in F]: unknown };
  familyId?(key: K): string | undefined;
  prelude?: CommandTarget<K, C, E, S, F>['prelude'];
  snapshotVersion?: number;
}): CommandTarget<K, C, E, S, F> {
  return {
    category: target.category,
    decider: target.decider,
    streamId: target.streamId,
    keyFields: target.keyFields ?? (() => ({}) as { [P in F]: unknown }),
    familyId: target.familyId ?? (() => undefined),
    ...(target.prelude ? { prelude: target.prelude } : {}),
    ...(target.snapshotVersion !== undefined ? { snapshotVersion: target.snapshotVersion } : {}),
  };
}

/** The payload a sender writes for a target: its command union without the meta and the key fields. */
export type PayloadOf<T> = T extends CommandTarget<unknown, infer C, DomainEvent, unknown, infer F> ? WithoutMeta<C, F> : never;
/** The key of a target. */
export type KeyOf<T> = T extends CommandTarget<infer K, CommandMeta, DomainEvent, unknown, PropertyKey> ? K : never;
