import { Injectable } from '@nestjs/common';

import type { CommandContext } from '../../../platform/commands/command-context';
import { Commands } from '../../../platform/commands/stream-command';
import type { BookingContext } from '../planning-facts';
import { familyPlanningCommands } from './family-planning.commands';
import { type BulkItemResult, type RequestReservations, schoolYearFor } from './family-planning.decider';

export interface BulkAnswer {
  /** the revision of the planning stream written last (a period over two school years writes two) */
  revision: number;
  requested: number;
  refused: number;
  results: BulkItemResult[];
}

/**
 * Many days at once on one family's planning (a bulk request, a « semaine type »): one append per school year
 * concerned, for every accepted day of that year; one answer per day (the decisions' answers), in the order
 * the days were asked.
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
    const byYear = new Map<string, RequestReservations['items']>();
    for (const item of items) {
      const year = schoolYearFor(item.date, calendar);
      byYear.set(year, [...(byYear.get(year) ?? []), item]);
    }
    const answers = new Map<string, BulkItemResult>();
    let revision = -1;
    for (const [schoolYear, yearItems] of byYear) {
      const result = await this.commands.send(
        familyPlanningCommands,
        { familyId, schoolYear },
        { type: 'RequestReservations', items: yearItems, activities, calendar, closures, publicHolidays, familyCategory },
        context,
      );
      revision = result.revision;
      for (const answer of (result.answer as BulkItemResult[] | undefined) ?? []) answers.set(answer.requestId, answer);
    }
    const results = items.flatMap((item) => answers.get(item.requestId) ?? []);
    return {
      revision,
      requested: results.filter((r) => r.status === 'requested').length,
      refused: results.filter((r) => r.status === 'refused').length,
      results,
    };
  }
}
