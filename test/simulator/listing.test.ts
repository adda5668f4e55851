import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './index.ts';
import type { Simulator } from './index.ts';
import { call, glanceUrl, nova } from './test-client.ts';

describe('simulated listings and paging', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
    const m = sim.model;
    m.addCompute('compute-0');
    m.addCompute('compute-1');
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 7; i++) m.addServer({ host: 'compute-0', name: `vm-${i}`, createdAt: new Date(t0 + i * 1000) });
    m.addServer({ host: 'compute-1', name: 'elsewhere' });
    m.addServer({ host: 'compute-0', name: 'mine', tenantId: m.adminProjectId, status: 'SHUTOFF', createdAt: new Date(t0 - 1000) });
  });
  afterAll(() => sim.stop());

  const names = (r: { body: { servers: Array<{ name: string }> } }) => r.body.servers.map((s) => s.name);

  it('pages servers/detail with limit + marker and Nova\'s next links', async () => {
    const seen: string[] = [];
    let url = '/servers/detail?all_tenants=1&host=compute-0&limit=3';
    for (let page = 0; page < 10; page++) {
      const r = await nova(sim, 'GET', url, { mv: '2.93' });
      seen.push(...names(r));
      const next = r.body.servers_links?.find((l: { rel: string }) => l.rel === 'next')?.href;
      if (!next) break;
      expect(next).toMatch(/\/compute\/v2\.1\/servers\/detail\?all_tenants=1&host=compute-0&limit=3&marker=/);
      url = String(next).slice(`${sim.baseUrl}/compute/v2.1`.length);
    }
    // newest first; 8 servers on compute-0 in pages of 3, 3, 2 (no link after the short page)
    expect(seen).toEqual(['vm-6', 'vm-5', 'vm-4', 'vm-3', 'vm-2', 'vm-1', 'vm-0', 'mine']);
  });

  it('adds a next link when a page is full at max_limit even without limit', async () => {
    sim.model.limits.novaMaxLimit = 4;
    try {
      const r = await nova(sim, 'GET', '/servers/detail?all_tenants=1');
      expect(r.body.servers).toHaveLength(4);
      expect(r.body.servers_links[0].href).toContain('all_tenants=1&marker=');
    } finally {
      sim.model.limits.novaMaxLimit = 1000;
    }
  });

  it('filters by project unless all_tenants, by host and by status', async () => {
    expect(names(await nova(sim, 'GET', '/servers/detail'))).toEqual(['mine']);
    expect(names(await nova(sim, 'GET', '/servers/detail?all_tenants=1&host=compute-1'))).toEqual(['elsewhere']);
    expect(names(await nova(sim, 'GET', '/servers/detail?all_tenants=1&status=SHUTOFF'))).toEqual(['mine']);
    const marker = await nova(sim, 'GET', '/servers/detail?all_tenants=1&marker=nope');
    expect(marker.status).toBe(400);
    expect(marker.body.badRequest.message).toBe('Marker nope could not be found.');
    // a non-admin cannot widen its view
    const demo = await nova(sim, 'GET', '/servers?all_tenants=1&host=compute-1', { token: sim.token('demo', 'demo') });
    expect(demo.body.servers).toHaveLength(8);
  });

  it('shows the server fields per microversion', async () => {
    const id = sim.model.serversOn('compute-1')[0]?.id;
    const old = (await nova(sim, 'GET', `/servers/${id}`, { mv: '2.1' })).body.server;
    expect(old.flavor).toEqual({ id: '1', links: [{ rel: 'bookmark', href: `${sim.baseUrl}/compute/flavors/1` }] });
    expect(old).not.toHaveProperty('locked');
    expect(old['OS-EXT-SRV-ATTR:host']).toBe('compute-1');
    const mid = (await nova(sim, 'GET', `/servers/${id}`, { mv: '2.26' })).body.server;
    expect(mid).toMatchObject({ locked: false, tags: [], host_status: 'UP' });
    const now = (await nova(sim, 'GET', `/servers/${id}`, { mv: '2.93' })).body.server;
    expect(now.flavor).toEqual({ vcpus: 1, ram: 512, disk: 1, ephemeral: 0, swap: 0, original_name: 'm1.tiny', extra_specs: {} });
    expect(now).toHaveProperty('server_groups');
    expect((await nova(sim, 'GET', '/servers/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('shows boot-from-volume servers with image ""', async () => {
    const s = sim.model.addServer({ host: 'compute-1', image: null });
    const v = (await nova(sim, 'GET', `/servers/${s.id}`, { mv: '2.3' })).body.server;
    expect(v.image).toBe('');
    expect(v['os-extended-volumes:volumes_attached']).toHaveLength(1);
    sim.model.deleteServer(s.id);
  });

  it('lists flavors by Nova\'s is_public rules and serves extra specs', async () => {
    const m = sim.model;
    m.addFlavor({ id: 'f-pub', name: 'pub', extraSpecs: { evacuable: 'true' } });
    m.addFlavor({ id: 'f-priv-ours', name: 'priv-ours', isPublic: false, projects: ['admin'] });
    m.addFlavor({ id: 'f-priv-other', name: 'priv-other', isPublic: false });
    const ids = async (q: string) => (await nova(sim, 'GET', `/flavors/detail${q}`)).body.flavors.map((f: { id: string }) => f.id);
    expect(await ids('')).toEqual(['1', 'f-priv-ours', 'f-pub']);
    expect(await ids('?is_public=None')).toEqual(['1', 'f-priv-other', 'f-priv-ours', 'f-pub']);
    expect(await ids('?is_public=false')).toEqual(['f-priv-other', 'f-priv-ours']);
    const f = (await nova(sim, 'GET', '/flavors/detail?is_public=None', { mv: '2.1' })).body.flavors[0];
    expect(f.swap).toBe('');
    expect(f).not.toHaveProperty('extra_specs');
    const f61 = (await nova(sim, 'GET', '/flavors/detail?is_public=None', { mv: '2.93' })).body.flavors[0];
    expect(f61).toMatchObject({ swap: 0, extra_specs: {}, description: null });
    expect((await nova(sim, 'GET', '/flavors/f-pub/os-extra_specs')).body).toEqual({ extra_specs: { evacuable: 'true' } });
    expect((await nova(sim, 'GET', '/flavors/nope/os-extra_specs')).status).toBe(404);
    const paged = await nova(sim, 'GET', '/flavors/detail?is_public=None&limit=2');
    expect(paged.body.flavors_links[0].href).toContain('/flavors/detail?is_public=None&limit=2&marker=f-priv-other');
  });

  it('pages Glance images with limit/marker and a relative next link', async () => {
    const m = sim.model;
    m.limits.glanceDefaultLimit = 3;
    for (let i = 0; i < 5; i++) m.addImage({ name: `img-${i}`, tags: i % 2 ? ['evacuable'] : [], properties: { n: String(i) } });
    const token = sim.token();
    const seen: string[] = [];
    let path = '/v2/images';
    for (let page = 0; page < 5 && path; page++) {
      const r = await call(glanceUrl(sim, path), 'GET', { token });
      expect(r.status).toBe(200);
      expect(r.body.schema).toBe('/v2/schemas/images');
      seen.push(...r.body.images.map((i: { name: string }) => i.name));
      path = r.body.next ?? '';
    }
    expect(seen).toEqual(['img-4', 'img-3', 'img-2', 'img-1', 'img-0', 'cirros-0.6.2']);
    const tagged = await call(glanceUrl(sim, '/v2/images?tag=evacuable&limit=10'), 'GET', { token });
    expect(tagged.body.images.map((i: { name: string }) => i.name)).toEqual(['img-3', 'img-1']);
    expect(tagged.body).not.toHaveProperty('next');
    const one = await call(glanceUrl(sim, `/v2/images/${tagged.body.images[0].id}`), 'GET', { token });
    expect(one.body).toMatchObject({ name: 'img-3', tags: ['evacuable'], n: '3', visibility: 'public' });
    const missing = await call(glanceUrl(sim, '/v2/images/nope'), 'GET', { token });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('404 Not Found');
  });

  it('shows hypervisors, aggregates and migrations with their microversion shapes', async () => {
    const m = sim.model;
    m.addAggregate({ name: 'ha', hosts: ['compute-0'], metadata: { evacuable: 'true' } });
    const aggs = (await nova(sim, 'GET', '/os-aggregates', { mv: '2.41' })).body.aggregates;
    expect(aggs[0]).toMatchObject({ name: 'ha', hosts: ['compute-0'], metadata: { evacuable: 'true' }, uuid: expect.any(String) });
    const hv21 = (await nova(sim, 'GET', '/os-hypervisors/detail', { mv: '2.1' })).body.hypervisors[0];
    expect(hv21).toMatchObject({ id: 1, hypervisor_hostname: 'compute-0', cpu_info: expect.any(String), running_vms: 8 });
    const hv93 = (await nova(sim, 'GET', '/os-hypervisors/detail', { mv: '2.93' })).body.hypervisors[0];
    expect(hv93).toMatchObject({ id: m.compute('compute-0').hypervisor.uuid, uptime: null });
    expect(hv93).not.toHaveProperty('running_vms');
    expect((await nova(sim, 'GET', '/os-hypervisors', { mv: '2.53' })).body.hypervisors[1])
      .toEqual({ id: m.compute('compute-1').hypervisor.uuid, hypervisor_hostname: 'compute-1', state: 'up', status: 'enabled' });
    m.addMigration({ instanceUuid: 'a', sourceCompute: 'compute-0', status: 'done', createdAt: new Date(1000) });
    m.addMigration({ instanceUuid: 'b', sourceCompute: 'compute-0', status: 'failed', createdAt: new Date(2000) });
    const q = '/os-migrations?host=compute-0&migration_type=evacuation';
    const v21 = (await nova(sim, 'GET', q, { mv: '2.1' })).body.migrations;
    expect(v21.map((x: { instance_uuid: string }) => x.instance_uuid)).toEqual(['a', 'b']);
    expect(v21[0]).not.toHaveProperty('migration_type');
    expect((await nova(sim, 'GET', q, { mv: '2.23' })).body.migrations[0]).toHaveProperty('migration_type', 'evacuation');
    const v59 = await nova(sim, 'GET', `${q}&limit=1`, { mv: '2.59' });
    expect(v59.body.migrations.map((x: { instance_uuid: string }) => x.instance_uuid)).toEqual(['b']);
    expect(v59.body.migrations_links[0].href).toContain('/os-migrations?host=compute-0&limit=1&migration_type=evacuation&marker=');
    expect((await nova(sim, 'GET', q, { mv: '2.80' })).body.migrations[0]).toHaveProperty('user_id');
  });
});
