/**
 * The planning grid's cells as billing sees them (pure): the legend reduced to what a day costs.
 */
import type { GridCell } from '../../../../projections/planning-grid/planning-grid.types';
import type { DayKind } from '../../planning';
import type { PeriodKind } from '../billing.types';
import type { DayState } from '../tariffs/billable-lines';

/** What billing reads in a cell of the planning grid. */
export function dayStateOf(cell: GridCell): DayState {
  const booked = cell.reservation === 'booked';
  if (cell.attendance?.status === 'present') return booked ? 'present' : 'out-of-contract';
  switch (cell.status) {
    case 'absent-billed':
      return 'absent-billed';
    case 'absent-excused':
      return 'absent-excused';
    case 'absence-pending':
    case 'absence-to-verify':
      return 'pending';
    case 'booked':
      return 'booked';
    case 'requested':
    case 'awaiting-staff':
      return 'pending';
    case 'waiting':
    case 'offered':
    case 'refused':
    case 'released':
      return 'refused';
    case 'cancelled':
      return 'cancelled';
    case 'closed':
      return 'closed';
  }
}

/** The tariff period of a day kind; null for a day no activity runs (weekend, public holiday). */
export function periodKindOf(kind: DayKind): PeriodKind | null {
  switch (kind) {
    case 'school-day':
      return 'school-days';
    case 'wednesday':
      return 'wednesdays';
    case 'petites-vacances':
    case 'grandes-vacances':
      return 'holidays';
    default:
      return null;
  }
}
