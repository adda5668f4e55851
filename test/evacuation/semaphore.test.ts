import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../lib/evacuation/semaphore.ts';
import { sleep } from '../../lib/time.ts';

describe('Semaphore', () => {
  it('holds tasks to the limit read at each admission, and admit() starts queued ones when it grows', async () => {
    let limit = 2;
    const pool = new Semaphore(() => limit);
    let peak = 0;
    const gates: (() => void)[] = [];
    const task = () => pool.run(async () => {
      peak = Math.max(peak, pool.inFlight);
      await new Promise<void>((r) => gates.push(r));
    });
    const all = Promise.all(Array.from({ length: 6 }, task));
    await sleep(10);
    expect(pool.inFlight).toBe(2);
    limit = 4;
    pool.admit();
    await sleep(10);
    expect(pool.inFlight).toBe(4);
    limit = 1;
    while (gates.length) { gates.shift()!(); await sleep(5); }
    await all;
    expect(peak).toBe(4);
    expect(pool.inFlight).toBe(0);
  });
  it('a fixed limit below 1 means 1', async () => {
    const pool = new Semaphore(0);
    let peak = 0;
    await Promise.all(Array.from({ length: 3 }, () => pool.run(async () => { peak = Math.max(peak, pool.inFlight); await sleep(5); })));
    expect(peak).toBe(1);
  });
});
