import { Inject, Injectable } from '@nestjs/common';

import { FamilyAccessPolicy } from '../../../platform/auth/family-access';
import type { Clock } from '../../../platform/clock/clock';
import type { Principal } from '../../../platform/commands/command-context';
import { StreamReader } from '../../../platform/commands/stream-reader';
import { DomainError } from '../../../platform/domain/domain-error';
import { CLOCK } from '../../../platform/tokens';
import { parisDateOf } from '../calendar/local-date';
import type { LocalDate } from '../planning.types';
import { PlanningFacts } from '../planning-facts';
import { familyPlanningCommands } from './family-planning.commands';
import { schoolYearFor } from './family-planning.decider';

export interface ReservationRef {
  requestId: string;
  childId: string;
  activityId: string;
  date: LocalDate;
  /** the school year whose planning stream holds it */
  schoolYear: string;
}

/** The school years before and after one ('2026-2027' → '2025-2026', '2027-2028'). */
export function neighbourYears(schoolYear: string): [string, string] {
  const start = Number(schoolYear.slice(0, 4));
  return [`${start - 1}-${start}`, `${start + 1}-${start + 2}`];
}

/** What a family's commands on its reservations check first: who may act, and which reservation it is. */
@Injectable()
export class ReservationLookup {
  constructor(
    private readonly reader: StreamReader,
    private readonly access: FamilyAccessPolicy,
    private readonly facts: PlanningFacts,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The caller reaches the family, and the child (a parent limited to some children reaches only those). */
  async assertChild(principal: Principal, familyId: string, childId: string): Promise<void> {
    await this.access.assertCanReach(principal, familyId);
    this.access.assertCanReachChild(principal, childId);
  }

  /**
   * A reservation of the family the caller may act on, live or over, or 404. It is looked for in the school
   * year under way, then the next one (bookings open before the rentrée), then the previous one: a
   * reservation of an older year can no longer be cancelled nor answered.
   */
  async reservation(principal: Principal, familyId: string, requestId: string): Promise<ReservationRef> {
    await this.access.assertCanReach(principal, familyId);
    const current = schoolYearFor(parisDateOf(this.clock.now().toISOString()), await this.facts.schoolCalendar());
    const [previous, next] = neighbourYears(current);
    for (const schoolYear of [current, next, previous]) {
      const { state } = await this.reader.state(familyPlanningCommands, { familyId, schoolYear });
      const found = state.reservations[requestId] ?? state.ended[requestId];
      if (!found) continue;
      this.access.assertCanReachChild(principal, found.childId);
      return { requestId, childId: found.childId, activityId: found.activityId, date: found.date, schoolYear };
    }
    throw new DomainError('RESERVATION_NOT_FOUND', 'Réservation introuvable.', 'not_found');
  }
}

/** The configuration of an activity the facts were loaded for, or 404 ACTIVITY_NOT_FOUND. */
export function requireActivity<A>(activities: Record<string, A>, activityId: string): A {
  const activity = activities[activityId];
  if (!activity) throw new DomainError('ACTIVITY_NOT_FOUND', `L'activité « ${activityId} » n'existe pas.`, 'not_found');
  return activity;
}
