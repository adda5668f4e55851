import { describe, expect, it } from 'vitest';
import { InFlightLimit } from '../../lib/evacuation/in-flight-limit.ts';

// The in-flight limit decides from answer times alone: fed by hand here.

/** n requests answered in ms each, all sent at `at` (one window). */
const answerAll = (l: InFlightLimit, n: number, ms: number, at: number) => {
  for (let i = 0; i < n; i++) l.ended(at, at + ms, 'accepted');
};

describe('InFlightLimit', () => {
  it('starts at 4 and doubles per window while Nova answers at an even pace, up to the maximum', () => {
    const l = new InFlightLimit(32);
    expect(l.value).toBe(4);
    answerAll(l, 4, 50, 0);
    expect(l.value).toBe(8);
    answerAll(l, 8, 52, 100);
    expect(l.value).toBe(16);
    answerAll(l, 16, 55, 200);
    answerAll(l, 16, 55, 300);
    expect(l.value).toBe(32);
    answerAll(l, 64, 50, 400);
    expect(l.value).toBe(32);
  });
  it('a slow answer halves it once for the requests sent before the cut, then it grows by one per window', () => {
    const l = new InFlightLimit(32);
    answerAll(l, 12, 500, 0); // 4 → 16
    expect(l.value).toBe(16);
    l.ended(1000, 3000, 'accepted'); // 2 s against 0.5 s: overloaded
    expect(l.value).toBe(8);
    l.ended(1000, 3100, 'accepted'); // sent before the cut: already counted
    l.ended(1001, 3200, 'accepted');
    expect(l.value).toBe(8);
    answerAll(l, 8, 500, 4000); // one full window of fast answers: +1
    expect(l.value).toBe(9);
    l.ended(5000, 8000, 'accepted'); // sent after the cut, slow: cut again
    expect(l.value).toBe(4);
  });
  it('no answer or a 5xx halves it; a 4xx says nothing about load', () => {
    const l = new InFlightLimit(32);
    answerAll(l, 4, 100, 0);
    expect(l.value).toBe(8);
    l.ended(200, 250, 'refused');
    expect(l.value).toBe(8);
    l.ended(200, 10_200, 'overloaded');
    expect(l.value).toBe(4);
    for (let i = 0; i < 5; i++) l.ended(20_000 + i * 20_000, 30_000 + i * 20_000, 'overloaded');
    expect(l.value).toBe(1);
  });
  it('a quick refusal does not become the pace every answer is held to', () => {
    const l = new InFlightLimit(32);
    l.ended(0, 5, 'refused');
    answerAll(l, 4, 400, 10);
    expect(l.value).toBe(8);
  });
  it('never above the configured concurrency, never below 1', () => {
    expect(new InFlightLimit(2).value).toBe(2);
    expect(new InFlightLimit(0).value).toBe(1);
    const one = new InFlightLimit(1);
    answerAll(one, 10, 50, 0);
    expect(one.value).toBe(1);
  });
});
