import { HttpError } from '../http.ts';
import type { EventSink } from './events.ts';
import { InFlightLimit } from './in-flight-limit.ts';
import { Semaphore } from './semaphore.ts';

// Requests that move instances (evacuate; live-migrate is the next kind), all hosts together:
// a bounded number in flight, the bound following Nova's answer time (in-flight-limit.ts), a
// target from reserved_hosts in turn. An unanswered request is "uncertain": Nova may still take it.

/** What the worker remembers of one instance it moves. */
export interface Tracked {
  attempts: number;
  lastAttemptAt?: number;
  uncertain?: boolean;
  priority: number;
  lastStep?: string;
  /** Since when its step has been 'wait' (its wait is bounded). */
  waitingSince?: number;
}

/** One kind of move: its name in events (instance-<verb>-accepted/-error), the migrations it leaves in Nova, what Nova moves that way, its request. */
export interface MoveKind {
  verb: string;
  migrationType: 'evacuation' | 'live-migration';
  movable: ReadonlySet<string>;
  /** Sends the request; resolves with fields for the accepted event. */
  send(id: string, target: string | undefined): Promise<Record<string, unknown>>;
}

export class Requests {
  private readonly limit: InFlightLimit;
  private readonly pool: Semaphore;
  private reservedNext = 0;
  private readonly reservedHosts: readonly string[];
  private readonly events: EventSink;
  private readonly stopping: () => boolean;

  constructor(concurrency: number, reservedHosts: readonly string[], events: EventSink, stopping: () => boolean) {
    this.limit = new InFlightLimit(concurrency);
    this.pool = new Semaphore(() => this.limit.value);
    this.reservedHosts = reservedHosts;
    this.events = events;
    this.stopping = stopping;
  }

  /** Sends one request when a slot is free; nothing new once the worker is stopping. */
  send(kind: MoveKind, host: string, id: string, t: Tracked): Promise<void> {
    return this.pool.run(async () => {
      if (this.stopping()) return;
      t.attempts++;
      t.lastAttemptAt = Date.now();
      const target = this.nextTarget();
      const sentAt = performance.now();
      try {
        const extra = await kind.send(id, target);
        this.answered(sentAt, 'accepted');
        t.uncertain = false;
        this.events.emit({ event: `instance-${kind.verb}-accepted`, host, instance: id, attempt: t.attempts, ...extra, ...(target ? { target } : {}) });
      } catch (e) {
        // No HTTP status: we do not know whether Nova took it. Nova will show it within the grace time.
        t.uncertain = !(e instanceof HttpError && e.status !== undefined);
        this.answered(sentAt, t.uncertain || (e instanceof HttpError && (e.status ?? 0) >= 500) ? 'overloaded' : 'refused');
        this.events.emit({ event: `instance-${kind.verb}-error`, host, instance: id, attempt: t.attempts, uncertain: t.uncertain, reason: (e as Error).message });
      } finally {
        t.lastAttemptAt = Date.now();
      }
    });
  }

  /** Nova's answer time sets how many requests stay in flight; a wider limit starts queued ones. */
  private answered(sentAt: number, outcome: 'accepted' | 'refused' | 'overloaded'): void {
    this.limit.ended(sentAt, performance.now(), outcome);
    this.pool.admit();
  }

  private nextTarget(): string | undefined {
    if (this.reservedHosts.length === 0) return undefined;
    return this.reservedHosts[this.reservedNext++ % this.reservedHosts.length];
  }
}
