import { sleep } from './time.ts';

// Retrying a call that failed for a passing reason (a busy API's 503, a reset connection) costs
// one call; failing its caller costs everything the caller had read so far (a host's whole
// read: every Glance page, flavors, aggregates), read again at the next poll. Bounded: one
// retry per delay, and every wait ends.

/**
 * The waits before retries 1..n: firstMs, 2·firstMs, 4·firstMs…, each with "equal jitter" (half
 * fixed, half random, never above the nominal wait) so that many callers failing together do not
 * come back together.
 */
export function expBackoff(retries: number, firstMs = 500, random: () => number = Math.random): number[] {
  return Array.from({ length: retries }, (_, n) => {
    const nominal = firstMs * 2 ** n;
    return Math.round(nominal / 2 + (random() * nominal) / 2);
  });
}

export interface RetryOptions {
  /** One wait per retry (see expBackoff); an empty list means a single try. */
  delays: readonly number[];
  /** Whether this failure is worth another try. */
  retryable: (e: unknown) => boolean;
  /** Told before each wait (e.g. one debug line); `retry` counts from 1. */
  onRetry?: (e: unknown, retry: number, delayMs: number) => void;
}

/** Calls fn until it succeeds, fails for good, or the delays run out; the last error is thrown. */
export async function retry<T>(fn: () => Promise<T>, o: RetryOptions): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await fn();
    } catch (e) {
      const delay = o.delays[n];
      if (delay === undefined || !o.retryable(e)) throw e;
      o.onRetry?.(e, n + 1, delay);
      await sleep(delay);
    }
  }
}
