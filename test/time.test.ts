import { describe, expect, it } from 'vitest';
import { Alarm, MAX_TIMER_MS, sleep, withDeadline } from '../lib/time.ts';

// A bound computed from large parameters (unfence_wait + power_timeout × retries) may exceed
// what a Node timer holds; it must mean "a long time", not "at once".
describe('bounded waiting beyond a Node timer', () => {
  it('a deadline longer than 2^31-1 ms does not fire at once', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      await expect(withDeadline(MAX_TIMER_MS * 500, 'too soon', () => sleep(50).then(() => 'done'))).resolves.toBe('done');
      const early = await Promise.race([sleep(MAX_TIMER_MS + 1).then(() => 'fired'), sleep(50).then(() => 'waiting')]);
      expect(early).toBe('waiting');
      await sleep(10);
      expect(warnings).not.toContain('TimeoutOverflowWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('Alarm: a sleep a hint can cut short', () => {
  it('a poke ends the sleep at once; unpoked, it lasts its time', async () => {
    const alarm = new Alarm();
    let t = Date.now();
    const slept = alarm.sleep(10_000);
    setTimeout(() => alarm.poke(), 50);
    await slept;
    expect(Date.now() - t).toBeLessThan(1000);
    t = Date.now();
    await alarm.sleep(150);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
  });
  it('a poke while awake is kept for the next sleep, once', async () => {
    const alarm = new Alarm();
    alarm.poke();
    alarm.poke();
    const t = Date.now();
    await alarm.sleep(10_000);
    expect(Date.now() - t).toBeLessThan(100);
    const second = await Promise.race([alarm.sleep(300).then(() => 'slept'), sleep(100).then(() => 'still asleep')]);
    expect(second).toBe('still asleep');
  });
});
