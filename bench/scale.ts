// Issue 16 on the scale testbed (test/scale/scale.sh): a real Pacemaker cluster with N
// pacemaker_remote computes, our agents from the .deb, the simulator as the cloud. For each N:
// the steady state over a window; at the largest N: k hosts failing together (kill → fenced →
// first evacuate → all ACTIVE elsewhere → back in service), then a mass failure held by the
// guard (60 % of the hosts) beside 1 host held the same way (threshold 0). Prints the tables and
// refreshes their block in docs/scale.md. Not a test; takes the cluster (run it under
// flock /run/lock/ihaa-cluster.lock) and leaves the testbed down.
//
//   node bench/scale.ts [--sizes 10,25,50] [--steady 600] [--held 120 (0: none)] [--k 1,5,10] [--per-host 2]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { replaceBlock } from '../scripts/generate.ts';
import { restartNovaEvacuate, sleep, waitSettled } from '../test/e2e/cluster-ops.ts';
import { failHeld, failTogether, massFailureSize, type HostTimeline } from '../test/scale/failures.ts';
import { PeakRss, Probe, type WindowFigures } from '../test/scale/probe.ts';
import { context, finish, ROOT } from './results.ts';
import { renderScale } from './scale-report.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10,25,50' }, steady: { type: 'string', default: '600' },
  held: { type: 'string', default: '120' }, k: { type: 'string', default: '1,5,10' }, 'per-host': { type: 'string', default: '2' } } });
const sizes = values.sizes.split(',').map(Number);
const ks = values.k.split(',').map(Number);
const steadyS = Number(values.steady);
const heldS = Number(values.held);
const SCALE = join(ROOT, 'test', 'scale', 'scale.sh');
const say = (s: string) => process.stderr.write(`[scale ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const hostsFrom = (first: number, n: number) => Array.from({ length: n }, (_, i) => `compute-${first + i}`);

export interface SizeResult { n: number; upSeconds: number; steady: WindowFigures }
export interface ScaleResult {
  sizes: SizeResult[]; largest: number; failures: { k: number; timelines: HostTimeline[] }[];
  held: { label: string; hosts: number; figures: WindowFigures }[]; agentPeakRssMiB: number; workerRssMiB: number;
  /** What did not complete, said in the report. */
  errors: string[];
}

/** Kills the hosts, held by the guard (failHeld), and measures the worker holding them over a window. */
async function heldWindow(probe: Probe, hosts: string[]): Promise<{ figures: WindowFigures; following: Promise<unknown> }> {
  const { following } = await failHeld(hosts, say);
  await sleep(15_000); // past the pick-up: the window shows the holding
  const a = await probe.read();
  await sleep(heldS * 1000);
  return { figures: probe.figures(a, await probe.read()), following };
}

/** At the largest N: k hosts failing together, then 1 host and a mass failure held by the guard. */
async function incidents(probe: Probe, n: number): Promise<void> {
  const peak = new PeakRss();
  try {
    for (const k of ks) {
      result.failures.push({ k, timelines: await failTogether(hostsFrom(1, k), say) });
      await waitSettled(say, 900_000);
    }
    if (heldS === 0) return; // --held 0: no mass failure (bench/mass-failure.ts measures holding at 250 hosts)
    const undo = await restartNovaEvacuate({ threshold: '0' });
    const one = await heldWindow(probe, hostsFrom(1, 1));
    result.held.push({ label: '1 held by the guard', hosts: 1, figures: one.figures });
    await undo();
    await one.following;
    await waitSettled(say, 900_000);
    const mass = hostsFrom(1, massFailureSize(n));
    const many = await heldWindow(probe, mass);
    result.held.push({ label: `${mass.length} held by the guard`, hosts: mass.length, figures: many.figures });
    result.workerRssMiB = many.figures.workerRssMiB ?? 0;
    const release = await restartNovaEvacuate({ threshold: '100' });
    await many.following;
    await release();
  } finally {
    result.agentPeakRssMiB = peak.stop();
  }
}

const ctx = context(false);
const result: ScaleResult = { sizes: [], largest: Math.max(...sizes), failures: [], held: [], agentPeakRssMiB: 0, workerRssMiB: 0, errors: [] };
try {
  for (const n of sizes) {
    say(`N = ${n}: bringing the testbed up`);
    const t0 = Date.now();
    execFileSync('bash', [SCALE, 'up', String(n), values['per-host']], { stdio: ['ignore', 'ignore', 'inherit'] });
    const upSeconds = (Date.now() - t0) / 1000;
    await waitSettled(say, 600_000);
    await sleep(30_000); // first monitors and the worker's start behind us
    const probe = new Probe();
    try {
      const a = await probe.read();
      await sleep(steadyS * 1000);
      const steady = probe.figures(a, await probe.read());
      result.sizes.push({ n, upSeconds, steady });
      say(`N = ${n}: up in ${upSeconds.toFixed(0)} s; steady: ${steady.novaRequests} Nova requests, ${steady.ourCpuSeconds.toFixed(1)} CPU-s of ours in ${steady.seconds.toFixed(0)} s`);
      if (n !== result.largest) continue;
      await incidents(probe, n).catch((e: unknown) => { result.errors.push(`N = ${n}: ${(e as Error).message}`); say(`failed: ${(e as Error).message}`); });
    } finally {
      probe.stop();
    }
  }
} finally {
  execFileSync('bash', [SCALE, 'down'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const end = finish(ctx);
const section = renderScale(result, { ...end, command: `node bench/scale.ts --sizes ${values.sizes} --steady ${steadyS} --held ${heldS} --k ${values.k} --per-host ${values['per-host']}` });
console.log(section);
const file = join(ROOT, 'docs', 'scale.md');
const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Scale (issue 16)\n';
writeFileSync(file, replaceBlock(doc, 'testbed', section, 'scale'));
say(`wrote ${file}`);
