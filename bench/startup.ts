// Start-up of `fence_compute -o metadata`: ours (build/bin launcher, or the path given) vs
// Debian's reference agent; median of 20 runs after 3 warm-ups. Not a test: prints a table.
//   node bench/startup.ts [OUR_AGENT] [REFERENCE_AGENT]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ours = process.argv[2] ?? join(ROOT, 'build/bin/fence_compute');
const reference = process.argv[3] ?? (existsSync('/usr/sbin/fence_compute.distrib') ? '/usr/sbin/fence_compute.distrib' : '/usr/sbin/fence_compute');
const RUNS = 20;

function measure(cmd: string, args: string[]): { median: number; min: number; max: number } {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'], timeout: 30_000 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    if (i >= 3) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { median: (times[RUNS / 2 - 1]! + times[RUNS / 2]!) / 2, min: times[0]!, max: times[RUNS - 1]! };
}

const a = measure(ours, ['-o', 'metadata']);
const b = measure(reference, ['-o', 'metadata']);
const f = (x: { median: number; min: number; max: number }) => `${x.median.toFixed(1)} ms (min ${x.min.toFixed(1)}, max ${x.max.toFixed(1)})`;
console.log('| fence_compute -o metadata, median of 20 | time |');
console.log('| --- | --- |');
console.log(`| ours (${ours}) | ${f(a)} |`);
console.log(`| reference (${reference}) | ${f(b)} |`);
console.log(`ratio: ours is ${(b.median / a.median).toFixed(2)}x faster (goal for the installed agent: >= 5x)`);
