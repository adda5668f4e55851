// Every timer the simulator starts goes through here, so stop() can cancel all of them.
export class Timers {
  #handles = new Set<NodeJS.Timeout>();

  after(ms: number, fn: () => void): NodeJS.Timeout {
    const h = setTimeout(() => {
      this.#handles.delete(h);
      fn();
    }, Math.max(0, ms));
    this.#handles.add(h);
    return h;
  }

  cancel(h: NodeJS.Timeout): void {
    clearTimeout(h);
    this.#handles.delete(h);
  }

  /** Resolves after ms; never resolves if the timers are cleared first (the socket is gone then). */
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => this.after(ms, resolve));
  }

  clearAll(): void {
    for (const h of this.#handles) clearTimeout(h);
    this.#handles.clear();
  }

  get pending(): number {
    return this.#handles.size;
  }
}
