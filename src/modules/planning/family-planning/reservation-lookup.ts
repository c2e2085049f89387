import { Injectable } from '@nestjs/common';

import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import type { Principal } from '../../../platform/commands/command-context';
import { StreamReader } from '../../../platform/commands/stream-reader';
import { DomainError } from '../../../platform/domain/domain-error';
import type { LocalDate } from '../planning.types';
import { familyPlanningCommands } from './family-planning.commands';

export interface ReservationRef {
  requestId: string;
  childId: string;
  activityId: string;
  date: LocalDate;
}

/** What a family's commands on its reservations check first: who may act, and which reservation it is. */
@Injectable()
export class ReservationLookup {
  constructor(
    private readonly reader: StreamReader,
    private readonly access: FamilyAccessPolicy,
  ) {}

  /** The caller reaches the family, and the child (a parent limited to some children reaches only those). */
  async assertChild(principal: Principal, familyId: string, childId: string): Promise<void> {
    await this.access.assertCanReach(principal, familyId);
    this.access.assertCanReachChild(principal, childId);
  }

  /** A reservation of the family the caller may act on (from the planning stream's state), or 404. */
  async reservation(principal: Principal, familyId: string, requestId: string): Promise<ReservationRef> {
    await this.access.assertCanReach(principal, familyId);
    const { state } = await this.reader.state(familyPlanningCommands, familyId);
    const reservation = state.reservations[requestId];
    if (!reservation) throw new DomainError('RESERVATION_NOT_FOUND', 'Réservation introuvable.', 'not_found');
    this.access.assertCanReachChild(principal, reservation.childId);
    return { requestId, childId: reservation.childId, activityId: reservation.activityId, date: reservation.date };
  }
}

/** The configuration of an activity the facts were loaded for, or 404 ACTIVITY_NOT_FOUND. */
export function requireActivity<A>(activities: Record<string, A>, activityId: string): A {
  const activity = activities[activityId];
  if (!activity) throw new DomainError('ACTIVITY_NOT_FOUND', `L'activité « ${activityId} » n'existe pas.`, 'not_found');
  return activity;
}
