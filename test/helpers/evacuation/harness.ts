import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { Logger } from '../../../lib/log.ts';
import { connectOpenStack } from '../../../lib/openstack/connect.ts';
import { Attrd } from '../../../lib/pacemaker/attrd.ts';
import { Ledger } from '../../../lib/pacemaker/ledger.ts';
import { EventLog, type EvacuationEvent } from '../../../lib/evacuation/events.ts';
import { bothSinks, type EvacuationMetrics } from '../../../lib/evacuation/metrics.ts';
import { EvacuationWorker, type WorkerConfig } from '../../../lib/evacuation/worker.ts';
import type { FenceEvent } from '../../../lib/pacemaker/fencing.ts';
import { startSimulator, type CallRecord, type Simulator, type SimulatorOptions } from '../../simulator/index.ts';

// An evacuation worker in this process against the simulator and the real attrd / CIB of the
// test cluster. Host names are unique per test, so tests never see each other's marks.

export const attrd = new Attrd();
export const ledger = new Ledger();

export interface Bench {
  sim: Simulator;
  /** The current worker (restartWorker replaces it). */
  worker: EvacuationWorker;
  running: Promise<void>;
  eventsFile: string;
  events(): (EvacuationEvent & { time: string })[];
  /** The worker's log lines (debug file, every level). */
  logLines(): string[];
  /** A new worker process in all but name: the old one stops, a new one starts with the same settings. */
  restartWorker(): Promise<void>;
  /** Marks a host the way fence_compute off does (Nova forced down + disabled, ledger, attrd). */
  fail(host: string, opts?: { forceDown?: boolean }): Promise<void>;
  waitDone(host: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
  hosts: string[];
}

export const uniqueHost = (prefix = 'ev') => `${prefix}-${randomBytes(3).toString('hex')}`;

export interface BenchOptions {
  computes?: number;
  sim?: SimulatorOptions;
  /** Worker settings; a function gets the generated host names (e.g. for reservedHosts). */
  config?: Partial<WorkerConfig> | ((hosts: string[]) => Partial<WorkerConfig>);
  fencing?: (node: string) => Promise<FenceEvent[]>;
  online?: () => Promise<Set<string>>;
  watchMarks?: (onChange: () => void) => () => void;
  /** Runs before the worker starts (e.g. a cloud as a full cluster restart leaves it). */
  prepare?: (sim: Simulator, hosts: string[]) => void | Promise<void>;
  /** The worker's attrd (e.g. one running a failing attrd_updater); cleanup uses the real one. */
  attrd?: Attrd;
  /** The worker's ledger (e.g. one with a pause of its own: other tests' workers are not paused). */
  ledger?: Ledger;
  /**
   * The worker sees the marks and ledger entries of this bench's hosts only: for figures over
   * every host (metrics), which other test files' hosts in the shared cluster would change.
   */
  ownHostsOnly?: boolean;
  /** Fed the worker's events, flushed each poll. */
  metrics?: EvacuationMetrics;
}

export async function startBench(opts: BenchOptions = {}): Promise<Bench> {
  const sim = await startSimulator({ rebuildMs: 50, ...opts.sim });
  const hosts = Array.from({ length: opts.computes ?? 4 }, () => uniqueHost());
  for (const h of hosts) sim.model.addCompute(h);
  const dir = mkdtempSync(join(tmpdir(), 'ihaa-ev-'));
  const eventsFile = join(dir, 'events.jsonl');
  const debugFile = join(dir, 'debug.log');
  const log = new Logger({ tag: 'test-worker', stderr: false, syslog: false, debugFile });
  const values = { auth_url: sim.authUrl, username: 'admin', password: 'admin-pw', tenant_name: 'admin', endpoint_type: 'publicURL', request_timeout: 5 };
  const os = await connectOpenStack(values, new Set(Object.keys(values)), {}, log);
  const config: WorkerConfig = {
    node: 'test-controller', tag: 'evacuable', concurrency: 32, reservedHosts: [], maxMicroversion: '2.94', noSharedStorage: false,
    threshold: 100, verifyMs: 20_000, maxAttempts: 3, requireFencing: false, pollMs: 200, evacuateDelayMs: 0, graceMs: 1000, dryRun: false,
    naming: {}, ...(typeof opts.config === 'function' ? opts.config(hosts) : opts.config),
  };
  const own = (host: string) => !opts.ownHostsOnly || marked.includes(host);
  const workerAttrd = onlyHosts(opts.attrd ?? attrd, own);
  const workerLedger = onlyHostsLedger(opts.ledger ?? ledger, own);
  const newWorker = () => new EvacuationWorker(config, {
    os, attrd: workerAttrd, ledger: workerLedger, log,
    events: opts.metrics ? bothSinks(new EventLog(eventsFile, log), opts.metrics) : new EventLog(eventsFile, log), metrics: opts.metrics,
    fencingHistory: opts.fencing ?? (async () => []), onlineNodes: opts.online ?? (async () => new Set<string>()),
    watchMarks: opts.watchMarks,
  });
  const marked: string[] = [];
  const bench: Bench = {
    sim, worker: newWorker(), eventsFile, hosts,
    running: Promise.resolve(),
    events: () => (existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []),
    logLines: () => (existsSync(debugFile) ? readFileSync(debugFile, 'utf8').trim().split('\n') : []),
    async restartWorker() {
      bench.worker.stop();
      await bench.running;
      bench.worker = newWorker();
      bench.running = bench.worker.run();
    },
    async fail(host, o = {}) {
      marked.push(host);
      sim.model.crash(host);
      if (o.forceDown !== false) { sim.model.forceDown(host); sim.model.disable(host, 'instance-ha: fenced at test'); }
      await ledger.set({ host, phase: 'pending', since: Date.now() / 1000 });
      await attrd.update('evacuate', 'yes', { node: host, private: true });
    },
    async waitDone(host, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        if ((await ledger.get(host))?.phase === 'done') return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${host} not done within ${timeoutMs} ms; events: ${JSON.stringify(bench.events().slice(-8))}`);
    },
    async stop() {
      bench.worker.stop();
      await bench.running;
      await sim.stop();
      for (const h of marked) {
        await attrd.remove('evacuate', { node: h, private: true }).catch(() => {});
        await ledger.remove(h).catch(() => {});
      }
    },
  };
  await opts.prepare?.(sim, hosts);
  marked.push(...hosts);
  bench.running = bench.worker.run();
  return bench;
}

/** The same attrd, its listings limited to the hosts `own` accepts. */
function onlyHosts(a: Attrd, own: (host: string) => boolean): Attrd {
  return Object.assign(Object.create(a) as Attrd, { queryAll: async (name: string) => (await a.queryAll(name)).filter((e) => own(e.node)) });
}
function onlyHostsLedger(l: Ledger, own: (host: string) => boolean): Ledger {
  return Object.assign(Object.create(l) as Ledger, { read: async () => { const r = await l.read(); return { ...r, entries: r.entries.filter((e) => own(e.host)) }; } });
}

/** Evacuations that took effect in Nova (its migration records), per server id. */
/** Most requests open at one moment (a sweep over their start and end times). The simulator
 * stamps starts in whole ms (Date.now) and rounds durations: a request sent as the previous one's
 * answer arrives may seem to overlap it by up to ~2 ms, so overlaps that short do not count (a
 * request beyond the bound would overlap by a whole answer time, 50 ms here). */
export function peakInFlight(calls: readonly CallRecord[]): number {
  const SLACK_MS = 2;
  const edges = calls.flatMap((c) => [[c.time, 1], [c.time + c.durationMs - SLACK_MS, -1]] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, delta] of edges) peak = Math.max(peak, (open += delta));
  return peak;
}

/** The most evacuate requests the simulator had open at once. */
export const peakEvacuatesInFlight = (sim: Simulator) => peakInFlight(sim.calls.filter('POST', /\/action$/));

export function evacuationsInNova(sim: Simulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of sim.model.migrations.values()) {
    if (m.migrationType === 'evacuation') counts.set(m.instanceUuid, (counts.get(m.instanceUuid) ?? 0) + 1);
  }
  return counts;
}

/** The promise of every fault row: each instance left the failed host, evacuated exactly once in Nova. */
export function expectEachEvacuatedOnce(b: Bench, failed: string, ids: readonly string[]): void {
  const inNova = evacuationsInNova(b.sim);
  expect(ids.map((id) => inNova.get(id) ?? 0)).toEqual(ids.map(() => 1));
  for (const id of ids) expect(b.sim.model.servers.get(id)?.host, id).not.toBe(failed);
}

/** Polls until the condition holds (or throws naming it). */
export async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Evacuate requests accepted (HTTP 200) per server id. */
export function acceptedEvacuations(sim: Simulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of sim.calls.filter('POST', /\/servers\/[^/]+\/action$/)) {
    if (r.status !== 200 || typeof r.body !== 'object' || r.body === null || !('evacuate' in r.body)) continue;
    const id = /\/servers\/([^/]+)\/action$/.exec(r.path)?.[1] ?? '';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
