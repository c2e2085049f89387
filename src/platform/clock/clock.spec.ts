import { nowIso, SettableClock, StartedClock, SystemClock } from './clock';

describe('Clock', () => {
  it('SystemClock reads the machine clock', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now - before).toBeLessThan(1000);
  });

  it('SettableClock stands still until set or advanced', () => {
    const clock = new SettableClock('2027-03-01T07:59:00+01:00');
    expect(nowIso(clock)).toBe('2027-03-01T06:59:00.000Z');
    expect(nowIso(clock)).toBe('2027-03-01T06:59:00.000Z');
    clock.advance(60_000);
    expect(nowIso(clock)).toBe('2027-03-01T07:00:00.000Z');
    clock.set('2027-03-02T00:00:00Z');
    expect(nowIso(clock)).toBe('2027-03-02T00:00:00.000Z');
    expect(() => clock.set('not a date')).toThrow(/invalid instant/);
  });

  it('StartedClock starts at the given instant and runs at real speed', async () => {
    const clock = new StartedClock('2027-03-01T07:59:00+01:00');
    const first = clock.now().getTime();
    expect(first - Date.parse('2027-03-01T06:59:00Z')).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const elapsed = clock.now().getTime() - first;
    expect(elapsed).toBeGreaterThanOrEqual(25);
    expect(elapsed).toBeLessThan(1000);
    expect(() => new StartedClock('soon')).toThrow(/invalid start/);
  });
});
