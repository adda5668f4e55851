import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, run } from '../helpers/run.ts';
import { DIVERT_FENCE_COMPUTE as DIVERT, OCF_NOVA_EVACUATE, linkOcfNovaEvacuate, lockSystemPaths, unlockSystemPaths } from '../helpers/system-lock.ts';
import { attrd, evacuationsInNova, ledger, uniqueHost, until } from '../helpers/evacuation/harness.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { logSince, logSize } from '../helpers/cluster/cluster-log.ts';

// Passwords kept out of the CIB with Pacemaker's cibsecret: the CIB holds "lrm://", the value
// lives in /var/lib/pacemaker/lrm/secrets/<rsc>/<param>, and Pacemaker (pacemaker-execd for
// resources, pacemaker-fenced for fence devices) substitutes it just before running the agent.
// Proof that our agents got it: the simulated Keystone accepts only the right password.

const NE = 'ihaa-secret-ne';
const FENCE = 'ihaa-secret-fence';
const PASSWORD = 'admin-pw';
let sim: Simulator;
const failed = uniqueHost('cs');
const fenced = uniqueHost('cs');

const cibValue = async (rsc: string, param: string) =>
  /value="([^"]*)"/.exec((await run('cibadmin', ['--query', '--xpath', `//primitive[@id='${rsc}']//nvpair[@name='${param}']`])).stdout)?.[1];
const cibsecret = (...args: string[]) => run('cibsecret', args, { timeoutMs: 60_000 });
/** The test cluster's Pacemaker log (test/helpers/cluster/cluster.sh). */
const keystoneParams = () => [`auth_url=${sim.authUrl}`, 'username=admin', 'tenant_name=admin', 'endpoint_type=publicURL'];

/**
 * cibsecret set. Pacemaker 2.1.5's script writes the secret file, then fails when no other node
 * is live to copy it to (`sync_one` returns 1: "INFO: no other nodes live", "ERROR: set(): failed
 * with rc: 1") before its last step, writing lrm:// into the CIB. On a single node we take that
 * step ourselves, exactly as the script does (crm_resource -p … -v lrm://).
 */
async function storeSecret(rsc: string, value: string): Promise<void> {
  const set = await cibsecret('set', rsc, 'password', value);
  if (set.code !== 0) {
    expect(set.stdout + set.stderr).toMatch(/INFO: no other nodes live\nERROR: set\(\): failed with rc: 1/);
    expect((await run('crm_resource', ['-r', rsc, '-p', 'password', '-v', 'lrm://'])).code).toBe(0);
  }
  expect(readFileSync(`/var/lib/pacemaker/lrm/secrets/${rsc}/password`, 'utf8').trim()).toBe(value);
  expect(await cibValue(rsc, 'password')).toBe('lrm://');
  expect((await cibsecret('check', rsc, 'password')).code).toBe(0);
}

async function removeAll(): Promise<void> {
  for (const rsc of [NE, FENCE]) {
    await cibsecret('delete', rsc, 'password');
    await run('crm', ['configure', 'delete', '--force', rsc]);
  }
}

describe('cibsecret-stored passwords reach our agents', () => {
  beforeAll(async () => {
    await lockSystemPaths();
    linkOcfNovaEvacuate();
    expect((await run('bash', [DIVERT, 'install', join(BIN, 'fence_compute')])).code).toBe(0);
    sim = await startSimulator({ rebuildMs: 100 });
    sim.model.addCompute(failed);
    sim.model.addCompute(fenced);
    sim.model.addCompute(uniqueHost('cs'));
    sim.model.addCompute(uniqueHost('cs'));
    await removeAll();
  }, 120_000);
  afterAll(async () => {
    await run('crm', ['resource', 'stop', NE]);
    await removeAll();
    rmSync(OCF_NOVA_EVACUATE, { force: true });
    await run('bash', [DIVERT, 'restore']);
    unlockSystemPaths();
    await sim?.stop();
    for (const host of [failed, fenced]) {
      await attrd.remove('evacuate', { node: host, private: true }).catch(() => {});
      await ledger.remove(host).catch(() => {});
    }
  }, 120_000);

  it('fence_compute (pacemaker-fenced): the device check and a real fencing work only once cibsecret holds the password', async () => {
    const r = await run('crm', ['configure', 'primitive', FENCE, 'stonith:fence_compute', 'params', ...keystoneParams(), `pcmk_host_list=${fenced}`]);
    expect(r.code, r.stderr).toBe(0);
    // --query: pacemaker-fenced runs the agent's monitor action with the device's parameters.
    const query = () => run('stonith_admin', ['--query', FENCE, '--timeout', '30'], { timeoutMs: 60_000 });
    await until('the device registered', async () => (await run('stonith_admin', ['--list-registered'])).stdout.includes(FENCE), 30_000);
    expect((await query()).code).not.toBe(0);
    await storeSecret(FENCE, PASSWORD);
    await until('the device check passing with the secret', async () => (await query()).code === 0, 30_000);
    const logFrom = logSize();
    const fenceOnce = () => run('stonith_admin', ['--fence', fenced, '--timeout', '60'], { timeoutMs: 90_000 }).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }));
    let fence = await fenceOnce();
    // Pacemaker 2.1.5's pacemaker-fenced can crash (SIGSEGV) when a fencing starts while it
    // re-registers the device after a CIB change (the secret just stored): not our agent's doing.
    // Pacemaker respawns it; the fencing is asked for again, once, and must then succeed.
    if (fence.code !== 0 && /pacemaker-fenced\[\d+\] terminated with signal/.test(logSince(logFrom))) {
      console.log('pacemaker-fenced crashed during the fencing (a Pacemaker bug); asking again');
      fence = await fenceOnce();
    }
    expect(fence.code, fence.stderr).toBe(0);
    const svc = sim.model.compute(fenced);
    expect([svc.forcedDown, svc.disabled]).toEqual([true, true]);
    expect(sim.calls.filter('POST', /auth\/tokens/).some((c) => c.status === 201)).toBe(true);
    expect((await run('cibadmin', ['--query'])).stdout).not.toContain(PASSWORD);
  }, 180_000);

  it('NovaEvacuate (pacemaker-execd): the worker logs in with the secret and evacuates', async () => {
    const ids = Array.from({ length: 3 }, () => sim.model.addServer({ host: failed }).id);
    const loginsBefore = sim.calls.filter('POST', /auth\/tokens/).length;
    const r = await run('crm', ['configure', 'primitive', NE, 'ocf:openstack:NovaEvacuate', 'params', ...keystoneParams(),
      'require_fencing=0', 'poll_interval=0.5', 'meta', 'target-role=Stopped']);
    expect(r.code, r.stderr).toBe(0);
    await storeSecret(NE, PASSWORD);
    expect((await run('crm', ['resource', 'start', NE])).code).toBe(0);
    sim.model.crash(failed);
    sim.model.forceDown(failed);
    sim.model.disable(failed, 'instance-ha: fenced at test');
    await ledger.set({ host: failed, phase: 'pending', since: Date.now() / 1000 });
    await attrd.update('evacuate', 'yes', { node: failed, private: true });
    await until('the evacuation', async () => (await ledger.get(failed))?.phase === 'done', 60_000);
    const inNova = evacuationsInNova(sim);
    expect(ids.map((id) => inNova.get(id))).toEqual([1, 1, 1]);
    const logins = sim.calls.filter('POST', /auth\/tokens/).slice(loginsBefore);
    expect(logins.length).toBeGreaterThan(0);
    expect(logins.every((c) => c.status === 201)).toBe(true);
  }, 120_000);
});
