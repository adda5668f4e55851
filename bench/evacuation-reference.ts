// Evacuation benchmark, reference side: Debian's unmodified `fence_evacuate -o off` against the
// in-process simulator, N instances on a failed (crashed, forced-down, disabled) compute, every
// simulator response delayed by `latency` ms. Not a test: prints a Markdown table.
//
//   bash bench/reference/setup.sh      # once: fence-agents + the Python libraries it imports
//   node bench/evacuation-reference.ts [--n 10,100,1000] [--latency 200] [--runs 3]
//
// "last accepted" = response time of the last evacuate POST answered 200 (simulator call log)
// minus the agent's start; "first POST" = arrival of the first evacuate POST minus the start;
// "wall" = the agent process from spawn to exit. measureReference() is exported so that the
// other side ("ours") can be put beside it in the same table.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CallRecord } from '../test/simulator/index.ts';
import { runFenceEvacuate } from './reference/run-fence-evacuate.ts';
import { startScenario } from './reference/scenario.ts';

export interface ReferenceMeasurement {
  n: number;
  latencyMs: number;
  exitCode: number | null;
  /** Agent start → response of the last accepted (200) evacuate POST; NaN when none. */
  lastAcceptedMs: number;
  /** Agent start → arrival of the first evacuate POST; NaN when none. */
  firstEvacuateMs: number;
  /** Agent process wall time. */
  wallMs: number;
  /** Evacuate POSTs sent, and answered 200. */
  posts: number;
  accepted: number;
  /** Distinct instances with an accepted evacuation (should be n). */
  instancesAccepted: number;
  /** Every request the agent made (Keystone, Nova, Glance). */
  requests: number;
  stderrTail: string;
  /** The agent's peak resident memory, KiB. */
  peakRssKiB: number;
}

const isEvacuate = (c: CallRecord) => c.method === 'POST' && /\/servers\/[^/]+\/action$/.test(c.path)
  && typeof c.body === 'object' && c.body !== null && 'evacuate' in c.body;

/** One run: fresh simulator, N instances on the failed host, the reference agent, the call log read. */
export async function measureReference(n: number, latencyMs = 200, opts: { rebuildMs?: number } = {}): Promise<ReferenceMeasurement> {
  const { sim, host, serverIds } = await startScenario({ n, latencyMs, rebuildMs: opts.rebuildMs });
  try {
    const r = await runFenceEvacuate({ authUrl: sim.authUrl, host });
    const evac = sim.calls.all.filter(isEvacuate);
    const ok = evac.filter((c) => c.status === 200);
    const lastResponse = Math.max(...ok.map((c) => c.time + c.durationMs));
    const firstArrival = Math.min(...evac.map((c) => c.time));
    const ids = new Set(serverIds);
    const acceptedIds = new Set(ok.map((c) => /\/servers\/([^/]+)\/action$/.exec(c.path)?.[1] ?? '').filter((id) => ids.has(id)));
    return {
      n, latencyMs, exitCode: r.exitCode, wallMs: r.wallMs,
      lastAcceptedMs: ok.length ? lastResponse - r.startedAt : Number.NaN,
      firstEvacuateMs: evac.length ? firstArrival - r.startedAt : Number.NaN,
      posts: evac.length, accepted: ok.length, instancesAccepted: acceptedIds.size, requests: sim.calls.all.length,
      stderrTail: r.stderrTail, peakRssKiB: r.peakRssKiB,
    };
  } finally {
    await sim.stop();
  }
}

export interface Stat { median: number; min: number; max: number }

export function stat(xs: readonly number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length === 0 ? Number.NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0] ?? Number.NaN, max: s[s.length - 1] ?? Number.NaN };
}

export const fmtSeconds = (x: Stat) => x.min === x.max ? `${(x.median / 1000).toFixed(2)} s`
  : `${(x.median / 1000).toFixed(2)} s (${(x.min / 1000).toFixed(2)}–${(x.max / 1000).toFixed(2)})`;

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({ args: argv, options: {
    n: { type: 'string', default: '10,100,1000' }, latency: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' },
  } });
  const ns = values.n.split(',').map((s) => Number(s.trim()));
  const latencyMs = Number(values.latency);
  const runs = Number(values.runs);
  if (ns.some((n) => !Number.isInteger(n) || n < 1) || !(latencyMs >= 0) || !Number.isInteger(runs) || runs < 1) {
    throw new Error('usage: evacuation-reference.ts [--n 10,100,1000] [--latency 200] [--runs 3]');
  }
  const rows: string[] = [];
  for (const n of ns) {
    const ms: ReferenceMeasurement[] = [];
    for (let i = 0; i < runs; i++) {
      const m = await measureReference(n, latencyMs);
      console.error(`reference N=${n} run ${i + 1}/${runs}: exit ${m.exitCode}, last accepted ${(m.lastAcceptedMs / 1000).toFixed(2)} s, `
        + `wall ${(m.wallMs / 1000).toFixed(2)} s, ${m.accepted}/${m.posts} POSTs accepted, ${m.requests} requests`);
      if (m.exitCode !== 0 || m.instancesAccepted !== n) console.error(m.stderrTail);
      ms.push(m);
    }
    const same = <T>(f: (m: ReferenceMeasurement) => T) => [...new Set(ms.map(f))].join('/');
    rows.push(`| reference fence_evacuate | ${n} | ${latencyMs} ms | ${fmtSeconds(stat(ms.map((m) => m.lastAcceptedMs)))} `
      + `| ${fmtSeconds(stat(ms.map((m) => m.firstEvacuateMs)))} | ${fmtSeconds(stat(ms.map((m) => m.wallMs)))} `
      + `| ${same((m) => `${m.accepted}/${m.posts}`)} | ${same((m) => m.requests)} | ${same((m) => m.exitCode)} | ${runs} |`);
  }
  console.log(`| agent | N | latency | last evacuate accepted | first evacuate POST | agent wall | POSTs 200/sent | requests | exit | runs |`);
  console.log(`| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
  for (const r of rows) console.log(r);
  console.log('\nTimes from the agent\'s start; median (min–max) over runs.');
}

if (resolve(process.argv[1] ?? '') === resolve(dirname(fileURLToPath(import.meta.url)), 'evacuation-reference.ts')) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exitCode = 1;
  });
}
