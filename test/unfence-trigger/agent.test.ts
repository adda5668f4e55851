import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ocfMetadata } from '../../lib/ocf/metadata.ts';
import { computeUnfenceTrigger } from '../../lib/unfence-trigger/agent.ts';
import { BIN, run, runAgent } from '../helpers/run.ts';
import { attrd, ledger, uniqueHost } from '../helpers/evacuation/harness.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';

// compute-unfence-trigger as Pacemaker runs it on a compute node: built agent, real attrd and
// CIB, and (with credentials) the simulator as Nova.

const DTD = '/usr/share/resource-agents/ra-api-1.dtd';
let sim: Simulator;
let node: string;
let dir: string;

beforeEach(async () => {
  sim = await startSimulator();
  node = uniqueHost('ut');
  sim.model.addCompute(node);
  sim.model.addCompute(uniqueHost('ut'));
  dir = mkdtempSync(join(tmpdir(), 'ihaa-ut-'));
});
afterEach(async () => {
  await sim.stop();
  for (const h of [node, `${node}.example.com`]) {
    await attrd.remove('evacuate', { node: h, private: true }).catch(() => {});
    await ledger.remove(h).catch(() => {});
  }
});

const env = (extra: Record<string, string> = {}) => ({
  ...process.env, OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: 'compute-unfence-trigger:0', HA_RSCTMP: dir,
  OCF_RESKEY_CRM_meta_on_node: node, OCF_RESKEY_CRM_meta_timeout: '20000', OCF_RESKEY_CRM_meta_interval: '10000',
  OCF_RESKEY_poll_interval: '0.3', ...extra,
} as Record<string, string>);
const creds = () => ({ OCF_RESKEY_auth_url: sim.authUrl, OCF_RESKEY_username: 'admin', OCF_RESKEY_password: 'admin-pw',
  OCF_RESKEY_tenant_name: 'admin', OCF_RESKEY_endpoint_type: 'publicURL', OCF_RESKEY_request_timeout: '2' });
const trigger = (action: string, extra?: Record<string, string>) => runAgent('compute-unfence-trigger', [action], { env: env(extra), timeoutMs: 60_000 });
const after = (ms: number, fn: () => Promise<unknown>) => new Promise((r) => setTimeout(r, ms)).then(fn);

describe('compute-unfence-trigger: OCF surface', () => {
  it('meta-data is valid against ra-api-1.dtd', async () => {
    const r = await trigger('meta-data');
    expect(r.stdout).toBe(ocfMetadata(computeUnfenceTrigger).trimEnd());
    const v = await run('xmllint', ['--noout', '--dtdvalid', DTD, '-'], { input: r.stdout });
    expect(v.stderr).not.toMatch(/validity error|parser error/);
    expect(v.code).toBe(0);
  });
  it('ocf-tester passes', async () => {
    const r = await run('ocf-tester', ['-n', 'compute-unfence-trigger', join(BIN, 'compute-unfence-trigger')], { timeoutMs: 120_000 });
    expect(r.stdout + r.stderr).toContain('passed all tests');
    expect(r.code).toBe(0);
  }, 150_000);
});

describe('compute-unfence-trigger without Nova credentials', () => {
  it('start waits while evacuate=yes and succeeds once the evacuation is finished', async () => {
    await attrd.update('evacuate', 'yes', { node, private: true });
    const t0 = Date.now();
    const [r] = await Promise.all([trigger('start'), after(2000, () => attrd.update('evacuate', 'no', { node, private: true }))]);
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    expect(r.stderr).toContain('waiting: evacuate=yes');
    expect((await trigger('monitor')).code).toBe(0);
  });
  it('a wiped mark is no proof: the ledger keeps it waiting until it says done', async () => {
    await ledger.set({ host: node, phase: 'evacuating', since: Date.now() / 1000 });
    const [r] = await Promise.all([trigger('start'), after(1500, () => ledger.set({ host: node, phase: 'done', since: Date.now() / 1000 }))]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('the evacuation ledger says evacuating');
  });
  it('the node name differs from the Nova host name (host_map)', async () => {
    const fqdn = `${node}.example.com`;
    await attrd.update('evacuate', 'yes', { node: fqdn, private: true });
    const [r] = await Promise.all([trigger('start', { OCF_RESKEY_host_map: `${node}:${fqdn}` }), after(1500, () => attrd.update('evacuate', 'no', { node: fqdn, private: true }))]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${fqdn}: waiting`);
  });
  it('fails with a clear reason when its start timeout runs out first', async () => {
    await attrd.update('evacuate', 'yes', { node, private: true });
    const r = await trigger('start', { OCF_RESKEY_CRM_meta_timeout: '5000' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`ocf-exit-reason:${node}: evacuation not finished when the start timeout ran out: evacuate=yes`);
    expect((await trigger('monitor')).code).toBe(7);
  });
  it('stop always succeeds, fast', async () => {
    const t0 = Date.now();
    expect((await trigger('stop')).code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

describe('compute-unfence-trigger with Nova credentials', () => {
  it('keeps waiting while the mark vanished but Nova still shows evacuable instances on the forced-down host', async () => {
    sim.model.forceDown(node);
    sim.model.addServer({ host: node });
    const r = await trigger('start', { ...creds(), OCF_RESKEY_CRM_meta_timeout: '6000' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Nova still shows 1 evacuable instance(s) on it');
    expect(sim.model.compute(node).forcedDown).toBe(true);
  });
  it('a node Nova does not know yet (a new compute) starts at once when nothing is owed, and waits when something is', async () => {
    const fresh = `new-${node}`;
    const env = { ...creds(), OCF_RESKEY_CRM_meta_on_node: fresh, OCF_RESKEY_CRM_meta_timeout: '6000' };
    const r = await trigger('start', env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${fresh}: Nova has no nova-compute service for ${fresh}`);
    await ledger.set({ host: fresh, phase: 'pending', since: Date.now() / 1000 });
    try {
      const owed = await trigger('start', env);
      expect(owed.code).toBe(1);
      expect(owed.stderr).toContain('the evacuation ledger says pending');
    } finally {
      await ledger.remove(fresh);
    }
  });
  it('after start Nova shows the service enabled and not forced down', async () => {
    sim.model.forceDown(node);
    sim.model.disable(node, 'instance-ha: fenced at t');
    await ledger.set({ host: node, phase: 'done', since: Date.now() / 1000 });
    const r = await trigger('start', creds());
    expect(r.code, r.stderr).toBe(0);
    expect(sim.model.compute(node)).toMatchObject({ forcedDown: false, disabled: false });
    expect((await trigger('monitor', creds())).code).toBe(0);
  });
  it('leave_disabled=true leaves it disabled, and monitor returns 0', async () => {
    sim.model.forceDown(node);
    sim.model.disable(node, 'instance-ha: fenced at t');
    await ledger.set({ host: node, phase: 'done', since: Date.now() / 1000 });
    const r = await trigger('start', { ...creds(), OCF_RESKEY_leave_disabled: 'true' });
    expect(r.code, r.stderr).toBe(0);
    expect(sim.model.compute(node)).toMatchObject({ forcedDown: false, disabled: true });
    expect((await trigger('monitor', { ...creds(), OCF_RESKEY_leave_disabled: 'true' })).code).toBe(0);
  });
  it('monitor returns 190 (DEGRADED) while Nova still has the node forced down, 0 once Nova lets it go', async () => {
    // Nova Zed refuses to unset force-down while 'done' evacuation records of the host remain,
    // until nova-compute has started there once.
    sim.model.crash(node);
    sim.model.forceDown(node);
    sim.model.disable(node, 'instance-ha: fenced at t');
    sim.model.addMigration({ instanceUuid: '8b0e2a8e-0000-4000-8000-000000000001', sourceCompute: node, migrationType: 'evacuation', status: 'done' });
    await ledger.set({ host: node, phase: 'done', since: Date.now() / 1000 });
    const started = await trigger('start', creds());
    expect(started.code, started.stderr).toBe(0);
    expect(started.stderr).toContain('Nova keeps it forced down until nova-compute has started');
    expect(sim.model.compute(node)).toMatchObject({ forcedDown: true, disabled: false });
    const m = await trigger('monitor', creds());
    expect(m.code).toBe(190);
    expect(m.stderr).toContain('forced down');
    sim.model.recover(node); // nova-compute started (after the trigger) and completed the records
    expect((await trigger('monitor', creds())).code).toBe(0);
    expect(sim.model.compute(node).forcedDown).toBe(false);
    // In service now: later monitors ask nobody.
    const calls = sim.calls.all.length;
    expect((await trigger('monitor', creds())).code).toBe(0);
    expect(sim.calls.all.length).toBe(calls);
  });
  it('in service after start: the monitor makes no request at all (no Keystone login, no Nova call)', async () => {
    sim.model.forceDown(node);
    sim.model.disable(node, 'instance-ha: fenced at t');
    await ledger.set({ host: node, phase: 'done', since: Date.now() / 1000 });
    expect((await trigger('start', creds())).code).toBe(0);
    const calls = sim.calls.all.length;
    for (let i = 0; i < 3; i++) expect((await trigger('monitor', creds())).code).toBe(0);
    expect(sim.calls.all.length).toBe(calls);
  });
  it('stop succeeds with Nova down', async () => {
    expect((await trigger('start', creds())).code).toBe(0);
    await sim.stop();
    const r = await trigger('stop', creds());
    expect(r.code).toBe(0);
    sim = await startSimulator();
  });
});
