/** Who sends a command, and the tracing it carries. Built by the HTTP layer (or a workflow/CLI). */
import type { Actor, Role } from '../domain/command-target';

export type { Role } from '../domain/command-target';

export interface Principal {
  userId: string;
  role: Role;
  /** the family a parent account belongs to */
  familyId?: string;
  /** a parent limited to some children of the family (separated parents); absent: all of them */
  childIds?: string[];
  /** staff and auditors: the communes they manage ('*' = all) */
  scope?: string[];
  displayName?: string;
  /** the session the request runs under (absent for system work) */
  sessionId?: string;
}

/** The actor a principal acts as in commands and events. */
export function actorOf(principal: Principal): Actor {
  return { userId: principal.userId, role: principal.role };
}

export interface CommandContext {
  principal: Principal;
  correlationId: string;
  /** id of the message (request, event, job) that caused this command; defaults to the correlation id */
  causationId?: string;
  /** the family the events concern (metadata.familyId) */
  familyId?: string;
  /** If-Match: the stream revision the client saw; a mismatch answers 412 */
  expectedRevision?: number;
  /** Idempotency-Key: makes event ids deterministic so a retried command is stored once */
  idempotencyKey?: string;
  /** the instant the command is accepted (ISO); defaults to the clock */
  now?: string;
}
