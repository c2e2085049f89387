import { Reconcilers } from './reconcilers';

describe('Reconcilers', () => {
  const logs = () => {
    const lines: string[] = [];
    return { lines, log: { log: (m: string) => lines.push(`log ${m}`), warn: (m: string) => lines.push(`warn ${m}`) } };
  };

  it('runs every reconciler once the read models caught up, and one failure does not stop the next', async () => {
    const order: string[] = [];
    const reconcilers = new Reconcilers();
    reconcilers.add({
      name: 'a',
      run: async () => {
        order.push('a');
        throw new Error('boom');
      },
    });
    reconcilers.add({ name: 'b', run: async () => (order.push('b'), 3) });
    const { lines, log } = logs();
    await reconcilers.runAll(async () => void order.push('caught up'), log);
    expect(order).toEqual(['caught up', 'a', 'b']);
    expect(lines).toEqual(['warn reconciliation a failed: boom', 'log reconciled b: 3 item(s)']);
  });

  it('skips them (until the next start) when the read models do not catch up, and stops when aborted', async () => {
    const reconcilers = new Reconcilers();
    const run = jest.fn(async () => 0);
    reconcilers.add({ name: 'a', run });
    const { lines, log } = logs();
    await reconcilers.runAll(() => Promise.reject(new Error('timeout')), log);
    expect(run).not.toHaveBeenCalled();
    expect(lines).toEqual(['warn reconciliation skipped until the next start: read models not caught up (timeout)']);

    const abort = new AbortController();
    abort.abort();
    await reconcilers.runAll(async () => undefined, log, abort.signal);
    expect(run).not.toHaveBeenCalled();
  });
});
