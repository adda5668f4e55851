import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { accountingEnd, byCommand, readAccounting, startAccounting, stopAccounting, type ProcessRecord } from '../../bench/process-accounting.ts';
import { CLUSTER_LOG, logSince, logSize } from '../helpers/cluster/cluster-log.ts';
import { freshSimState, STATE } from '../e2e/cluster-ops.ts';

// What the scale testbed costs over a window, read from outside as an operator could: the
// cloud's requests (the simulator's counts by kind), every process that ended (process
// accounting), the CIB's version counters, the NovaEvacuate worker's CPU and memory, and the
// lines our agents added to the Pacemaker log.

const ACCT = '/var/tmp/ihaa-scale.acct';
const PACEMAKER_LOG = CLUSTER_LOG;
/** Our agents are the only Node programs that end while the testbed runs; a Node process's last thread names its record. */
const OUR_COMMS = /^(instance-ha-age|MainThread|SignalInspector|node|libuv-worker|V8 \w+|fence_compute|NovaEvacuate|compute-unfence)$/;
const OUR_LOG_LINE = /^\w{3} \d\d [\d:.]+ \S+ (NovaEvacuate|fence_compute|compute-unfence-trigger|instance-ha) |\(log_op_output\).*(nova-evacuate|compute-unfence-trigger|fence-nova)/;

export interface Reading {
  at: number;
  calls: Record<string, number>;
  acctEnd: number;
  cib: { epoch: number; numUpdates: number };
  worker: { pid: number; cpuSeconds: number; rssMiB: number } | undefined;
  logBytes: number;
}

export interface WindowFigures {
  seconds: number;
  requests: Record<string, number>;
  novaRequests: number;
  keystoneLogins: number;
  forks: number;
  /** Our processes that ended, and what they forked. */
  ourProcesses: number;
  /** Those processes' CPU plus the worker's. */
  ourCpuSeconds: number;
  allCpuSeconds: number;
  topCommands: [string, { count: number; cpuSeconds: number }][];
  cibWrites: number;
  ourLogLines: number;
  workerRssMiB: number | undefined;
}

/** Our processes and what they forked (the worker's attrd_updater and cibadmin, a launcher's grep), to any depth. */
function ourRecords(records: ProcessRecord[], worker: number | undefined): ProcessRecord[] {
  const pids = new Set(records.filter((r) => OUR_COMMS.test(r.comm)).map((r) => r.pid));
  if (worker) pids.add(worker);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of records) if (!pids.has(r.pid) && pids.has(r.ppid)) { pids.add(r.pid); grew = true; }
  }
  return records.filter((r) => pids.has(r.pid));
}

const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** Our executable's processes running now. */
function ourPids(): string[] {
  try { return execFileSync('pgrep', ['-f', '^/usr/lib/instance-ha-agents/instance-ha-agents'], { encoding: 'utf8' }).split('\n').filter(Boolean); } catch { return []; }
}

/** The long-lived NovaEvacuate worker: our executable that has run longest. */
export function workerProcess(pids = ourPids()): Reading['worker'] {
  let best: { pid: number; start: number } | undefined;
  for (const p of pids) {
    try {
      const start = Number(readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[19]);
      if (!best || start < best.start) best = { pid: Number(p), start };
    } catch { /* ended meanwhile */ }
  }
  if (!best) return undefined;
  const f = readFileSync(`/proc/${best.pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${best.pid}/status`, 'utf8'))?.[1];
  return { pid: best.pid, cpuSeconds: (Number(f[11]) + Number(f[12])) / ticks, rssMiB: Number(rss) / 1024 };
}

function cibVersion(): Reading['cib'] {
  const root = /<cib [^>]*>/.exec(execFileSync('cibadmin', ['--query', '--local'], { encoding: 'utf8', maxBuffer: 256 << 20 }))?.[0] ?? '';
  const n = (k: string) => Number(new RegExp(` ${k}="(\\d+)"`).exec(root)?.[1] ?? 0);
  return { epoch: n('epoch'), numUpdates: n('num_updates') };
}


export class Probe {
  constructor() { startAccounting(ACCT); }

  async read(): Promise<Reading> {
    const at = Date.now();
    return { at, calls: { ...(await freshSimState(at)).calls }, acctEnd: accountingEnd(ACCT), cib: cibVersion(), worker: workerProcess(), logBytes: logSize(PACEMAKER_LOG) };
  }

  /** What happened between two readings; processes of the testbed's own harness (its simulator's crm_mon) left out. */
  figures(a: Reading, b: Reading): WindowFigures {
    const harness = new Set([simPid()]);
    const records = readAccounting(ACCT, a.acctEnd, b.acctEnd).records.filter((r) => !harness.has(r.ppid));
    const ours = ourRecords(records, b.worker?.pid);
    const requests: Record<string, number> = Object.fromEntries(Object.entries(b.calls).map(([k, v]) => [k, v - (a.calls[k] ?? 0)]).filter(([, v]) => (v as number) > 0));
    const sum = (rs: ProcessRecord[]) => rs.reduce((s, r) => s + r.cpuSeconds, 0);
    const sameWorker = a.worker && b.worker && a.worker.pid === b.worker.pid;
    const workerCpu = sameWorker ? b.worker!.cpuSeconds - a.worker!.cpuSeconds : 0;
    const log = logSince(a.logBytes, PACEMAKER_LOG);
    return {
      seconds: (b.at - a.at) / 1000, requests,
      novaRequests: Object.entries(requests).filter(([k]) => k.startsWith('compute ')).reduce((s, [, v]) => s + (v as number), 0),
      keystoneLogins: requests['identity POST /v3/auth/tokens'] ?? 0,
      forks: records.length, ourProcesses: ours.length, ourCpuSeconds: sum(ours) + workerCpu, allCpuSeconds: sum(records) + workerCpu,
      topCommands: [...byCommand(records)].sort((x, y) => y[1].cpuSeconds - x[1].cpuSeconds).slice(0, 8),
      cibWrites: b.cib.epoch === a.cib.epoch ? b.cib.numUpdates - a.cib.numUpdates : b.cib.epoch - a.cib.epoch + b.cib.numUpdates,
      ourLogLines: log.split('\n').filter((l) => OUR_LOG_LINE.test(l)).length,
      workerRssMiB: b.worker?.rssMiB,
    };
  }

  stop(): void { stopAccounting(); }
}

const simPid = () => (JSON.parse(readFileSync(`${STATE}/sim.json`, 'utf8')) as { pid: number }).pid;

/** The highest resident memory any of our agent processes reached while it ran, sampled every 250 ms. */
export class PeakRss {
  #peakKiB = 0;
  readonly #timer = setInterval(() => this.#sample(), 250);

  #sample(): void {
    const pids = ourPids();
    const worker = workerProcess(pids)?.pid;
    for (const p of pids.filter((p) => Number(p) !== worker)) {
      try { this.#peakKiB = Math.max(this.#peakKiB, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0)); } catch { /* ended */ }
    }
  }

  /** MiB. */
  stop(): number {
    clearInterval(this.#timer);
    return this.#peakKiB / 1024;
  }
}
