import type { NovaServer } from '../openstack/nova.ts';
import type { Gate } from './host-gate.ts';
import type { InstanceStep } from './instance-plan.ts';
import type { MoveKind, Requests, Tracked } from './requests.ts';
import { selectEvacuable, type Selection } from './selection.ts';
import { type HostReading, type HostView, type Prefetched, SKEW_MS, type Verifier } from './verification.ts';
import { nextVerifyDelay, pauseAfterRound } from './verify-rounds.ts';
import type { WorkerConfig, WorkerDeps } from './worker-config.ts';

// One host round: select the instances, then verify → send → pause until none is open. The gate
// is checked again before every round that sends requests: proof that held a minute ago (the
// host unfenced since, the guard tripped) must hold now.

/** Verification rounds: the first soon after the requests, backing off to the old fixed pace. */
const VERIFY_MIN_MS = 100;

export interface MoveOutcome {
  complete: boolean;
  summary: string;
  /** The gate closed: nothing more was sent. */
  held?: Gate & { open: false };
}

export interface HostRound {
  c: Pick<WorkerConfig, 'tag' | 'dryRun' | 'pollMs'>;
  d: Pick<WorkerDeps, 'events'>;
  host: string;
  markedAt: number;
  reading: HostReading;
  verifier: Verifier;
  requests: Requests;
  kind: MoveKind;
  gate: () => Promise<Gate>;
  stopping: () => boolean;
  sleep: (ms: number) => Promise<void>;
  /** Which instances move: the evacuable ones by default (selection.ts). */
  select?: (reading: HostReading) => Selection;
  /** Interrupted by the operator: nothing new is sent; the moves under way are verified to their end. */
  interrupted?: () => boolean;
}

export async function moveInstances(r: HostRound): Promise<MoveOutcome> {
  const { c, d, host, reading } = r;
  const view: HostView = { failedSince: r.markedAt - SKEW_MS, retriesSince: Date.now(), settled: new Map(), seenElsewhere: new Map(), fastestRoundMs: Infinity };
  const selection = r.select?.(reading) ?? selectEvacuable({ host, servers: reading.servers, images: reading.images, flavors: reading.flavors, aggregates: reading.aggregates, tag: c.tag });
  d.events.emit({ event: 'host-selected', host, reason: `${selection.selected.length} of ${reading.servers.length} instance(s): ${selection.rule}`, selected: selection.selected.length });
  for (const { server, reason } of selection.skipped) d.events.emit({ event: 'instance-not-selected', host, instance: server.id, reason });
  const tracked = new Map<string, Tracked>(selection.selected.map((s) => [s.id, { attempts: 0, priority: priorityOf(s) }]));
  if (tracked.size === 0) return { complete: true, summary: `no instance to ${r.kind.verb}` };
  let first: Prefetched | undefined = { onHost: reading.servers, migrations: reading.migrations };
  let delay: number | undefined;
  for (;;) {
    const settledBefore = view.settled.size;
    const roundStarted = performance.now();
    const steps = await r.verifier.round(host, tracked, view, first);
    const roundMs = performance.now() - roundStarted;
    if (!first) view.fastestRoundMs = Math.min(view.fastestRoundMs, roundMs);
    first = undefined;
    const interrupted = r.interrupted?.() ?? false;
    const toMove = interrupted ? [] : [...steps].filter(([, s]) => s.kind === 'evacuate').map(([id]) => id)
      .sort((a, b) => (tracked.get(b)?.priority ?? 0) - (tracked.get(a)?.priority ?? 0));
    const open = [...steps.values()].filter((s) => (s.kind === 'evacuate' && !interrupted) || s.kind === 'wait').length;
    if (open === 0 || r.stopping()) return ended(steps, open + (interrupted ? countOf(steps, 'evacuate') : 0));
    if (c.dryRun) {
      for (const id of toMove) d.events.emit({ event: `instance-would-${r.kind.verb}`, host, instance: id, reason: steps.get(id)?.reason });
      return { complete: true, summary: `dry run: would ${r.kind.verb} ${toMove.length} instance(s)` };
    }
    if (toMove.length > 0) {
      const gate = await r.gate();
      if (!gate.open) return { complete: false, summary: `held before sending: ${gate.reason}`, held: gate };
    }
    await Promise.all(toMove.map((id) => r.requests.send(r.kind, host, id, tracked.get(id)!)));
    delay = nextVerifyDelay(delay, toMove.length > 0 || view.settled.size > settledBefore, VERIFY_MIN_MS, Math.min(2000, Math.max(VERIFY_MIN_MS, c.pollMs)));
    await r.sleep(pauseAfterRound(delay, roundMs, view.fastestRoundMs));
  }
}

function ended(steps: Map<string, InstanceStep>, open: number): MoveOutcome {
  const failed = [...steps].filter(([, s]) => s.kind === 'failed');
  const counts = countKinds(steps);
  return { complete: failed.length === 0 && open === 0, summary: failed.length ? `${counts}; failed: ${failed.map(([id, s]) => `${id} (${s.reason})`).join(', ')}` : counts };
}

/** Server metadata `evacuation_priority`, else the flavor's extra spec: higher goes first. */
function priorityOf(s: NovaServer): number {
  const raw = s.metadata.evacuation_priority ?? s.flavorExtraSpecs?.evacuation_priority;
  const n = Number(raw);
  return Number.isFinite(n) ? n : 0;
}

function countOf(steps: Map<string, InstanceStep>, kind: InstanceStep['kind']): number {
  return [...steps.values()].filter((s) => s.kind === kind).length;
}

function countKinds(steps: Map<string, InstanceStep>): string {
  const counts = new Map<string, number>();
  for (const s of steps.values()) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}
