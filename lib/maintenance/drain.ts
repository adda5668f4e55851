import type { OpenStack } from '../openstack/connect.ts';
import type { EventSink } from '../evacuation/events.ts';
import { moveInstances, type MoveOutcome } from '../evacuation/move-rounds.ts';
import { Requests, type MoveKind } from '../evacuation/requests.ts';
import type { Selection } from '../evacuation/selection.ts';
import { Verifier, type HostReading } from '../evacuation/verification.ts';
import { sleep } from '../time.ts';

// Moving a host's instances away by live migration, on the evacuation engine: a bounded number
// of requests in flight, each instance verified in Nova (ACTIVE or as it was, on another host),
// failures retried up to maxAttempts, every wait bounded by verifyMs. Only ACTIVE and PAUSED
// instances can move live; the others are reported, not touched.

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
  concurrency: number;
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
  const verifier = new Verifier(config, d, kind);
  const startedAt = Date.now();
  const reading = await verifier.readServers(o.host, startedAt);
  return moveInstances({
    c: { tag: 'evacuable', dryRun: false, pollMs: 2000 }, d, host: o.host, markedAt: startedAt, reading, verifier,
    requests: new Requests(o.concurrency, o.target ? [o.target] : [], o.events, stopped), kind,
    gate: async () => ({ open: true, proof: 'planned maintenance' }), stopping: stopped,
    sleep: (ms) => sleep(ms, o.signals.stopped), interrupted: o.signals.interrupted,
    select: (r) => selectAll(r, o.only),
  });
}

/** Every instance on the host (or the given ones); moving them is the operator's request. */
function selectAll(r: HostReading, only: ReadonlySet<string> | undefined): Selection {
  const selected = r.servers.filter((s) => !only || only.has(s.id));
  return { selected, skipped: [], rule: only ? 'the instances that left it for maintenance' : 'every instance on the host' };
}
