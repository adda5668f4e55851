// Bounded waiting: nothing here can wait forever.

/** Node's timers hold at most 2^31-1 ms (24.8 days); a longer one fires at once, with a warning. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
const timerMs = (ms: number) => Math.min(Math.max(0, ms), MAX_TIMER_MS);

/** Resolves after ms, or at once when `signal` aborts (a stopping worker ends every wait). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, timerMs(ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}

export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/** Runs fn; rejects with `message` if it has not settled after ms. */
export async function withDeadline<T>(ms: number, message: string, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new DeadlineError(message)), timerMs(ms)); });
  try {
    return await Promise.race([fn(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls read() until done(value), every intervalMs; the caller's deadline bounds it. */
export async function pollUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, intervalMs: number): Promise<T> {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    await sleep(Math.max(100, intervalMs));
  }
}

/** A sleep that ends early when poked (a hint that there is work); a poke while awake is kept for the next sleep. */
export class Alarm {
  #wake: (() => void) | undefined;
  #poked = false;

  poke(): void {
    if (this.#wake) this.#wake();
    else this.#poked = true;
  }

  sleep(ms: number): Promise<void> {
    if (this.#poked) { this.#poked = false; return Promise.resolve(); }
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.#wake = undefined; resolve(); };
      const timer = setTimeout(done, timerMs(ms));
      this.#wake = done;
    });
  }
}
