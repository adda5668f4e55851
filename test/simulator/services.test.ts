import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from './index.ts';
import type { Simulator } from './index.ts';
import { nova, sleep } from './test-client.ts';

describe('simulated Nova os-services', () => {
  let sim: Simulator;
  beforeEach(async () => {
    await sim?.stop();
    sim = await startSimulator();
    sim.model.addCompute('compute-0');
    sim.model.addCompute('compute-1');
  });
  afterAll(() => sim.stop());

  const computes = async (mv: string, query = '') =>
    (await nova(sim, 'GET', `/os-services?binary=nova-compute${query}`, { mv })).body.services;

  it('shows integer ids and no forced_down at 2.1', async () => {
    const [s] = await computes('2.1', '&host=compute-0');
    expect(s).toEqual({ binary: 'nova-compute', host: 'compute-0', id: sim.model.compute('compute-0').id, zone: 'nova',
      status: 'enabled', state: 'up', updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/),
      disabled_reason: null });
  });

  it('adds forced_down at 2.11 and switches to uuids at 2.53', async () => {
    expect((await computes('2.11'))[0]).toMatchObject({ id: expect.any(Number), forced_down: false });
    expect((await computes('2.53'))[0]).toMatchObject({ id: sim.model.compute('compute-0').uuid, forced_down: false });
  });

  it('lists control services too, and filters by host and binary', async () => {
    const all = (await nova(sim, 'GET', '/os-services')).body.services;
    expect(all.map((s: { binary: string }) => s.binary)).toEqual(['nova-scheduler', 'nova-conductor', 'nova-compute', 'nova-compute']);
    expect(await computes('2.53', '&host=nope')).toEqual([]);
  });

  it('reports down when crashed or forced down, after service_down_time if set', async () => {
    sim.model.crash('compute-0');
    expect((await computes('2.11', '&host=compute-0'))[0]).toMatchObject({ state: 'down', forced_down: false });
    sim.model.recover('compute-0');
    sim.model.forceDown('compute-0');
    expect((await computes('2.11', '&host=compute-0'))[0]).toMatchObject({ state: 'down', forced_down: true });
    sim.model.timing.serviceDownTimeMs = 100;
    sim.model.crash('compute-1');
    expect((await computes('2.11', '&host=compute-1'))[0].state).toBe('up');
    await sleep(120);
    expect((await computes('2.11', '&host=compute-1'))[0].state).toBe('down');
  });

  it('updates by uuid from 2.53 with Nova\'s body rules', async () => {
    const uuid = sim.model.compute('compute-0').uuid;
    const put = (body: unknown, id = uuid) => nova(sim, 'PUT', `/os-services/${id}`, { mv: '2.53', body });
    const down = await put({ forced_down: true });
    expect(down.status).toBe(200);
    expect(down.body.service).toMatchObject({ id: uuid, host: 'compute-0', state: 'down', forced_down: true, status: 'enabled' });
    const disabled = await put({ status: 'disabled', disabled_reason: 'fenced' });
    expect(disabled.body.service).toMatchObject({ status: 'disabled', disabled_reason: 'fenced' });
    const enabled = await put({ status: 'enabled' });
    expect(enabled.body.service).toMatchObject({ status: 'enabled', disabled_reason: null });
    const bad = await put({ status: 'enabled', disabled_reason: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.badRequest.message).toBe("Specifying 'disabled_reason' with status 'enabled' is invalid.");
    expect((await put({})).status).toBe(400);
    expect((await put({ forced_down: 'maybe' })).status).toBe(400);
    const unknown = await put({ forced_down: true }, '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.itemNotFound.message).toBe('Service 00000000-0000-4000-8000-000000000000 could not be found.');
    const scheduler = [...sim.model.services.values()].find((s) => s.binary === 'nova-scheduler');
    expect((await put({ status: 'disabled' }, scheduler?.uuid)).status).toBe(400);
  });

  it('supports the old {host, binary} actions below 2.53 with Nova\'s bodies', async () => {
    const host = { host: 'compute-0', binary: 'nova-compute' };
    const fd = await nova(sim, 'PUT', '/os-services/force-down', { mv: '2.11', body: { ...host, forced_down: true } });
    expect(fd.body).toEqual({ service: { ...host, forced_down: true } });
    expect(sim.model.compute('compute-0').forcedDown).toBe(true);
    const dis = await nova(sim, 'PUT', '/os-services/disable', { mv: '2.11', body: host });
    expect(dis.body).toEqual({ service: { ...host, status: 'disabled' } });
    const why = await nova(sim, 'PUT', '/os-services/disable-log-reason', { mv: '2.1', body: { ...host, disabled_reason: 'r' } });
    expect(why.body).toEqual({ service: { ...host, status: 'disabled', disabled_reason: 'r' } });
    const en = await nova(sim, 'PUT', '/os-services/enable', { mv: '2.1', body: host });
    expect(en.body).toEqual({ service: { ...host, status: 'enabled' } });
    expect(sim.model.compute('compute-0')).toMatchObject({ disabled: false, disabledReason: null });
    const unknownHost = await nova(sim, 'PUT', '/os-services/disable', { mv: '2.1', body: { ...host, host: 'nope' } });
    expect(unknownHost.status).toBe(404);
  });

  it('rejects each API style at the other style\'s microversions', async () => {
    const host = { host: 'compute-0', binary: 'nova-compute' };
    const at21 = await nova(sim, 'PUT', '/os-services/force-down', { mv: '2.1', body: { ...host, forced_down: true } });
    expect(at21.body).toEqual({ badRequest: { code: 400, message: "Additional properties are not allowed ('forced_down' was unexpected)" } });
    const at253 = await nova(sim, 'PUT', '/os-services/force-down', { mv: '2.53', body: { ...host, forced_down: true } });
    expect(at253.body.badRequest.message).toBe("Additional properties are not allowed ('binary', 'host' were unexpected)");
    const disable253 = await nova(sim, 'PUT', '/os-services/disable', { mv: '2.53', body: { status: 'disabled' } });
    expect(disable253.status).toBe(400);
    const uuid = sim.model.compute('compute-0').uuid;
    const uuidAt21 = await nova(sim, 'PUT', `/os-services/${uuid}`, { mv: '2.1', body: { forced_down: true } });
    expect(uuidAt21.body.badRequest.message).toBe("'host' is a required property");
    const unknownAction = await nova(sim, 'PUT', `/os-services/${uuid}`, { mv: '2.11', body: host });
    expect(unknownAction.status).toBe(404);
  });

  it('refuses to force a host up while done evacuations remain, until it restarts', async () => {
    sim.model.forceDown('compute-0');
    sim.model.addMigration({ instanceUuid: 'x', sourceCompute: 'compute-0', status: 'done' });
    const uuid = sim.model.compute('compute-0').uuid;
    const r = await nova(sim, 'PUT', `/os-services/${uuid}`, { mv: '2.53', body: { forced_down: false } });
    expect(r.status).toBe(400);
    expect(r.body.badRequest.message).toMatch(/^Unable to force up host compute-0 as `done` evacuation migration records remain/);
    const old = await nova(sim, 'PUT', '/os-services/force-down', { mv: '2.11',
      body: { host: 'compute-0', binary: 'nova-compute', forced_down: false } });
    expect(old.status).toBe(400);
    sim.model.recover('compute-0');
    expect((await nova(sim, 'PUT', `/os-services/${uuid}`, { mv: '2.53', body: { forced_down: false } })).status).toBe(200);
  });

  it('is admin only', async () => {
    const r = await nova(sim, 'GET', '/os-services', { token: sim.token('demo', 'demo') });
    expect(r.status).toBe(403);
    expect(r.body.forbidden.message).toBe("Policy doesn't allow os_compute_api:os-services:list to be performed.");
  });
});
