// Bounded waiting: nothing here can wait forever.

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/** Runs fn; rejects with `message` if it has not settled after ms. */
export async function withDeadline<T>(ms: number, message: string, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new DeadlineError(message)), ms); });
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
