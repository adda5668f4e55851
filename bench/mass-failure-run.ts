// One scenario of bench/mass-failure.ts: the real EvacuationWorker in this process, with the
// NovaEvacuate parameters' defaults, against the in-process simulator (N computes, 2 evacuable
// instances each) and the in-memory stand-ins of mass-failure-deps.ts. k hosts are failed the
// way fence_compute off leaves them (crashed, forced down, disabled by instance-ha, ledger
// pending, evacuate=yes, and, when `fenced`, an off in the fencing history), all at once; then
// two windows are measured: the first starts at the marks, the second follows it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectOpenStack } from '../lib/openstack/connect.ts';
import { EventLog } from '../lib/evacuation/events.ts';
import { EvacuationWorker } from '../lib/evacuation/worker.ts';
import { novaEvacuateParams } from '../lib/nova-evacuate/params.ts';
import { BLOCKED_ATTR, EVACUATE_ATTR } from '../lib/pacemaker/marks.ts';
import type { LedgerEntry } from '../lib/pacemaker/ledger.ts';
import { callClass, startSimulator } from '../test/simulator/index.ts';
import { CountingLogger, Forks, memoryAttrd, memoryFencing, memoryLedger, memoryOnlineNodes, TOOLS, type Tool } from './mass-failure-deps.ts';

export interface Scenario { label: string; marked: number; threshold: number; fenced: boolean; heldBy: RegExp }

export interface Window {
  seconds: number;
  /** Requests per class: `<service> <method> <path, ids as {id}>`. */
  requests: Map<string, number>;
  forks: Map<Tool, number>;
  peakForks: Map<Tool, number>;
  warningLines: number;
  allLines: number;
  /** User + system CPU of the whole process: worker and simulator together. */
  cpuSeconds: number;
  rssMiB: number;
}

/** The parameter's declared default, as the agent would run without it set. */
const param = (name: string) => Number((novaEvacuateParams.find((p) => p.name === name) as { default?: string } | undefined)?.default);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runScenario(s: Scenario, computes: number, seconds: number): Promise<Window[]> {
  const sim = await startSimulator();
  const hosts = Array.from({ length: computes }, (_, i) => `mf-${String(i).padStart(3, '0')}`);
  for (const host of hosts) {
    sim.model.addCompute(host);
    for (let i = 0; i < 2; i++) sim.model.addServer({ host, metadata: { evacuable: 'true' } });
  }
  const forks = new Forks();
  const log = new CountingLogger();
  const attrs = new Map<string, Map<string, string>>();
  const entries = new Map<string, LedgerEntry>();
  const fenced = new Map<string, number>();
  const requestTimeout = param('request_timeout');
  const values = { auth_url: sim.authUrl, username: 'admin', password: 'admin-pw', tenant_name: 'admin', endpoint_type: 'publicURL', request_timeout: requestTimeout };
  const os = await connectOpenStack(values, new Set(Object.keys(values)), {}, log);
  const worker = new EvacuationWorker({
    node: 'bench', tag: 'evacuable', concurrency: param('concurrency'), reservedHosts: [], maxMicroversion: '2.94', noSharedStorage: false,
    threshold: s.threshold, verifyMs: param('verify_timeout') * 1000, maxAttempts: param('max_attempts'), requireFencing: param('require_fencing') === 1,
    pollMs: param('poll_interval') * 1000, evacuateDelayMs: param('evacuate_delay') * 1000, graceMs: requestTimeout * 1000 + 5000, dryRun: false, naming: {},
  }, {
    os, attrd: memoryAttrd(forks, attrs), ledger: memoryLedger(forks, entries), fencingHistory: memoryFencing(forks, fenced),
    onlineNodes: memoryOnlineNodes(forks), log, events: new EventLog(join(mkdtempSync(join(tmpdir(), 'ihaa-mass-')), 'events.jsonl'), log),
  });
  const running = worker.run();
  try {
    await sleep(3000); // idle and polling, as before a real failure
    const now = Date.now();
    for (const host of hosts.slice(0, s.marked)) {
      sim.model.crash(host);
      sim.model.forceDown(host);
      sim.model.disable(host, 'instance-ha: fenced by the bench');
      entries.set(host, { host, phase: 'pending', since: now / 1000 });
      if (!attrs.has(EVACUATE_ATTR)) attrs.set(EVACUATE_ATTR, new Map());
      attrs.get(EVACUATE_ATTR)!.set(host, 'yes');
      if (s.fenced) fenced.set(host, now);
    }
    const windows: Window[] = [];
    for (let w = 0; w < 2; w++) {
      const before = { calls: sim.calls.all.length, forks: new Map(forks.count), lines: { ...log.lines }, cpu: process.cpuUsage() };
      forks.resetPeaks();
      await sleep(seconds * 1000);
      const cpu = process.cpuUsage(before.cpu);
      const requests = new Map<string, number>();
      for (const c of sim.calls.all.slice(before.calls)) requests.set(callClass(c), (requests.get(callClass(c)) ?? 0) + 1);
      const lines = (l: typeof log.lines) => ({ warning: l.error + l.warning, all: l.error + l.warning + l.info + l.debug });
      windows.push({
        seconds, requests, forks: new Map(TOOLS.map((t) => [t, forks.count.get(t)! - before.forks.get(t)!])), peakForks: new Map(forks.peak),
        warningLines: lines(log.lines).warning - lines(before.lines).warning, allLines: lines(log.lines).all - lines(before.lines).all,
        cpuSeconds: (cpu.user + cpu.system) / 1e6, rssMiB: process.memoryUsage().rss / 2 ** 20,
      });
    }
    checkHeld(s, hosts.slice(0, s.marked), entries, attrs.get(BLOCKED_ATTR), sim.calls.count('POST', /\/action$/));
    return windows;
  } finally {
    worker.stop();
    await running;
    await sim.stop();
  }
}

/** The figures mean something only if every marked host was held, for the expected reason, and nothing was sent. */
function checkHeld(s: Scenario, marked: string[], entries: Map<string, LedgerEntry>, blocked: Map<string, string> | undefined, actions: number): void {
  const wrong = marked.filter((h) => entries.get(h)?.phase !== 'pending' || !s.heldBy.test(blocked?.get(h) ?? ''));
  if (wrong.length || actions) throw new Error(`${s.label}: ${wrong.length} host(s) not held as expected (e.g. ${wrong[0]}: ${blocked?.get(wrong[0] ?? '')}), ${actions} server actions sent`);
}
