/**
 * The catalogue of one facility, as staff set it up: the facility, its activities and its closures.
 * Stream `facility-<facilityId>` (catalog.events.ts). Pure: no framework, no I/O, no clock (time and
 * the acting user come in with the command).
 *
 * Changing an activity or declaring a closure only records the new configuration. Its effects on days
 * already requested (capacity of an allocation day, releasing the requests of a closed day) are the
 * work of the catalogue workflow, which reads these events and sends ChangeCapacity / Close to the
 * allocation streams.
 */
import { type CommandMeta, STAFF_ROLES } from '../../../platform/domain/command-target';
import type { Decider } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import { assertNever, jsonEqual } from '../../../platform/domain/exhaustive';
import { type Activity, type Closure, type ClosureScope, type Facility, isActivityScope, type LocalDate } from '../planning.types';
import type { ActivityChanged, ActivityDefined, CatalogEvent, ClosureCancelled, ClosureDeclared, FacilityDefined } from './catalog.events';
import { type ActivityConfig, checkActivityConfig, checkClosurePeriod, checkFacility, checkText } from './catalog-config.rules';

// ---------------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------------

/** Filled by the server for every command: the facility concerned, when, and who. */
export type CatalogCommandMeta = CommandMeta & { facilityId: string };

export type DefineFacility = CatalogCommandMeta & {
  type: 'DefineFacility';
  name: string;
  commune: string;
};

export type DefineActivity = CatalogCommandMeta & {
  type: 'DefineActivity';
  activityId: string;
  config: ActivityConfig;
};

/** The full new configuration of the activity (not a patch). */
export type ChangeActivity = CatalogCommandMeta & {
  type: 'ChangeActivity';
  activityId: string;
  config: ActivityConfig;
};

export type DeclareClosure = CatalogCommandMeta & {
  type: 'DeclareClosure';
  closureId: string;
  /** the whole facility ({ facilityId }) or one of its activities ({ activityId }) */
  scope: ClosureScope;
  from: LocalDate;
  to: LocalDate;
  /** French, shown to parents: "Fermeture estivale", "Journée pédagogique" */
  reason: string;
};

export type CancelClosure = CatalogCommandMeta & {
  type: 'CancelClosure';
  closureId: string;
};

export type CatalogCommand = DefineFacility | DefineActivity | ChangeActivity | DeclareClosure | CancelClosure;

// ---------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------

export type ClosureState = Closure & { cancelled: boolean };

export type CatalogState = {
  facility: Facility | null;
  /** the current configuration of each activity, by activityId */
  activities: Record<string, Activity>;
  /** every closure ever declared (cancelled ones too: a closureId is never reused), by closureId */
  closures: Record<string, ClosureState>;
};

export function initialCatalogState(): CatalogState {
  return { facility: null, activities: {}, closures: {} };
}

/** The closures in force (not cancelled), in declaration order: what the booking rules take. */
export function activeClosures(state: CatalogState): Closure[] {
  return Object.values(state.closures)
    .filter((closure) => !closure.cancelled)
    .map(({ cancelled: _cancelled, ...closure }) => closure);
}

// ---------------------------------------------------------------------------------------------------
// Decider
// ---------------------------------------------------------------------------------------------------

export const catalogDecider: Decider<CatalogCommand, CatalogEvent, CatalogState> = {
  initialState: initialCatalogState,
  evolve,
  decide,
};

/** Updates the state in place and returns it (the stream reader owns it: folding n events costs O(n)). */
function evolve(state: CatalogState, event: CatalogEvent): CatalogState {
  switch (event.type) {
    case 'FacilityDefined':
      state.facility = event.data.facility;
      return state;
    case 'ActivityDefined':
    case 'ActivityChanged':
      state.activities[event.data.activity.activityId] = event.data.activity;
      return state;
    case 'ClosureDeclared':
      state.closures[event.data.closure.closureId] = { ...event.data.closure, cancelled: false };
      return state;
    case 'ClosureCancelled': {
      const closure = state.closures[event.data.closureId];
      if (closure) state.closures[closure.closureId] = { ...closure, cancelled: true };
      return state;
    }
    default:
      return assertNever(event);
  }
}

function decide(command: CatalogCommand, state: CatalogState): CatalogEvent[] {
  if (!STAFF_ROLES.includes(command.actor.role)) {
    throw new DomainError(
      'FORBIDDEN_ROLE',
      'Le paramétrage des structures et des activités est réservé aux agents de la commune.',
      'forbidden',
    );
  }
  switch (command.type) {
    case 'DefineFacility':
      return defineFacility(command, state);
    case 'DefineActivity':
      return defineActivity(command, state);
    case 'ChangeActivity':
      return changeActivity(command, state);
    case 'DeclareClosure':
      return declareClosure(command, state);
    case 'CancelClosure':
      return cancelClosure(command, state);
    default:
      return assertNever(command);
  }
}

function defineFacility(command: DefineFacility, state: CatalogState): FacilityDefined[] {
  if (state.facility) {
    throw new DomainError('FACILITY_ALREADY_DEFINED', `La structure « ${state.facility.name} » existe déjà.`, 'conflict');
  }
  checkText(command.facilityId, 'facilityId', 'Identifiant de la structure');
  checkFacility(command);
  const facility: Facility = { facilityId: command.facilityId, name: command.name.trim(), commune: command.commune.trim() };
  return [{ type: 'FacilityDefined', data: { facility, definedAt: command.at, definedBy: command.actor.userId } }];
}

function defineActivity(command: DefineActivity, state: CatalogState): ActivityDefined[] {
  requireFacility(command, state);
  const existing = state.activities[command.activityId];
  if (existing) {
    throw new DomainError('ACTIVITY_ALREADY_DEFINED', `L'activité « ${existing.name} » existe déjà dans cette structure.`, 'conflict', {
      activityId: command.activityId,
    });
  }
  checkText(command.activityId, 'activityId', "Identifiant de l'activité");
  const activity = toActivity(command);
  return [{ type: 'ActivityDefined', data: { activity, definedAt: command.at, definedBy: command.actor.userId } }];
}

/** The full new configuration; saving the configuration as it already is records nothing. */
function changeActivity(command: ChangeActivity, state: CatalogState): ActivityChanged[] {
  requireFacility(command, state);
  const current = requireActivity(state, command.activityId);
  const activity = toActivity(command);
  if (jsonEqual(activity, current)) return [];
  return [{ type: 'ActivityChanged', data: { activity, changedAt: command.at, changedBy: command.actor.userId } }];
}

function toActivity(command: DefineActivity | ChangeActivity): Activity {
  const { config } = command;
  checkActivityConfig(config);
  return {
    ...config,
    activityId: command.activityId,
    facilityId: command.facilityId,
    name: config.name.trim(),
    regieId: config.regieId.trim(),
  };
}

function declareClosure(command: DeclareClosure, state: CatalogState): ClosureDeclared[] {
  const facility = requireFacility(command, state);
  if (state.closures[command.closureId]) {
    throw new DomainError('CLOSURE_ALREADY_DECLARED', 'Cette fermeture a déjà été enregistrée.', 'conflict', {
      closureId: command.closureId,
    });
  }
  checkText(command.closureId, 'closureId', 'Identifiant de la fermeture');
  checkScope(command.scope, facility, state);
  checkClosurePeriod(command.from, command.to, command.reason);
  const closure: Closure = {
    closureId: command.closureId,
    scope: isActivityScope(command.scope) ? { activityId: command.scope.activityId } : { facilityId: facility.facilityId },
    from: command.from,
    to: command.to,
    reason: command.reason.trim(),
  };
  return [{ type: 'ClosureDeclared', data: { closure, declaredAt: command.at, declaredBy: command.actor.userId } }];
}

/** A closure concerns this facility, or one of its own activities. */
function checkScope(scope: ClosureScope, facility: Facility, state: CatalogState): void {
  if (isActivityScope(scope)) {
    if (!state.activities[scope.activityId]) {
      throw new DomainError(
        'CLOSURE_SCOPE_INVALID',
        `L'activité ${scope.activityId} n'appartient pas à la structure « ${facility.name} » : déclarez la fermeture dans sa structure.`,
        'invalid',
        { field: 'scope.activityId' },
      );
    }
    return;
  }
  if (scope.facilityId !== facility.facilityId) {
    throw new DomainError(
      'CLOSURE_SCOPE_INVALID',
      `Une fermeture de la structure « ${facility.name} » ne peut pas concerner une autre structure.`,
      'invalid',
      { field: 'scope.facilityId' },
    );
  }
}

function cancelClosure(command: CancelClosure, state: CatalogState): ClosureCancelled[] {
  requireFacility(command, state);
  const closure = state.closures[command.closureId];
  if (!closure) {
    throw new DomainError('CLOSURE_NOT_FOUND', 'Cette fermeture est introuvable.', 'not_found', {
      closureId: command.closureId,
    });
  }
  if (closure.cancelled) {
    throw new DomainError('CLOSURE_ALREADY_CANCELLED', 'Cette fermeture a déjà été annulée.', 'conflict', {
      closureId: command.closureId,
    });
  }
  return [
    {
      type: 'ClosureCancelled',
      data: { closureId: command.closureId, cancelledAt: command.at, cancelledBy: command.actor.userId },
    },
  ];
}

// --- shared guards -----------------------------------------------------------------------------------

function requireFacility(command: CatalogCommand, state: CatalogState): Facility {
  if (!state.facility || state.facility.facilityId !== command.facilityId) {
    throw new DomainError('FACILITY_NOT_FOUND', 'Cette structure est introuvable.', 'not_found', {
      facilityId: command.facilityId,
    });
  }
  return state.facility;
}

function requireActivity(state: CatalogState, activityId: string): Activity {
  const activity = state.activities[activityId];
  if (!activity) {
    throw new DomainError('ACTIVITY_NOT_FOUND', 'Cette activité est introuvable dans cette structure.', 'not_found', {
      activityId,
    });
  }
  return activity;
}
