import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from './index.ts';
import type { Simulator } from './index.ts';
import { nova, sleep, waitFor } from './test-client.ts';

describe('simulated evacuation', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ rebuildMs: 100 });
    for (const h of ['compute-0', 'compute-1', 'compute-2']) sim.model.addCompute(h);
  });
  afterEach(() => sim.stop());

  const fail = (host: string) => {
    sim.model.crash(host);
    sim.model.forceDown(host);
  };
  const evacuate = (id: string, mv: string, body: unknown = {}) =>
    nova(sim, 'POST', `/servers/${id}/action`, { mv, body: { evacuate: body } });
  const show = async (id: string, mv = '2.93') => (await nova(sim, 'GET', `/servers/${id}`, { mv })).body.server;

  it('validates the body per microversion like Nova', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    fail('compute-0');
    const missing = await evacuate(s.id, '2.1');
    expect(missing.body.badRequest.message)
      .toBe("Invalid input for field/attribute evacuate. Value: {}. 'onSharedStorage' is a required property");
    const extra = await evacuate(s.id, '2.14', { onSharedStorage: false });
    expect(extra.body.badRequest.message).toBe("Invalid input for field/attribute evacuate. Value: {'onSharedStorage': False}. "
      + "Additional properties are not allowed ('onSharedStorage' was unexpected)");
    const force68 = await evacuate(s.id, '2.68', { force: true });
    expect(force68.body.badRequest.message).toContain("('force' was unexpected)");
    const force13 = await evacuate(s.id, '2.13', { onSharedStorage: true, force: true });
    expect(force13.status).toBe(400);
    const noHost = await evacuate(s.id, '2.29', { force: true });
    expect(noHost.body.badRequest.message).toBe("Can't force to a non-provided destination");
    const badBool = await evacuate(s.id, '2.1', { onSharedStorage: 'maybe' });
    expect(badBool.body.badRequest.message).toMatch(/^Invalid input for field\/attribute onSharedStorage\. Value: maybe\. 'maybe' is not one of/);
    const unknownHost = await evacuate(s.id, '2.93', { host: 'nope' });
    expect(unknownHost.status).toBe(404);
    expect(unknownHost.body.itemNotFound.message).toBe('Compute host nope not found.');
    const same = await evacuate(s.id, '2.93', { host: 'compute-0' });
    expect(same.body.badRequest.message).toBe("The target host can't be the same one.");
    expect((await evacuate('00000000-0000-4000-8000-000000000000', '2.93')).status).toBe(404);
    expect(s.taskState).toBeNull();
  });

  it('refuses while the compute service is up (400 like Zed) and for paused servers (409)', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    const up = await evacuate(s.id, '2.93');
    expect(up.status).toBe(400);
    expect(up.body).toEqual({ badRequest: { code: 400, message: 'Compute service of compute-0 is still in use.' } });
    sim.model.crash('compute-0'); // crashed but not forced down: Nova still sees it up until service_down_time
    sim.model.timing.serviceDownTimeMs = 60_000;
    expect((await evacuate(s.id, '2.93')).status).toBe(400);
    const paused = sim.model.addServer({ host: 'compute-0', status: 'PAUSED' });
    sim.model.forceDown('compute-0');
    const r = await evacuate(paused.id, '2.93');
    expect(r.status).toBe(409);
    expect(r.body.conflictingRequest.message).toBe(`Cannot 'evacuate' instance ${paused.id} while it is in vm_state paused`);
  });

  it('rebuilds asynchronously: REBUILD on the old host first, then moved, with a migration record', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    fail('compute-0');
    const r = await evacuate(s.id, '2.93');
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect(r.headers.get('content-type')).toBe('application/json');
    const first = await show(s.id);
    expect(first).toMatchObject({ status: 'REBUILD', 'OS-EXT-STS:task_state': 'rebuilding', 'OS-EXT-SRV-ATTR:host': 'compute-0' });
    const seen = new Set<string>();
    const final = await waitFor(async () => {
      const v = await show(s.id);
      seen.add(`${v.status}/${v['OS-EXT-STS:task_state']}/${v['OS-EXT-SRV-ATTR:host']}`);
      return v['OS-EXT-SRV-ATTR:host'] !== 'compute-0' ? v : undefined;
    });
    expect(final).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:task_state': null, 'OS-EXT-SRV-ATTR:host': 'compute-1',
      'OS-EXT-SRV-ATTR:hypervisor_hostname': 'compute-1' });
    expect(seen).toContain('REBUILD/rebuild_spawning/compute-0');
    expect(seen).toContain('ACTIVE/null/compute-0'); // like Zed: settled before the host moves
    const migrations = (await nova(sim, 'GET', `/os-migrations?instance_uuid=${s.id}`, { mv: '2.59' })).body.migrations;
    expect(migrations).toMatchObject([{ migration_type: 'evacuation', status: 'done', source_compute: 'compute-0',
      dest_compute: 'compute-1' }]);
    expect(sim.calls.evacuations(s.id).map((c) => c.status)).toEqual([200]);
  });

  it('returns adminPass below 2.14 and honours a requested host', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    fail('compute-0');
    const r = await evacuate(s.id, '2.1', { onSharedStorage: false, host: 'compute-2' });
    expect(r.body).toEqual({ adminPass: expect.stringMatching(/^\w{12}$/) });
    await waitFor(() => (s.host === 'compute-2' && s.taskState === null ? true : undefined));
    const shared = sim.model.addServer({ host: 'compute-0' });
    expect((await evacuate(shared.id, '2.1', { onSharedStorage: true })).body).toEqual({ adminPass: null });
  });

  it('keeps SHUTOFF servers SHUTOFF, and stops every evacuated server from 2.95', async () => {
    const off = sim.model.addServer({ host: 'compute-0', status: 'SHUTOFF' });
    const on = sim.model.addServer({ host: 'compute-0' });
    fail('compute-0');
    expect((await evacuate(off.id, '2.93')).status).toBe(200);
    expect((await evacuate(on.id, '2.95')).status).toBe(200);
    await waitFor(() => (off.host !== 'compute-0' && on.host !== 'compute-0' ? true : undefined));
    for (const s of [off, on]) expect(await show(s.id)).toMatchObject({ status: 'SHUTOFF', 'OS-EXT-STS:power_state': 4 });
  });

  it('spreads evacuated servers over the least loaded up, enabled computes', async () => {
    sim.model.addCompute('compute-3', { disabled: true });
    sim.model.addServer({ host: 'compute-2' });
    const servers = [1, 2, 3].map(() => sim.model.addServer({ host: 'compute-0' }));
    fail('compute-0');
    for (const s of servers) expect((await evacuate(s.id, '2.93')).status).toBe(200);
    await waitFor(() => (servers.every((s) => s.taskState === null && s.host !== 'compute-0') ? true : undefined));
    expect(servers.map((s) => s.host).sort()).toEqual(['compute-1', 'compute-1', 'compute-2']);
  });

  it('ends in ERROR with "No valid host" when no compute can take the server', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    fail('compute-0');
    sim.model.disable('compute-1');
    sim.model.crash('compute-2');
    expect((await evacuate(s.id, '2.93')).status).toBe(200);
    const v = await waitFor(async () => { const x = await show(s.id); return x.status === 'ERROR' ? x : undefined; });
    expect(v['OS-EXT-SRV-ATTR:host']).toBe('compute-0');
    expect(v.fault).toMatchObject({ code: 500, message: 'No valid host was found. There are not enough hosts available.' });
    const [m] = (await nova(sim, 'GET', '/os-migrations', { mv: '2.59' })).body.migrations;
    expect(m.status).toBe('error');
  });

  it('simulates rebuilds that fail or hang on the destination', async () => {
    sim.model.compute('compute-1').rebuildOutcome = 'fail';
    sim.model.compute('compute-2').rebuildOutcome = 'hang';
    const a = sim.model.addServer({ host: 'compute-0' });
    const b = sim.model.addServer({ host: 'compute-0' });
    fail('compute-0');
    await evacuate(a.id, '2.93', { host: 'compute-1' });
    await evacuate(b.id, '2.93', { host: 'compute-2' });
    await waitFor(() => (a.vmState === 'error' ? true : undefined));
    expect(a.host).toBe('compute-1');
    await sleep(250);
    expect(b).toMatchObject({ host: 'compute-0', taskState: 'rebuild_spawning' });
  });

  it('lets one server\'s rebuild hang wherever it lands', async () => {
    const stuck = sim.model.addServer({ host: 'compute-0', rebuild: 'hang' });
    const fine = sim.model.addServer({ host: 'compute-0' });
    fail('compute-0');
    await evacuate(stuck.id, '2.93');
    await evacuate(fine.id, '2.93');
    await waitFor(() => (fine.host !== 'compute-0' ? true : undefined));
    await sleep(100);
    expect(stuck).toMatchObject({ host: 'compute-0', taskState: 'rebuild_spawning' });
    expect(fine).toMatchObject({ vmState: 'active', taskState: null });
  });

  it('accepts a second evacuate while one runs and ends broken, like the recorded Zed cloud', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    fail('compute-0');
    expect((await evacuate(s.id, '2.93')).status).toBe(200);
    expect((await evacuate(s.id, '2.93')).status).toBe(200);
    await waitFor(() => (s.host !== 'compute-0' ? true : undefined));
    expect(await show(s.id)).toMatchObject({ status: 'REBUILD', 'OS-EXT-STS:vm_state': 'error',
      'OS-EXT-STS:task_state': 'rebuild_block_device_mapping' });
    const statuses = (await nova(sim, 'GET', `/os-migrations?instance_uuid=${s.id}`, { mv: '2.59' })).body.migrations
      .map((m: { status: string }) => m.status);
    expect(statuses).toEqual(['accepted', 'failed']);
    expect(sim.calls.evacuations(s.id)).toHaveLength(2);
  });

  it('moves done evacuations to completed when the source compute restarts', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    fail('compute-0');
    await evacuate(s.id, '2.93');
    await waitFor(() => ([...sim.model.migrations.values()][0]?.status === 'done' ? true : undefined));
    sim.model.recover('compute-0');
    expect([...sim.model.migrations.values()][0]?.status).toBe('completed');
  });

  it('stop() cancels rebuilds in flight', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    fail('compute-0');
    await evacuate(s.id, '2.93');
    await sim.stop();
    await sleep(150);
    expect(s.host).toBe('compute-0');
  });
});
