// Evacuation benchmark: ours (the NovaEvacuate worker, real attrd + CIB of the local test
// cluster) beside the unmodified reference `fence_evacuate -o off`, same simulated cloud, every
// request delayed by `latency` ms. Not a test: prints a Markdown table with the ratio.
//
//   bash bench/reference/setup.sh && bash test/helpers/cluster/cluster.sh start
//   node bench/evacuation.ts [--n 10,100,1000] [--latency 200] [--runs 3] [--concurrency 32]
//
// ours, "last accepted": the mark (evacuate=yes + ledger pending) → response of the last
// accepted evacuate; "first POST": mark → first evacuate request (the reference is started
// directly, so its column counts from its own start, without NovaEvacuate's 10 s monitor);
// "all ACTIVE elsewhere": mark → the worker's verified host-done (the reference does not wait).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Logger } from '../lib/log.ts';
import { connectOpenStack } from '../lib/openstack/connect.ts';
import { Attrd } from '../lib/pacemaker/attrd.ts';
import { Ledger } from '../lib/pacemaker/ledger.ts';
import { onCibWritten } from '../lib/pacemaker/cib-changes.ts';
import { EventLog } from '../lib/evacuation/events.ts';
import { EvacuationWorker } from '../lib/evacuation/worker.ts';
import type { CallRecord } from '../test/simulator/index.ts';
import { fmtSeconds, measureReference, stat } from './evacuation-reference.ts';
import { startScenario } from './reference/scenario.ts';

interface Ours { lastAcceptedMs: number; firstEvacuateMs: number; allActiveMs: number; accepted: number; instancesMoved: number }

const isEvacuate = (c: CallRecord) => c.method === 'POST' && /\/servers\/[^/]+\/action$/.test(c.path) && c.status === 200;

export async function measureOurs(n: number, latencyMs: number, concurrency: number): Promise<Ours> {
  const { sim, host, serverIds } = await startScenario({ n, latencyMs });
  // Not instance-ha's own reason: the worker's reconciliation must not start before the mark.
  sim.model.disable(host, 'bench: fenced');
  const attrd = new Attrd();
  const ledger = new Ledger();
  const log = new Logger({ tag: 'bench', stderr: false, syslog: false });
  const values = { auth_url: sim.authUrl, username: 'admin', password: 'admin-pw', tenant_name: 'admin', endpoint_type: 'publicURL', request_timeout: 10 };
  const os = await connectOpenStack(values, new Set(Object.keys(values)), {}, log);
  // The worker says when the host is done (after the ledger's done and evacuate=no are written);
  // listening costs nothing, while polling the CIB from this process would steal its CPU.
  const events = new EventLog(join(mkdtempSync(join(tmpdir(), 'ihaa-bench-')), 'events.jsonl'), log);
  let hostDone: () => void = () => {};
  const done = new Promise<void>((r) => { hostDone = r; });
  const emit = events.emit.bind(events);
  events.emit = (e) => { emit(e); if (e.event === 'host-done') hostDone(); };
  const worker = new EvacuationWorker({
    node: 'bench', tag: 'evacuable', concurrency, reservedHosts: [], maxMicroversion: '2.94', noSharedStorage: false, threshold: 100,
    verifyMs: 600_000, maxAttempts: 3, requireFencing: false, pollMs: 1000, evacuateDelayMs: 0, graceMs: 15_000, dryRun: false, naming: {},
  }, { os, attrd, ledger, log, fencingHistory: async () => [], onlineNodes: async () => new Set<string>(), watchMarks: (onChange) => onCibWritten(onChange), events });
  await ledger.remove(host).catch(() => {});
  const running = worker.run();
  try {
    await new Promise((r) => setTimeout(r, 1500)); // the worker is idle, polling
    const marked = Date.now();
    await ledger.set({ host, phase: 'pending', since: marked / 1000 });
    await attrd.update('evacuate', 'yes', { node: host, private: true });
    await done;
    if ((await ledger.get(host))?.phase !== 'done') throw new Error(`ours N=${n}: host-done without the ledger's done`);
    const allActiveMs = Date.now() - marked;
    const ok = sim.calls.all.filter(isEvacuate);
    return {
      lastAcceptedMs: Math.max(...ok.map((c) => c.time + c.durationMs)) - marked,
      firstEvacuateMs: Math.min(...ok.map((c) => c.time)) - marked,
      allActiveMs, accepted: ok.length,
      instancesMoved: serverIds.filter((id) => sim.model.servers.get(id)?.host !== host).length,
    };
  } finally {
    worker.stop();
    await running;
    await sim.stop();
    await attrd.remove('evacuate', { node: host, private: true }).catch(() => {});
    await ledger.remove(host).catch(() => {});
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    n: { type: 'string', default: '10,100,1000' }, latency: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '32' }, 'skip-reference': { type: 'boolean', default: false },
  } });
  const latencyMs = Number(values.latency);
  const runs = Number(values.runs);
  const concurrency = Number(values.concurrency);
  console.log(`| N | latency | ours: last evacuate accepted | reference: last evacuate accepted | ratio | ours: first POST after mark | ours: all ACTIVE elsewhere | floor: ceil(N/${concurrency})×latency + rebuild |`);
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const n of values.n.split(',').map(Number)) {
    const ours: Ours[] = [];
    const ref: number[] = [];
    for (let i = 0; i < runs; i++) {
      const o = await measureOurs(n, latencyMs, concurrency);
      if (o.instancesMoved !== n || o.accepted !== n) throw new Error(`ours N=${n}: ${o.accepted} accepted, ${o.instancesMoved} moved`);
      ours.push(o);
      if (!values['skip-reference']) {
        const r = await measureReference(n, latencyMs);
        if (r.instancesAccepted !== n) throw new Error(`reference N=${n}: ${r.instancesAccepted} accepted (exit ${r.exitCode})\n${r.stderrTail}`);
        ref.push(r.lastAcceptedMs);
      }
      console.error(`N=${n} run ${i + 1}/${runs}: ours ${(ours[i]!.lastAcceptedMs / 1000).toFixed(2)} s${ref[i] !== undefined ? `, reference ${(ref[i]! / 1000).toFixed(2)} s` : ''}`);
    }
    const o = stat(ours.map((x) => x.lastAcceptedMs));
    const r = ref.length ? stat(ref) : undefined;
    const floor = Math.ceil(n / concurrency) * latencyMs + 2000;
    console.log(`| ${n} | ${latencyMs} ms | ${fmtSeconds(o)} | ${r ? fmtSeconds(r) : '—'} | ${r ? `${(r.median / o.median).toFixed(1)}×` : '—'} `
      + `| ${fmtSeconds(stat(ours.map((x) => x.firstEvacuateMs)))} | ${fmtSeconds(stat(ours.map((x) => x.allActiveMs)))} | ${(floor / 1000).toFixed(2)} s |`);
  }
  console.log('\nMedian (min–max) over runs. Simulator rebuild time 2 s; ours: concurrency', concurrency, ', poll interval 1 s.');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => { console.error(e instanceof Error ? e.stack : String(e)); process.exitCode = 1; });
}
