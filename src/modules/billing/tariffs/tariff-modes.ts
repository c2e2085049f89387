/**
 * Each tariff mode is a pure function: what one day (or unit) costs for a family's QF, and the sibling
 * reduction. No framework, no I/O, no clock.
 */
import type { Cents, QfBand, SiblingReduction, TariffMode } from '../billing.types';

/** A fixed price per day or per unit. */
export function fixedPrice(cents: Cents): Cents {
  return cents;
}

/**
 * The price of the band holding `qf` (bands sorted by `minQf`, the first from 0). No QF known (null): the
 * highest band, as the commune cannot apply a reduction it cannot justify.
 */
export function qfBandPrice(bands: readonly QfBand[], qf: number | null): Cents {
  if (bands.length === 0) throw new Error('qfBandPrice: no band');
  const sorted = [...bands].sort((a, b) => a.minQf - b.minQf);
  if (qf === null) return sorted[sorted.length - 1].cents;
  let price = sorted[0].cents;
  for (const band of sorted) if (qf >= band.minQf) price = band.cents;
  return price;
}

/** QF × rate (hundredths of a percent: 0.36 % → 36), rounded to the cent, clamped to [min, max]; no QF → max. */
export function effortRatePrice(rateBasisPoints: number, minCents: Cents, maxCents: Cents, qf: number | null): Cents {
  if (qf === null) return maxCents;
  // QF (euros) × rate% = euros; × 100 = cents: qf × (bp / 100) / 100 × 100 = qf × bp / 100
  const cents = Math.round((qf * rateBasisPoints) / 100);
  return Math.min(maxCents, Math.max(minCents, cents));
}

/** The price of a package (forfait) for the month. */
export function packagePrice(cents: Cents): Cents {
  return cents;
}

/** The reduction for the child of rank `rank` (1 = eldest billed): the one with the highest `fromRank` ≤ rank. */
export function siblingReductionPercent(reductions: readonly SiblingReduction[], rank: number): number {
  let percent = 0;
  let best = 0;
  for (const r of reductions) {
    if (r.fromRank <= rank && r.fromRank > best) {
      best = r.fromRank;
      percent = r.percent;
    }
  }
  return percent;
}

/** A price with the sibling reduction of `rank` applied, rounded to the cent. */
export function withSiblingReduction(cents: Cents, reductions: readonly SiblingReduction[], rank: number): Cents {
  const percent = siblingReductionPercent(reductions, rank);
  return Math.round((cents * (100 - percent)) / 100);
}

/** The unit price of a mode for a QF (a package's price is its month's price). */
export function unitPrice(mode: TariffMode, qf: number | null): Cents {
  switch (mode.kind) {
    case 'fixed':
      return fixedPrice(mode.cents);
    case 'qf-bands':
      return qfBandPrice(mode.bands, qf);
    case 'effort-rate':
      return effortRatePrice(mode.rateBasisPoints, mode.minCents, mode.maxCents, qf);
    case 'package':
      return packagePrice(mode.cents);
  }
}

/** Whether the mode's price depends on the QF (the invoice then shows the QF used). */
export function usesQf(mode: TariffMode): boolean {
  return mode.kind === 'qf-bands' || mode.kind === 'effort-rate';
}
