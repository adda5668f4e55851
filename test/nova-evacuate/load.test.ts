import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgent } from '../helpers/run.ts';
import { attrd, evacuationsInNova, ledger, peakInFlight, uniqueHost, until } from '../helpers/evacuation/harness.ts';
import { startSimulator, type CallRecord, type Simulator } from '../simulator/index.ts';

// Load: one NovaEvacuate worker process (the built agent) evacuating four hosts of 1,000
// instances each at once. Its in-flight evacuate requests stay within `concurrency` (measured
// from the simulator's call log) and its peak RSS within the budget in docs/fault-matrix.md.

const HOSTS = 4;
const PER_HOST = 1000;
const CONCURRENCY = 32;
/** The documented budget for the worker's peak resident memory (VmHWM). */
const RSS_BUDGET_MB = 512;


/** kB figures of /proc/<pid>/status, in MB. */
function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

describe('load: 4 hosts × 1,000 instances at once, one worker', () => {
  let sim: Simulator;
  const dir = mkdtempSync(join(tmpdir(), 'ihaa-load-'));
  const failed = Array.from({ length: HOSTS }, () => uniqueHost('load'));
  const env = () => ({
    ...process.env, OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: 'nova-evacuate-load', HA_RSCTMP: join(dir, 'rsc'),
    OCF_RESKEY_auth_url: sim.authUrl, OCF_RESKEY_username: 'admin', OCF_RESKEY_password: 'admin-pw', OCF_RESKEY_tenant_name: 'admin',
    OCF_RESKEY_endpoint_type: 'publicURL', OCF_RESKEY_require_fencing: '0', OCF_RESKEY_poll_interval: '0.3',
    OCF_RESKEY_concurrency: String(CONCURRENCY), OCF_RESKEY_event_log: join(dir, 'events.jsonl'), OCF_RESKEY_CRM_meta_timeout: '20000',
  } as Record<string, string>);
  const agent = (action: string) => runAgent('NovaEvacuate', [action], { env: env(), timeoutMs: 60_000 });

  afterAll(async () => {
    await agent('stop');
    await sim?.stop();
    for (const h of failed) {
      await attrd.remove('evacuate', { node: h, private: true }).catch(() => {});
      await ledger.remove(h).catch(() => {});
    }
  });

  it('every instance evacuated once, in-flight ≤ concurrency, peak RSS within the budget', async () => {
    // 50 ms per answer: requests overlap, so the bound is what limits them.
    sim = await startSimulator({ rebuildMs: 100, latencyMs: 50 });
    for (const h of failed) sim.model.addCompute(h);
    for (let i = 0; i < 3 * HOSTS; i++) sim.model.addCompute(uniqueHost('spare'));
    const ids = failed.flatMap((h) => Array.from({ length: PER_HOST }, () => sim.model.addServer({ host: h }).id));
    expect((await agent('start')).code).toBe(0);
    const pid = Number(/"pid":(\d+)/.exec(readFileSync(join(dir, 'rsc', 'NovaEvacuate-nova-evacuate-load.worker'), 'utf8'))?.[1]);
    const idle = memoryMb(pid);
    const t0 = Date.now();
    for (const h of failed) {
      sim.model.crash(h);
      sim.model.forceDown(h);
      sim.model.disable(h, 'instance-ha: fenced at load test');
      await ledger.set({ host: h, phase: 'pending', since: Date.now() / 1000 });
    }
    await Promise.all(failed.map((h) => attrd.update('evacuate', 'yes', { node: h, private: true })));
    let sampled = idle.rss;
    const sampler = setInterval(() => { try { sampled = Math.max(sampled, memoryMb(pid).rss); } catch { /* gone */ } }, 200);
    try {
      await until('every host done', async () => (await ledger.all()).filter((e) => failed.includes(e.host) && e.phase === 'done').length === HOSTS, 55_000);
    } finally {
      clearInterval(sampler);
    }
    const seconds = (Date.now() - t0) / 1000;
    const { peak } = memoryMb(pid);
    const inNova = evacuationsInNova(sim);
    expect(ids.filter((id) => inNova.get(id) !== 1)).toEqual([]);
    const posts = sim.calls.filter('POST', /\/servers\/[^/]+\/action$/);
    const inFlight = peakInFlight(posts);
    console.log(`load: ${ids.length} instances on ${HOSTS} hosts in ${seconds.toFixed(1)} s; ${posts.length} evacuate requests, ` +
      `peak in flight ${inFlight} (bound ${CONCURRENCY}); worker RSS idle ${idle.rss.toFixed(0)} MB, sampled max ${sampled.toFixed(0)} MB, ` +
      `VmHWM ${peak.toFixed(0)} MB (budget ${RSS_BUDGET_MB} MB)`);
    expect(inFlight).toBeLessThanOrEqual(CONCURRENCY);
    expect(inFlight).toBeGreaterThan(CONCURRENCY / 2);
    expect(peak).toBeLessThanOrEqual(RSS_BUDGET_MB);
  }, 90_000);
});
