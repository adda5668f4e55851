import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Attrd } from '../../lib/pacemaker/attrd.ts';
import { Ledger } from '../../lib/pacemaker/ledger.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { runAgent } from '../helpers/run.ts';

// instance-ha maintenance start/end: the built command against the simulator (live migration)
// and the test cluster's attrd and CIB. The test cluster has no pacemaker_remote node: the
// cluster half (the node's connection stopped and started) runs in the e2e suite.

const attrd = new Attrd();
const ledger = new Ledger();
let sim: Simulator;
let host: string;
let others: string[];
const unique = () => `mnt-${randomBytes(3).toString('hex')}`;
const env = () => ({ PATH: process.env.PATH ?? '', OS_AUTH_URL: sim.authUrl, OS_USERNAME: 'admin', OS_PASSWORD: 'admin-pw', OS_PROJECT_NAME: 'admin', OS_INTERFACE: 'public', OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default' });
const iha = (args: string[]) => runAgent('instance-ha', args, { env: env(), timeoutMs: 120_000 });
const hostOf = (id: string) => sim.model.servers.get(id)?.host;

beforeEach(async () => {
  sim = await startSimulator({ rebuildMs: 50 });
  host = unique();
  others = [unique(), unique()];
  for (const h of [host, ...others]) sim.model.addCompute(h);
});
afterEach(async () => {
  await sim.stop();
  await ledger.remove(host).catch(() => {});
  await attrd.remove('evacuate', { node: host, private: true }).catch(() => {});
});

describe('instance-ha maintenance', () => {
  it('start drains every instance by live migration (one line each off a terminal), holds the host; end enables it and returns them', async () => {
    const ids = Array.from({ length: 6 }, () => sim.model.addServer({ host }).id);
    const r = await iha(['maintenance', 'start', host, '--reason', 'disk swap']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const id of ids) expect(r.stdout).toContain(`${id}: done:`);
    expect(r.stdout).toContain('not a pacemaker_remote node of this cluster');
    for (const id of ids) expect(others).toContain(hostOf(id));
    expect(sim.calls.count('POST', /\/action$/)).toBe(6);
    expect(sim.model.compute(host)).toMatchObject({ disabled: true, disabledReason: expect.stringMatching(/^instance-ha-maintenance: disk swap \(by /) });
    expect(await ledger.get(host)).toMatchObject({ phase: 'maintenance' });
    expect((await ledger.movedAway(host)).sort()).toEqual([...ids].sort());
    const status = JSON.parse((await runAgent('instance-ha', ['status', '--json'])).stdout) as { host: string; phase: string }[];
    expect(status.find((s) => s.host === host)?.phase).toBe('maintenance');

    const end = await iha(['maintenance', 'end', host, '--return-instances']);
    expect(end.code, end.stdout + end.stderr).toBe(0);
    expect(sim.model.compute(host)).toMatchObject({ disabled: false });
    for (const id of ids) expect(hostOf(id)).toBe(host);
    expect(await ledger.get(host)).toMatchObject({ phase: 'done' });
    expect(await ledger.movedAway(host)).toEqual([]);
  });
  it('a fencing during the maintenance (the node put back and lost) closed its ledger entry: end still ends it; while that evacuation is open it refuses (5)', async () => {
    const ids = [sim.model.addServer({ host }).id, sim.model.addServer({ host }).id];
    expect((await iha(['maintenance', 'start', host])).code).toBe(0);
    await ledger.set({ host, phase: 'pending', since: Date.now() / 1000, by: 'fence_compute on vm' });
    const refused = await iha(['maintenance', 'end', host]);
    expect(refused.code).toBe(5);
    expect(refused.stderr.trim().split('\n')).toEqual([`instance-ha: ${host} was fenced during its maintenance and its evacuation is pending: it must finish first (instance-ha status ${host})`]);
    expect(sim.model.compute(host)).toMatchObject({ disabled: true });
    await ledger.set({ host, phase: 'done', since: Date.now() / 1000, by: 'vm' });
    // fence_compute writes its yes before the ledger entry: that window is refused too
    await attrd.update('evacuate', 'yes', { node: host, private: true });
    const marked = await iha(['maintenance', 'end', host]);
    expect(marked.code).toBe(5);
    expect(marked.stderr.trim().split('\n')).toEqual([`instance-ha: ${host} is being fenced or evacuated (evacuate=yes): it must finish first (instance-ha status ${host})`]);
    await attrd.update('evacuate', 'no', { node: host, private: true });
    const end = await iha(['maintenance', 'end', host, '--return-instances']);
    expect(end.code, end.stdout + end.stderr).toBe(0);
    expect(end.stdout).toContain(`${host}: its maintenance was interrupted by a fencing (ledger: done)`);
    expect(sim.model.compute(host)).toMatchObject({ disabled: false });
    for (const id of ids) expect(hostOf(id)).toBe(host);
    expect(await ledger.get(host)).toMatchObject({ phase: 'done' });
  });
  it('an instance that cannot move live is listed with the reason; exit 4, the host stays in maintenance', async () => {
    const off = sim.model.addServer({ host, status: 'SHUTOFF' }).id;
    const on = sim.model.addServer({ host }).id;
    const r = await iha(['maintenance', 'start', host]);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain(`${off} `);
    expect(r.stdout).toMatch(new RegExp(`${off} .*Nova cannot live-migrate a SHUTOFF instance`));
    expect(hostOf(on)).not.toBe(host);
    expect(hostOf(off)).toBe(host);
    expect(await ledger.get(host)).toMatchObject({ phase: 'maintenance' });
    expect(await ledger.movedAway(host)).toEqual([on]);
    // forget: nothing of the host is left, not even what left it
    expect((await runAgent('instance-ha', ['forget', host])).code).toBe(0);
    expect([await ledger.get(host), await ledger.movedAway(host)]).toEqual([undefined, []]);
  });
  it('bad input: an unknown host (1), a host marked for evacuation (5), end when not in maintenance (3), Keystone down (1): one line each, nothing changed', async () => {
    const unknown = await iha(['maintenance', 'start', 'no-such-host']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toEqual(['instance-ha: Nova has no nova-compute service for no-such-host']);
    await attrd.update('evacuate', 'yes', { node: host, private: true });
    const marked = await iha(['maintenance', 'start', host]);
    expect(marked.code).toBe(5);
    expect(marked.stderr).toContain('is marked for evacuation');
    expect(sim.model.compute(host).disabled).toBe(false);
    const notIn = await iha(['maintenance', 'end', host]);
    expect(notIn.code).toBe(3);
    expect(notIn.stderr.trim()).toBe(`instance-ha: ${host} is not in maintenance (ledger: no entry)`);
    sim.faults.add({ kind: 'status', status: 503, path: /\/v3\/auth\/tokens/ });
    const down = await iha(['maintenance', 'start', host]);
    expect(down.code).toBe(1);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    expect(down.stderr).not.toContain('admin-pw');
  });
});
