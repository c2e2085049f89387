import { type EventOf, eventTable } from '../../../platform/domain/event-table';
import type { Regie, Tariff } from '../billing.types';

/** One stream per régie: its settings and its tariffs, `regie-<regieId>`. */
export function regieStream(regieId: string): string {
  return `regie-${regieId}`;
}

export type RegieDefinedData = { regie: Regie; definedAt: string; definedBy: string };
export type RegieChangedData = { regie: Regie; changedAt: string; changedBy: string };
export type TariffDefinedData = { regieId: string; tariff: Tariff; definedAt: string; definedBy: string };
/** A tariff stops applying after `validTo` (a tariff is never edited: a new one follows it). */
export type TariffEndedData = { regieId: string; tariffId: string; validTo: string; endedAt: string; endedBy: string };

type RegieEventData = {
  RegieDefined: RegieDefinedData;
  RegieChanged: RegieChangedData;
  TariffDefined: TariffDefinedData;
  TariffEnded: TariffEndedData;
};

/** Settings of the commune: no personal data (staff user ids stay in clear, as in the catalogue). */
export const regieEvents = eventTable<RegieEventData>({
  RegieDefined: { version: 1, personalData: [] },
  RegieChanged: { version: 1, personalData: [] },
  TariffDefined: { version: 1, personalData: [] },
  TariffEnded: { version: 1, personalData: [] },
});

export type RegieEvent = EventOf<RegieEventData>;
