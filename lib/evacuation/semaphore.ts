/** At most `limit` tasks at once; the rest queue in order. */
export class Semaphore {
  private readonly limit: number;
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(limit: number) {
    this.limit = Math.max(1, limit);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }

  get inFlight(): number {
    return this.running;
  }
}
