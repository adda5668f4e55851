import type { OpenStack } from '../openstack/connect.ts';
import type { EventSink } from '../evacuation/events.ts';
import { moveInstances, type MoveOutcome } from '../evacuation/move-rounds.ts';
import { Requests, type MoveKind } from '../evacuation/requests.ts';
import type { InstanceStep } from '../evacuation/instance-plan.ts';
import type { Tracked } from '../evacuation/requests.ts';
import type { Selection } from '../evacuation/selection.ts';
import { Verifier, type HostReading, type HostView, type Prefetched } from '../evacuation/verification.ts';
import { sleep } from '../time.ts';

// Moving a host's instances away by live migration, on the evacuation engine: a bounded number
// of live migrations under way (a window: a new one is requested only when one under way is
// verified, so an interrupt leaves at most that many behind), each instance verified in Nova
// (ACTIVE or as it was, on another host), failures retried up to maxAttempts, every wait bounded
// by verifyMs. Only ACTIVE and PAUSED instances can move live; the others are reported, not touched.

export const LIVE_MOVABLE: ReadonlySet<string> = new Set(['ACTIVE', 'PAUSED']);

export interface DrainOptions {
  os: OpenStack;
  events: EventSink;
  /** The host to empty, and the instances to move (all on it when undefined). */
  host: string;
  only?: ReadonlySet<string>;
  /** Where to: the scheduler decides when undefined. */
  target?: string;
  blockMigration: boolean | 'auto';
  /** Live migrations under way at most (requested and not yet verified), and requests in flight at most. */
  concurrency: number;
  /** Shared by drains that run at once (instances back from several hosts): the bound is theirs together. */
  window?: MigrationWindow;
  verifyMs: number;
  maxAttempts: number;
  requestTimeoutMs: number;
  /** First interrupt: nothing new is sent; stop: end now. */
  signals: { interrupted: () => boolean; stopped: AbortSignal };
}

export function liveMigration(os: OpenStack, blockMigration: boolean | 'auto'): MoveKind {
  return {
    verb: 'live-migrate', migrationType: 'live-migration', movable: LIVE_MOVABLE,
    send: async (id, host) => ({ microversion: (await os.nova.liveMigrate(id, { host, blockMigration })).toString() }),
  };
}

export async function drainHost(o: DrainOptions): Promise<MoveOutcome> {
  const kind = liveMigration(o.os, o.blockMigration);
  const stopped = () => o.signals.stopped.aborted;
  const d = { os: o.os, events: o.events };
  const config = { graceMs: o.requestTimeoutMs + 5000, verifyMs: o.verifyMs, maxAttempts: o.maxAttempts };
  const window = o.window ?? new MigrationWindow(o.concurrency);
  const verifier = new WindowedVerifier(config, d, kind, window, o.host, o.signals.interrupted);
  const startedAt = Date.now();
  const reading = await verifier.readServers(o.host, startedAt);
  return moveInstances({
    c: { tag: 'evacuable', dryRun: false, pollMs: 2000 }, d, host: o.host, markedAt: startedAt, reading, verifier,
    requests: new Requests(o.concurrency, o.target ? [o.target] : [], o.events, stopped), kind,
    gate: async () => ({ open: true, proof: 'planned maintenance' }), stopping: stopped,
    sleep: (ms) => sleep(ms, o.signals.stopped), interrupted: o.signals.interrupted,
    select: (r) => selectAll(r, o.only),
  }).finally(() => window.release(o.host));
}

/**
 * How many live migrations may be under way, across the drains sharing it. The engine bounds the
 * requests in flight, and Nova answers a live migration's POST at once (202) and queues the
 * migration: alone, every instance of the host would be requested in the first round.
 */
export class MigrationWindow {
  readonly size: number;
  private readonly underWay = new Map<string, number>();

  constructor(size: number) {
    this.size = Math.max(1, Math.floor(size));
  }

  /** A drain with `own` migrations under way wants `wanted` more: how many may start now. */
  admit(drain: string, own: number, wanted: number): number {
    let others = 0;
    for (const [k, n] of this.underWay) if (k !== drain) others += n;
    const n = Math.max(0, Math.min(wanted, this.size - others - own));
    this.underWay.set(drain, own + n);
    return n;
  }

  release(drain: string): void {
    this.underWay.delete(drain);
  }
}

/** The engine's verification, then the window: instances beyond it wait for a free place (highest priority first). */
class WindowedVerifier extends Verifier {
  private readonly window: MigrationWindow;
  private readonly drain: string;
  private readonly interrupted: () => boolean;

  constructor(c: ConstructorParameters<typeof Verifier>[0], d: ConstructorParameters<typeof Verifier>[1], kind: MoveKind,
    window: MigrationWindow, drain: string, interrupted: () => boolean) {
    super(c, d, kind);
    this.window = window;
    this.drain = drain;
    this.interrupted = interrupted;
  }

  override async round(host: string, tracked: Map<string, Tracked>, view: HostView, prefetched?: Prefetched): Promise<Map<string, InstanceStep>> {
    const steps = await super.round(host, tracked, view, prefetched);
    // interrupted: the engine sends nothing new anyway, and a queued one must not look open
    if (this.interrupted()) return steps;
    const own = [...steps].filter(([id, s]) => s.kind === 'wait' && (tracked.get(id)?.attempts ?? 0) > 0).length;
    const ready = [...steps].filter(([, s]) => s.kind === 'evacuate').map(([id]) => id)
      .sort((a, b) => (tracked.get(b)?.priority ?? 0) - (tracked.get(a)?.priority ?? 0));
    const admitted = this.window.admit(this.drain, own, ready.length);
    for (const id of ready.slice(admitted)) steps.set(id, { kind: 'wait', reason: `queued behind ${this.window.size} live migration(s) under way` });
    return steps;
  }
}

/** Every instance on the host (or the given ones); moving them is the operator's request. */
function selectAll(r: HostReading, only: ReadonlySet<string> | undefined): Selection {
  const selected = r.servers.filter((s) => !only || only.has(s.id));
  return { selected, skipped: [], rule: only ? 'the instances that left it for maintenance' : 'every instance on the host' };
}
