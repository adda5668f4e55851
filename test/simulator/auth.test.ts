import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './index.ts';
import type { Simulator } from './index.ts';
import { call, glanceUrl, novaUrl, passwordAuth, sleep } from './test-client.ts';

describe('simulated Keystone', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.stop());

  const tokens = (body: unknown) => call(`${sim.authUrl}/auth/tokens`, 'POST', { body });

  it('serves the version documents like Keystone (300 at the root, 200 at /v3)', async () => {
    const root = await call(`${sim.baseUrl}/identity`);
    expect(root.status).toBe(300);
    expect(root.headers.get('location')).toBe(`${sim.baseUrl}/identity/v3/`);
    expect(root.body.versions.values[0].id).toBe('v3.14');
    const v3 = await call(sim.authUrl);
    expect(v3.status).toBe(200);
    expect(v3.body.version.links[0].href).toBe(`${sim.authUrl}/`);
  });

  it('issues a project-scoped token for name + domain name, with the catalog', async () => {
    const r = await tokens(passwordAuth('admin', 'admin-pw', 'admin'));
    expect(r.status).toBe(201);
    expect(r.headers.get('x-subject-token')).toMatch(/^gAAAAA/);
    const t = r.body.token;
    expect(t.methods).toEqual(['password']);
    expect(t.project.name).toBe('admin');
    expect(t.roles.map((x: { name: string }) => x.name).sort()).toEqual(['admin', 'member', 'reader']);
    expect(Date.parse(t.expires_at) - Date.parse(t.issued_at)).toBe(3_600_000);
    const compute = t.catalog.find((s: { type: string }) => s.type === 'compute');
    expect(compute.name).toBe('nova');
    const url = (region: string, iface: string) => compute.endpoints
      .find((e: { region_id: string; interface: string }) => e.region_id === region && e.interface === iface)?.url;
    expect(url('RegionOne', 'public')).toBe(`${sim.baseUrl}/compute/v2.1`);
    expect(url('RegionOne', 'internal')).toBe(`${sim.baseUrl}/internal/compute/v2.1`);
    expect(url('RegionOne', 'admin')).toBe(`${sim.baseUrl}/admin/compute/v2.1`);
    expect(url('RegionTwo', 'internal')).toBe(`${sim.baseUrl}/internal/compute2/v2.1`);
    const image = t.catalog.find((s: { type: string }) => s.type === 'image');
    expect(image.name).toBe('glance');
    expect(image.endpoints).toHaveLength(6);
  });

  it('accepts user and project by id, and domains by id', async () => {
    const admin = sim.model.identity.user('admin');
    const r = await tokens({ auth: { identity: { methods: ['password'], password: { user: { id: admin?.id, password: 'admin-pw' } } },
      scope: { project: { id: sim.model.adminProjectId } } } });
    expect(r.status).toBe(201);
    const byDomainId = await tokens({ auth: { identity: { methods: ['password'], password: { user: {
      name: 'admin', domain: { id: 'default' }, password: 'admin-pw' } } }, scope: { project: { name: 'admin', domain: { id: 'default' } } } } });
    expect(byDomainId.status).toBe(201);
  });

  it('authenticates application credentials by id and by name + user', async () => {
    const ac = sim.model.identity.addAppCredential({ name: 'fence', user: 'admin', project: 'admin', secret: 's3cret' });
    const byId = await tokens({ auth: { identity: { methods: ['application_credential'],
      application_credential: { id: ac.id, secret: 's3cret' } } } });
    expect(byId.status).toBe(201);
    expect(byId.body.token.application_credential).toEqual({ id: ac.id, name: 'fence', restricted: true });
    expect(byId.body.token.project.id).toBe(sim.model.adminProjectId);
    const byName = await tokens({ auth: { identity: { methods: ['application_credential'], application_credential: {
      name: 'fence', user: { name: 'admin', domain: { name: 'Default' } }, secret: 's3cret' } } } });
    expect(byName.status).toBe(201);
    const wrong = await tokens({ auth: { identity: { methods: ['application_credential'],
      application_credential: { id: ac.id, secret: 'nope' } } } });
    expect(wrong.status).toBe(401);
  });

  it('answers wrong credentials and unknown projects with Keystone\'s 401 body', async () => {
    for (const body of [passwordAuth('admin', 'wrong', 'admin'), passwordAuth('nobody', 'x', 'admin'),
      passwordAuth('admin', 'admin-pw', 'no-such-project'), passwordAuth('demo', 'demo-pw', 'admin')]) {
      const r = await tokens(body);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } });
    }
  });

  it('rejects missing, unknown and expired tokens at Nova and Glance', async () => {
    const short = await startSimulator({ tokenTtlMs: 150 });
    try {
      const r = await call(`${short.authUrl}/auth/tokens`, 'POST', { body: passwordAuth('admin', 'admin-pw', 'admin') });
      const token = r.headers.get('x-subject-token');
      expect((await call(novaUrl(short, '/servers'), 'GET', { token })).status).toBe(200);
      await sleep(200);
      const expired = await call(novaUrl(short, '/servers'), 'GET', { token });
      expect(expired.status).toBe(401);
      expect(expired.body.error.title).toBe('Unauthorized');
      expect(expired.headers.get('openstack-api-version')).toBeNull();
      expect((await call(glanceUrl(short, '/v2/images'), 'GET', { token })).status).toBe(401);
      expect((await call(novaUrl(short, '/servers'))).status).toBe(401);
    } finally {
      await short.stop();
    }
  });

  it('creates application credentials for the token\'s own user', async () => {
    const login = await tokens(passwordAuth('admin', 'admin-pw', 'admin'));
    const token = login.headers.get('x-subject-token');
    const uid = login.body.token.user.id;
    const r = await call(`${sim.authUrl}/users/${uid}/application_credentials`, 'POST', { token,
      body: { application_credential: { name: 'ihaa', description: 'test' } } });
    expect(r.status).toBe(201);
    expect(r.body.application_credential.secret).toEqual(expect.any(String));
    const again = await call(`${sim.authUrl}/users/${uid}/application_credentials`, 'POST', { token,
      body: { application_credential: { name: 'ihaa' } } });
    expect(again.status).toBe(409);
  });
});
