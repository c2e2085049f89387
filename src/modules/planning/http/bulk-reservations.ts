import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';

import type { CommandContext } from '../../../platform/commands/command-context';
import { StreamCommand } from '../../../platform/commands/stream-command';
import type { Decider } from '../../../platform/domain/decider';
import {
  BulkItemResult,
  decideBulk,
  FamilyPlanningCommand,
  familyPlanningDecider,
  FamilyPlanningState,
  RequestReservations,
} from '../family-planning/family-planning.decider';
import type { FamilyPlanningStreamEvent } from '../family-planning/family-planning.events';
import { planningStream } from '../planning.events';
import { BookingContext } from './planning-facts';

export interface BulkAnswer {
  revision: number;
  requested: number;
  refused: number;
  results: BulkItemResult[];
}

/**
 * Many days at once on one family's planning stream (a bulk request, a « semaine type », a regular
 * contract): one append for every accepted day, one answer per day.
 */
@Injectable()
export class BulkReservations {
  constructor(private readonly commands: CommandBus) {}

  async request(
    familyId: string,
    items: RequestReservations['items'],
    facts: BookingContext,
    context: CommandContext,
  ): Promise<BulkAnswer> {
    let results: BulkItemResult[] = [];
    // The decision runs inside the pipeline, which may retry it on a concurrent write: keep the per-day
    // answers of the attempt that was stored.
    const decider: Decider<FamilyPlanningCommand, FamilyPlanningStreamEvent, FamilyPlanningState> = {
      ...familyPlanningDecider,
      decide: (command, state) => {
        const decision = decideBulk(command as RequestReservations, state);
        results = decision.results;
        return decision.events;
      },
    };
    const { principal } = context;
    const result = await this.commands.execute(
      new StreamCommand(
        planningStream(familyId),
        decider,
        (at): FamilyPlanningCommand => ({
          type: 'RequestReservations',
          familyId,
          at,
          actor: { userId: principal.userId, role: principal.role },
          items,
          activities: facts.activities,
          calendar: facts.calendar,
          closures: facts.closures,
          publicHolidays: facts.publicHolidays,
          familyCategory: facts.familyCategory,
        }),
        { ...context, familyId },
      ),
    );
    return {
      revision: result.revision,
      requested: results.filter((r) => r.status === 'requested').length,
      refused: results.filter((r) => r.status === 'refused').length,
      results,
    };
  }
}
