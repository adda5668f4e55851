// fence_compute's shared Keystone token (lib/openstack/token-cache.ts): k fence_compute processes
// at once (build/bin, as Pacemaker runs them with pcmk_action_limit=-1), each `status` of its own
// host, against the simulator, with and without the cache; logins and wall time as ratios against
// the no-cache run of the same k, measured in the same run. Keystone's login is given 300 ms (a
// real one hashes a password); the simulator answers logins in parallel, which a real Keystone
// with a few workers does not, so the no-cache times are if anything too kind. Not a test.
//   node bench/token-cache.ts [k...]     (default 1 10 50; build first: node scripts/build.ts)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Simulator } from '../test/simulator/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const AGENT = join(ROOT, 'build/bin/fence_compute');
const KS = process.argv.slice(2).map(Number);
const LOGIN_MS = 300;

async function fence(sim: Simulator, host: string, cache: string): Promise<void> {
  const child = spawn(AGENT, [], { env: { ...process.env, IHA_TOKEN_CACHE: cache }, stdio: ['pipe', 'ignore', 'pipe'], timeout: 120_000 });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdin.end(`action=status\nplug=${host}\nauth_url=${sim.authUrl}\nusername=admin\npassword=admin-pw\ntenant_name=admin\nendpoint_type=publicURL\n`);
  const [code] = await once(child, 'exit') as [number | null];
  if (code !== 0) throw new Error(`fence_compute status ${host} exited ${code}: ${stderr.trim()}`);
}

/** k processes at once; the logins they made and the wall time until the last one ended. */
async function round(sim: Simulator, hosts: string[], cache: string): Promise<{ logins: number; ms: number }> {
  const before = sim.calls.count('POST', /auth\/tokens/);
  const t0 = performance.now();
  await Promise.all(hosts.map((h) => fence(sim, h, cache)));
  return { logins: sim.calls.count('POST', /auth\/tokens/) - before, ms: performance.now() - t0 };
}

const sim = await startSimulator();
sim.faults.add({ kind: 'delay', ms: LOGIN_MS, method: 'POST', path: /auth\/tokens/ });
const rows: string[] = [];
try {
  for (const k of KS.length ? KS : [1, 10, 50]) {
    const hosts = Array.from({ length: k }, (_, i) => `bench-${k}-${i}`);
    for (const h of hosts) sim.model.addCompute(h);
    await round(sim, hosts.slice(0, 1), 'off'); // warm the page cache
    const without = await round(sim, hosts, 'off');
    const withCache = await round(sim, hosts, join(mkdtempSync(join(tmpdir(), 'ihaa-bench-tokens-')), 'tokens'));
    rows.push(`| ${k} | ${without.logins} | ${withCache.logins} | ${(withCache.logins / without.logins).toFixed(2)} | ${(without.ms / 1000).toFixed(2)} s | ${(withCache.ms / 1000).toFixed(2)} s | ${(withCache.ms / without.ms).toFixed(2)} |`);
  }
} finally {
  await sim.stop();
}
console.log(`k fence_compute status at once, Keystone login ${LOGIN_MS} ms (simulator), ${new Date().toISOString()}`);
console.log('| k | logins, no cache | logins, cache | ratio | wall, no cache | wall, cache | ratio |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
