/** At most `limit` tasks at once (a number, or read at every admission); the rest queue in order. */
export class Semaphore {
  private readonly limit: () => number;
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(limit: number | (() => number)) {
    this.limit = typeof limit === 'number' ? () => Math.max(1, limit) : () => Math.max(1, limit());
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A queued task is handed its slot already counted (see admit), so none is given twice.
    if (this.running >= this.limit()) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.admit();
    }
  }

  /** Starts queued tasks while the limit allows: after a task ends, or when the limit grew. */
  admit(): void {
    while (this.queue.length > 0 && this.running < this.limit()) {
      this.running++;
      this.queue.shift()!();
    }
  }

  get inFlight(): number {
    return this.running;
  }
}
