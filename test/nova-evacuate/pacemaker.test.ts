import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../helpers/run.ts';
import { OCF_NOVA_EVACUATE, linkOcfNovaEvacuate, lockSystemPaths, unlockSystemPaths } from '../helpers/system-lock.ts';
import { acceptedEvacuations, attrd, ledger, uniqueHost } from '../helpers/evacuation/harness.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';

// NovaEvacuate started, monitored and stopped by Pacemaker itself. Under Pacemaker every agent
// gets OCF_RESKEY_CRM_meta_on_node, which makes attrd_updater -A answer for one node only: the
// reference agent, run this way, never sees marks of other nodes (and evacuates nothing).

const RSC = 'ihaa-nova-evacuate';
let sim: Simulator;
let dir: string;
const hosts = [uniqueHost('pm'), uniqueHost('pm'), uniqueHost('pm')];

async function until(what: string, cond: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
const running = async () => /is running on/.test((await run('crm_resource', ['--resource', RSC, '--locate'])).stdout);

describe('NovaEvacuate run by Pacemaker', () => {
  beforeAll(async () => {
    await lockSystemPaths();
    linkOcfNovaEvacuate();
    await run('crm', ['configure', 'delete', '--force', RSC]);
    sim = await startSimulator({ rebuildMs: 200 });
    for (const h of hosts) sim.model.addCompute(h);
    dir = mkdtempSync(join(tmpdir(), 'ihaa-pm-'));
    const params = [`auth_url=${sim.authUrl}`, 'username=admin', 'password=admin-pw', 'tenant_name=admin', 'endpoint_type=publicURL',
      'require_fencing=0', 'poll_interval=0.5', `event_log=${join(dir, 'events.jsonl')}`];
    const r = await run('crm', ['configure', 'primitive', RSC, 'ocf:openstack:NovaEvacuate', 'params', ...params,
      'op', 'start', 'timeout=20s', 'op', 'stop', 'timeout=30s', 'op', 'monitor', 'interval=5s', 'timeout=20s']);
    expect(r.code, r.stderr).toBe(0);
    await until('the resource to run', running);
  }, 120_000);
  afterAll(async () => {
    await run('crm', ['resource', 'stop', RSC]);
    await until('the resource to stop', async () => !(await running()), 60_000).catch(() => {});
    await run('crm', ['configure', 'delete', '--force', RSC]);
    rmSync(OCF_NOVA_EVACUATE, { force: true });
    unlockSystemPaths();
    await sim.stop();
    for (const h of hosts) {
      await attrd.remove('evacuate', { node: h, private: true }).catch(() => {});
      await ledger.remove(h).catch(() => {});
    }
  }, 120_000);

  it('sees marks for other nodes and evacuates them exactly once', async () => {
    const failed = hosts[0]!;
    const ids = Array.from({ length: 8 }, () => sim.model.addServer({ host: failed }).id);
    sim.model.crash(failed);
    sim.model.forceDown(failed);
    sim.model.disable(failed, 'instance-ha: fenced at test');
    await ledger.set({ host: failed, phase: 'pending', since: Date.now() / 1000 });
    await attrd.update('evacuate', 'yes', { node: failed, private: true });
    await until('the evacuation', async () => (await ledger.get(failed))?.phase === 'done');
    const accepted = acceptedEvacuations(sim);
    expect(ids.map((id) => accepted.get(id))).toEqual(ids.map(() => 1));
    expect(await attrd.query('evacuate', failed)).toBe('no');
    const events = readFileSync(join(dir, 'events.jsonl'), 'utf8');
    expect(events).toContain('"event":"host-done"');
    // The resource is healthy in Pacemaker's eyes throughout.
    expect((await run('crm_mon', ['-1', '--output-as=xml'])).stdout).not.toMatch(new RegExp(`<failure[^>]*op_key="${RSC}_monitor`));
  }, 90_000);
});
