import { familiesDecider, type FamilyCommand, type FamilyState } from '../../src/modules/families/families.decider';
import type { FamilyEvent } from '../../src/modules/families/families.events';
import type { ProjectedEvent, ProjectionDefinition } from '../../src/platform/projections/projection';
import { dupontRegistered } from './fixtures/dupont';

/** The events the decider writes for these commands, after the DUPONT registration. */
export function dupontHistory(commands: FamilyCommand[]): FamilyEvent[] {
  const events: FamilyEvent[] = [dupontRegistered];
  let state: FamilyState = familiesDecider.evolve(familiesDecider.initialState(), dupontRegistered);
  for (const command of commands) {
    for (const event of familiesDecider.decide(command, state)) {
      events.push(event);
      state = familiesDecider.evolve(state, event);
    }
  }
  return events;
}

/** Fold events through a projection's pure evolve, as the runner does, without a store. */
export function projectAll<D extends Record<string, unknown>>(
  projection: ProjectionDefinition<D>,
  events: ProjectedEvent[],
): Map<string, D> {
  const documents = new Map<string, D>();
  for (const event of events) {
    if (!projection.eventTypes.includes(event.type)) continue;
    for (const id of projection.documentIds(event)) {
      const next = projection.evolve(documents.get(id) ?? null, event, id);
      if (next) documents.set(id, next);
      else documents.delete(id);
    }
  }
  return documents;
}
