/**
 * Continuous numbering per régie and year, without gaps: a number is taken when an invoice is issued (or a
 * payment or a credit note recorded), never at draft. One stream per régie, year and kind of document,
 * `numbering-<regieId>-<kind>-<year>`; a reservation is keyed (the run, the payment), so the same key twice
 * gets the same numbers back (an issue resumed after a crash takes no new numbers). Pure.
 */
import { type CommandMeta, STAFF_ROLES } from '../../../platform/domain/command-target';
import { commandTarget } from '../../../platform/domain/command-target';
import type { Decider, Decision } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import { type EventOf, eventTable } from '../../../platform/domain/event-table';

export const NUMBER_KINDS = ['invoice', 'payment', 'credit-note'] as const;
export type NumberKind = (typeof NUMBER_KINDS)[number];
export type NumberingKey = { regieId: string; kind: NumberKind; year: number };

export type NumbersReservedData = {
  regieId: string;
  kind: NumberKind;
  year: number;
  key: string;
  first: number;
  count: number;
  reservedAt: string;
};
type NumberingEventData = { NumbersReserved: NumbersReservedData };
export const numberingEvents = eventTable<NumberingEventData>({ NumbersReserved: { version: 1, personalData: [] } });
export type NumberingEvent = EventOf<NumberingEventData>;

export type ReserveNumbers = CommandMeta & {
  type: 'ReserveNumbers';
  regieId: string;
  kind: NumberKind;
  year: number;
  key: string;
  count: number;
};
export type NumberingState = { next: number; byKey: Record<string, { first: number; count: number }> };

/** The largest number of documents one reservation takes (a run of a big commune). */
export const MAX_RESERVATION = 100_000;

export const numberingDecider: Decider<
  ReserveNumbers,
  NumberingEvent,
  NumberingState,
  Decision<NumberingEvent, { first: number; count: number }>
> = {
  initialState: () => ({ next: 1, byKey: {} }),
  evolve: (state, event) => {
    state.byKey[event.data.key] = { first: event.data.first, count: event.data.count };
    state.next = Math.max(state.next, event.data.first + event.data.count);
    return state;
  },
  decide(command, state) {
    if (!STAFF_ROLES.includes(command.actor.role)) throw new DomainError('FORBIDDEN_ROLE', 'Réservé aux agents.', 'forbidden');
    const known = state.byKey[command.key];
    if (known) {
      if (known.count !== command.count) {
        throw new DomainError(
          'NUMBERS_ALREADY_RESERVED',
          'Des numéros ont déjà été pris pour ce lot avec un autre nombre de pièces.',
          'conflict',
        );
      }
      return { events: [], answer: known };
    }
    if (!Number.isInteger(command.count) || command.count < 1 || command.count > MAX_RESERVATION) {
      throw new DomainError('INVALID_COUNT', `De 1 à ${MAX_RESERVATION} numéros.`, 'invalid');
    }
    const data: NumbersReservedData = {
      regieId: command.regieId,
      kind: command.kind,
      year: command.year,
      key: command.key,
      first: state.next,
      count: command.count,
      reservedAt: command.at,
    };
    return { events: [{ type: 'NumbersReserved', data }], answer: { first: state.next, count: command.count } };
  },
};

export const numberingCommands = commandTarget({
  category: 'numbering',
  decider: numberingDecider,
  streamId: ({ regieId, kind, year }: NumberingKey) => `numbering-${regieId}-${kind}-${year}`,
  keyFields: ({ regieId, kind, year }: NumberingKey) => ({ regieId, kind, year }),
});

/** The printed number: `AL-36` for an invoice, `AL-R-228`… see `formatNumber`. */
export function formatNumber(prefix: string, kind: NumberKind, n: number): string {
  return kind === 'invoice' ? `${prefix}-${n}` : kind === 'payment' ? `${prefix}-R${n}` : `${prefix}-AV${n}`;
}
