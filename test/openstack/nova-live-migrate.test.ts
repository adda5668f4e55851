import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, HttpError } from '../../lib/http.ts';
import { Keystone } from '../../lib/openstack/keystone.ts';
import { Microversion } from '../../lib/openstack/microversion.ts';
import { Nova } from '../../lib/openstack/nova.ts';
import { evacuateBody, liveMigrateBody } from '../../lib/openstack/nova-actions.ts';
import { ServiceEndpoint } from '../../lib/openstack/service.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';

const mv = (v: string) => Microversion.parse(v);

describe('os-migrateLive bodies per microversion (Nova\'s schemas)', () => {
  it.each([
    ['2.93', {}, { host: null, block_migration: 'auto' }],
    ['2.68', { host: 'c2' }, { host: 'c2', block_migration: 'auto' }],
    ['2.30', { host: 'c2', blockMigration: true }, { host: 'c2', block_migration: true }], // never force: the scheduler checks the host
    ['2.25', { blockMigration: false }, { host: null, block_migration: false }],
    ['2.24', {}, { host: null, block_migration: false, disk_over_commit: false }], // no 'auto' before 2.25
    ['2.1', { host: 'c3', blockMigration: true }, { host: 'c3', block_migration: true, disk_over_commit: false }],
  ] as const)('%s %j', (v, options, body) => {
    expect(liveMigrateBody(mv(v), options)).toEqual({ 'os-migrateLive': body });
  });

  it('evacuate keeps its bodies', () => {
    expect(evacuateBody(mv('2.13'), { host: 'c2' })).toEqual({ evacuate: { host: 'c2', onSharedStorage: false } });
    expect(evacuateBody(mv('2.93'), { onSharedStorage: true })).toEqual({ evacuate: {} });
  });
});

describe('Nova.liveMigrate against the simulator', () => {
  let sim: Simulator;
  let endpoint: ServiceEndpoint;
  const nova = (wanted?: string) => new Nova(endpoint, wanted);
  beforeAll(async () => {
    sim = await startSimulator({ maxMicroversion: '2.93', liveMigrationMs: 100 });
    for (const h of ['compute-0', 'compute-1', 'compute-2']) sim.model.addCompute(h);
    const keystone = new Keystone({ authUrl: sim.authUrl, username: 'admin', password: 'admin-pw', projectName: 'admin',
      userDomainName: 'Default', projectDomainName: 'Default', interface: 'public', insecure: false, timeoutMs: 5000 }, new HttpClient({ timeoutMs: 5000 }));
    endpoint = new ServiceEndpoint(keystone, 'compute');
  });
  afterAll(() => sim.stop());
  const lastBody = () => sim.calls.filter('POST', /\/action$/).at(-1);

  it('sends host null at the negotiated maximum, once, and returns the microversion used', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    const since = new Date(Date.now() - 1000);
    expect((await nova().liveMigrate(s.id)).toString()).toBe('2.93');
    expect(lastBody()).toMatchObject({ microversion: '2.93', status: 202, body: { 'os-migrateLive': { host: null, block_migration: 'auto' } } });
    for (let i = 0; i < 100 && s.host === 'compute-0'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(s.host).not.toBe('compute-0');
    const [m] = await nova().migrations({ host: 'compute-0', type: 'live-migration', since });
    expect(m).toMatchObject({ instanceUuid: s.id, sourceCompute: 'compute-0', destCompute: s.host, migrationType: 'live-migration' });
    expect(await nova().migrations({ host: 'compute-0', type: 'evacuation', since })).toEqual([]);
  });

  it('honours a named host, a cap and an older Nova', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    expect((await nova().liveMigrate(s.id, { host: 'compute-2', maxMicroversion: '2.60' })).toString()).toBe('2.60');
    expect(lastBody()).toMatchObject({ microversion: '2.60', body: { 'os-migrateLive': { host: 'compute-2', block_migration: 'auto' } } });
    const t = sim.model.addServer({ host: 'compute-0' });
    expect((await nova('2.24').liveMigrate(t.id, { blockMigration: 'auto' })).toString()).toBe('2.24');
    expect(lastBody()).toMatchObject({ status: 202, body: { 'os-migrateLive': { host: null, block_migration: false, disk_over_commit: false } } });
  });

  it('throws Nova\'s refusals as HttpError with the status: 409 for a SHUTOFF server (it cannot move live), 400 for an unknown host', async () => {
    const off = sim.model.addServer({ host: 'compute-0', status: 'SHUTOFF' });
    const e409 = await nova().liveMigrate(off.id).catch((e: unknown) => e);
    expect(e409).toBeInstanceOf(HttpError);
    expect([(e409 as HttpError).status, (e409 as HttpError).message])
      .toEqual([409, `Nova: live-migrate server ${off.id}: HTTP 409: Cannot 'os-migrateLive' instance ${off.id} while it is in vm_state stopped (POST ${await endpoint.url()}/servers/${off.id}/action)`]);
    const s = sim.model.addServer({ host: 'compute-0' });
    await expect(nova().liveMigrate(s.id, { host: 'nope' })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('Compute host nope could not be found.') });
    // a POST is never retried, also not on a 503
    sim.faults.add({ kind: 'status', status: 503, requestBody: /os-migrateLive/, count: 1 });
    const before = sim.calls.filter('POST', /\/action$/).length;
    await expect(nova().liveMigrate(s.id)).rejects.toMatchObject({ status: 503 });
    expect(sim.calls.filter('POST', /\/action$/).length).toBe(before + 1);
  });
});
