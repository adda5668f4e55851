// The benchmarks, ours beside Debian's reference agents, in one command; prints the Markdown
// table and writes docs/benchmarks.md and docs/benchmarks.svg. Not a test.
//
//   node scripts/build-sea.ts && bash bench/reference/setup.sh     # once
//   node bench/run.ts [--quick] [--runs 3] [--part all|cold-start|reference|ours|render]
//
// "ours" needs the local test cluster (real attrd and CIB), which is shared: this command runs
// that part in a child under `flock /run/lock/ihaa-cluster.lock`, starting the cluster inside the
// lock and stopping it after. The other parts do not touch the cluster. Each part is saved to
// build/bench/, so one part can be run again alone and the report rendered from all of them.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureColdStarts } from './cold-start.ts';
import { measureOurs } from './evacuation.ts';
import { measureReference, stat } from './evacuation-reference.ts';
import { renderChart } from './chart.ts';
import { readmeSummary, renderReport, renderTable } from './report.ts';
import { replaceBlock } from '../scripts/generate.ts';
import { context, finish, loadParts, ROOT, savePart, type OursCell, type ReferenceCell } from './results.ts';

const LOCK = '/run/lock/ihaa-cluster.lock';
const CONCURRENCY = 32;
const REBUILD_MS = 2000; // bench/reference/scenario.ts's default
const POLL_MS = 1000; // measureOurs: NovaEvacuate's default poll_interval

const { values } = parseArgs({ options: {
  quick: { type: 'boolean', default: false }, runs: { type: 'string' }, part: { type: 'string', default: 'all' },
} });
const quick = values.quick;
const runs = Number(values.runs ?? (quick ? 1 : 3));
const sizes = quick ? [10, 100] : [10, 100, 1000];
const latencies = [50, 200];
const cells = latencies.flatMap((latencyMs) => sizes.map((n) => ({ n, latencyMs })));
const progress = (s: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

async function coldStart(): Promise<void> {
  const c = context(quick);
  const coldRuns = quick ? 3 : 20;
  progress(`cold start: ${coldRuns} runs of each action, each agent`);
  const results = await measureColdStarts(coldRuns);
  savePart('coldStart', { context: finish(c), runs: coldRuns, results });
}

async function reference(): Promise<void> {
  const c = context(quick);
  const out: ReferenceCell[] = [];
  for (const { n, latencyMs } of cells) {
    const ms = [];
    for (let i = 0; i < runs; i++) {
      const m = await measureReference(n, latencyMs);
      if (m.instancesAccepted !== n) throw new Error(`reference N=${n}: ${m.instancesAccepted} accepted (exit ${m.exitCode})\n${m.stderrTail}`);
      progress(`reference N=${n} ${latencyMs} ms run ${i + 1}/${runs}: last accepted ${(m.lastAcceptedMs / 1000).toFixed(2)} s`);
      ms.push(m);
    }
    out.push({ n, latencyMs, runs, lastAccepted: stat(ms.map((m) => m.lastAcceptedMs)), firstPost: stat(ms.map((m) => m.firstEvacuateMs)), peakRssKiB: stat(ms.map((m) => m.peakRssKiB)) });
  }
  savePart('reference', { context: finish(c), cells: out });
}

async function ours(): Promise<void> {
  const c = context(quick);
  const out: OursCell[] = [];
  // Largest N last: the process's max RSS then covers the worker at that N.
  for (const { n, latencyMs } of [...cells].sort((a, b) => a.n - b.n)) {
    const ms = [];
    for (let i = 0; i < runs; i++) {
      const o = await measureOurs(n, latencyMs, CONCURRENCY);
      if (o.instancesMoved !== n || o.accepted !== n) throw new Error(`ours N=${n}: ${o.accepted} accepted, ${o.instancesMoved} moved`);
      progress(`ours N=${n} ${latencyMs} ms run ${i + 1}/${runs}: last accepted ${(o.lastAcceptedMs / 1000).toFixed(2)} s, all ACTIVE ${(o.allActiveMs / 1000).toFixed(2)} s`);
      ms.push(o);
    }
    out.push({ n, latencyMs, runs, lastAccepted: stat(ms.map((m) => m.lastAcceptedMs)), firstPost: stat(ms.map((m) => m.firstEvacuateMs)), allActive: stat(ms.map((m) => m.allActiveMs)) });
  }
  savePart('ours', { context: finish(c), cells: out, concurrency: CONCURRENCY, rebuildMs: REBUILD_MS, pollMs: POLL_MS, processMaxRssKiB: process.resourceUsage().maxRSS });
}

/** Ours in a child that holds the cluster lock for just this part. */
function oursUnderLock(): void {
  progress(`ours: waiting for ${LOCK} (the shared test cluster)`);
  const args = [process.execPath, join(ROOT, 'bench', 'run.ts'), '--part', 'ours', '--runs', String(runs), ...(quick ? ['--quick'] : [])];
  const script = `bash test/helpers/cluster/cluster.sh start >&2 && "$@"; rc=$?; bash test/helpers/cluster/cluster.sh stop >&2; exit $rc`;
  const r = spawnSync('flock', [LOCK, 'bash', '-c', script, 'bench', ...args], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`ours (under the cluster lock) exited ${r.status}`);
}

function render(): void {
  const parts = loadParts();
  console.log(renderTable(parts));
  writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), renderReport(parts));
  writeFileSync(join(ROOT, 'docs', 'benchmarks.svg'), renderChart(parts));
  const readme = join(ROOT, 'README.md');
  writeFileSync(readme, replaceBlock(readFileSync(readme, 'utf8'), 'summary', `${readmeSummary(parts)}\n`, 'bench'));
  progress('wrote docs/benchmarks.md, docs/benchmarks.svg and the README\'s summary');
}

const PARTS: Record<string, () => Promise<void> | void> = { 'cold-start': coldStart, reference, ours, render };

async function main(): Promise<void> {
  if (values.part === 'all') {
    await coldStart();
    await reference();
    oursUnderLock();
    render();
    return;
  }
  const part = PARTS[values.part];
  if (!part) throw new Error(`--part: one of all, ${Object.keys(PARTS).join(', ')}`);
  await part();
}

main().catch((e: unknown) => { console.error(e instanceof Error ? e.stack : String(e)); process.exitCode = 1; });
