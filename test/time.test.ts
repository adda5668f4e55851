import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, sleep, withDeadline } from '../lib/time.ts';

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
