import { Injectable } from '@nestjs/common';

import type { CommandContext } from '../../../platform/commands/command-context';
import { Commands } from '../../../platform/commands/stream-command';
import type { BookingContext } from '../planning-facts';
import { familyPlanningCommands } from './family-planning.commands';
import type { BulkItemResult, RequestReservations } from './family-planning.decider';

export interface BulkAnswer {
  revision: number;
  requested: number;
  refused: number;
  results: BulkItemResult[];
}

/**
 * Many days at once on one family's planning stream (a bulk request, a « semaine type »): one append for
 * every accepted day, one answer per day (the decision's answer).
 */
@Injectable()
export class BulkReservations {
  constructor(private readonly commands: Commands) {}

  async request(
    familyId: string,
    items: RequestReservations['items'],
    facts: BookingContext,
    context: CommandContext,
  ): Promise<BulkAnswer> {
    const { activities, calendar, closures, publicHolidays, familyCategory } = facts;
    const result = await this.commands.send(
      familyPlanningCommands,
      familyId,
      { type: 'RequestReservations', items, activities, calendar, closures, publicHolidays, familyCategory },
      context,
    );
    const results = (result.answer as BulkItemResult[] | undefined) ?? [];
    return {
      revision: result.revision,
      requested: results.filter((r) => r.status === 'requested').length,
      refused: results.filter((r) => r.status === 'refused').length,
      results,
    };
  }
}
