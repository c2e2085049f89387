import {
  effortRatePrice,
  fixedPrice,
  packagePrice,
  qfBandPrice,
  siblingReductionPercent,
  unitPrice,
  withSiblingReduction,
} from './tariff-modes';

// DOMAIN.md: canteen QF 0–599 → 1.00 €, 600–999 → 3.05 €, 1000–1499 → 3.10 €, ≥ 1500 → 3.15 €
const canteen = [
  { minQf: 0, cents: 100 },
  { minQf: 600, cents: 305 },
  { minQf: 1000, cents: 310 },
  { minQf: 1500, cents: 315 },
];

describe('tariff modes', () => {
  it('fixed price and package are their price', () => {
    expect(fixedPrice(250)).toBe(250);
    expect(packagePrice(4500)).toBe(4500);
  });

  it('QF bands: the band holding the QF, bounds included from below; no QF → the highest band', () => {
    expect(qfBandPrice(canteen, 0)).toBe(100);
    expect(qfBandPrice(canteen, 599)).toBe(100);
    expect(qfBandPrice(canteen, 600)).toBe(305);
    expect(qfBandPrice(canteen, 999)).toBe(305);
    expect(qfBandPrice(canteen, 1000)).toBe(310);
    expect(qfBandPrice(canteen, 1499)).toBe(310);
    expect(qfBandPrice(canteen, 1500)).toBe(315);
    expect(qfBandPrice(canteen, 99_999)).toBe(315);
    expect(qfBandPrice(canteen, null)).toBe(315);
    expect(qfBandPrice([...canteen].reverse(), 700)).toBe(305);
  });

  it('effort rate: 0.36 % of the QF clamped to 2.60 € … 4.50 €; no QF → the maximum', () => {
    expect(effortRatePrice(36, 260, 450, 800)).toBe(288);
    expect(effortRatePrice(36, 260, 450, 500)).toBe(260);
    expect(effortRatePrice(36, 260, 450, 2000)).toBe(450);
    expect(effortRatePrice(36, 260, 450, 1001)).toBe(360); // 360.36 rounds to 360
    expect(effortRatePrice(36, 260, 450, null)).toBe(450);
  });

  it('sibling rank: the reduction of the highest rank reached; a third child at 50 %', () => {
    const reductions = [
      { fromRank: 2, percent: 20 },
      { fromRank: 3, percent: 50 },
    ];
    expect(siblingReductionPercent(reductions, 1)).toBe(0);
    expect(siblingReductionPercent(reductions, 2)).toBe(20);
    expect(siblingReductionPercent(reductions, 3)).toBe(50);
    expect(siblingReductionPercent(reductions, 5)).toBe(50);
    expect(withSiblingReduction(305, reductions, 3)).toBe(153); // 152.5 rounds half up
    expect(withSiblingReduction(305, [], 3)).toBe(305);
  });

  it('unitPrice dispatches on the mode', () => {
    expect(unitPrice({ kind: 'fixed', unit: 'day', cents: 120 }, null)).toBe(120);
    expect(unitPrice({ kind: 'qf-bands', bands: canteen }, 650)).toBe(305);
    expect(unitPrice({ kind: 'effort-rate', rateBasisPoints: 36, minCents: 260, maxCents: 450 }, 800)).toBe(288);
    expect(unitPrice({ kind: 'package', cents: 4500, label: 'Forfait mensuel' }, 800)).toBe(4500);
  });
});
