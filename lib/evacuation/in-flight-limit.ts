// How many evacuate requests the worker keeps in flight, between 1 and the `concurrency`
// parameter. A Nova that is overloaded answers more slowly, and more requests then only add
// contention: on a small cloud, 50 evacuations sent one at a time were all ACTIVE sooner than
// 50 sent at once (docs/bench-real-nova.md). So the limit follows Nova's answer time, the way
// TCP Vegas follows round trips: it starts small and doubles while answers come about as fast
// as the fastest seen (slow start), then grows by one per window of fast answers; an answer
// much slower than the fastest, or one that never came, halves it (once per window: the answers
// to requests sent before a cut say nothing new). Pure: the worker reports, this decides.

/** Where the limit starts (at most max). */
const START = 4;
/** An answer is slow beyond TOLERANCE × the fastest + SLACK_MS. */
const TOLERANCE = 2;
const SLACK_MS = 100;

export class InFlightLimit {
  readonly max: number;
  #value: number;
  #fastestMs = Infinity;
  #slowStart = true;
  #fastInWindow = 0;
  #lastCutAt = -Infinity;

  constructor(max: number) {
    this.max = Math.max(1, Math.floor(max));
    this.#value = Math.min(this.max, START);
  }

  get value(): number {
    return this.#value;
  }

  /**
   * One request ended, sentAt/endedAt in ms on one clock. accepted: Nova took it (its answer
   * time counts); refused: a 4xx, quick and saying nothing about load (ignored); overloaded: a
   * 5xx or no answer at all (timeout, reset), Nova may be drowning.
   */
  ended(sentAt: number, endedAt: number, outcome: 'accepted' | 'refused' | 'overloaded'): void {
    if (outcome === 'refused') return;
    const ms = endedAt - sentAt;
    if (outcome === 'accepted') this.#fastestMs = Math.min(this.#fastestMs, ms);
    const slow = outcome === 'overloaded' || ms > TOLERANCE * this.#fastestMs + SLACK_MS;
    if (slow) {
      if (sentAt <= this.#lastCutAt) return;
      this.#value = Math.max(1, Math.floor(this.#value / 2));
      this.#slowStart = false;
      this.#fastInWindow = 0;
      this.#lastCutAt = endedAt;
      return;
    }
    if (this.#slowStart) {
      this.#value = Math.min(this.max, this.#value + 1);
      return;
    }
    if (++this.#fastInWindow >= this.#value) {
      this.#fastInWindow = 0;
      this.#value = Math.min(this.max, this.#value + 1);
    }
  }
}
