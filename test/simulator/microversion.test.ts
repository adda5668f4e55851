import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './index.ts';
import type { Simulator } from './index.ts';
import { call, nova } from './test-client.ts';

describe('simulated Nova microversions', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ maxMicroversion: '2.93' });
  });
  afterAll(() => sim.stop());

  it('defaults to 2.1 and echoes the version like Nova', async () => {
    const r = await nova(sim, 'GET', '/os-services');
    expect(r.status).toBe(200);
    expect(r.headers.get('openstack-api-version')).toBe('compute 2.1');
    expect(r.headers.get('x-openstack-nova-api-version')).toBe('2.1');
    expect(r.headers.get('vary')).toBe('OpenStack-API-Version, X-OpenStack-Nova-API-Version');
    expect(r.headers.get('content-type')).toBe('application/json');
  });

  it('takes the modern header, the legacy header, and latest', async () => {
    expect((await nova(sim, 'GET', '/os-services', { mv: '2.53' })).headers.get('openstack-api-version')).toBe('compute 2.53');
    expect((await nova(sim, 'GET', '/os-services', { legacyMv: '2.11' })).headers.get('x-openstack-nova-api-version')).toBe('2.11');
    expect((await nova(sim, 'GET', '/os-services', { mv: '2.60', legacyMv: '2.11' })).headers.get('x-openstack-nova-api-version')).toBe('2.60');
    expect((await nova(sim, 'GET', '/os-services', { mv: 'latest' })).headers.get('openstack-api-version')).toBe('compute 2.93');
  });

  it('answers versions outside 2.1..max with 406 and Nova\'s message', async () => {
    for (const v of ['2.94', '9.99', '2.0']) {
      const r = await nova(sim, 'GET', '/os-services', { mv: v });
      expect(r.status).toBe(406);
      expect(r.headers.get('content-type')).toBe('application/json; charset=UTF-8');
      expect(r.headers.get('openstack-api-version')).toBe(`compute ${v}`);
      expect(r.body).toEqual({ computeFault: { code: 406,
        message: `Version ${v} is not supported by the API. Minimum is 2.1 and maximum is 2.93.` } });
    }
    const bad = await nova(sim, 'GET', '/os-services', { mv: 'two' });
    expect(bad.status).toBe(400);
    expect(bad.body.badRequest.message).toMatch(/invalid format/);
  });

  it('checks the token before the microversion', async () => {
    const r = await call(`${sim.baseUrl}/compute/v2.1/os-services`, 'GET', { mv: '9.99' });
    expect(r.status).toBe(401);
  });

  it('serves the unauthenticated version documents', async () => {
    const root = await call(`${sim.baseUrl}/compute/`);
    expect(root.status).toBe(200);
    expect(root.body.versions.map((v: { id: string }) => v.id)).toEqual(['v2.0', 'v2.1']);
    expect(root.body.versions[1]).toMatchObject({ version: '2.93', min_version: '2.1' });
    for (const p of ['/compute/v2.1', '/compute/v2.1/']) {
      const v = await call(sim.baseUrl + p);
      expect(v.status).toBe(200);
      expect(v.body.version).toMatchObject({ id: 'v2.1', version: '2.93', min_version: '2.1', status: 'CURRENT' });
      expect(v.headers.get('openstack-api-version')).toBe('compute 2.1');
    }
  });

  it('follows settings.maxMicroversion at run time (default 2.95)', async () => {
    const other = await startSimulator();
    try {
      expect((await nova(other, 'GET', '/os-services', { mv: 'latest' })).headers.get('x-openstack-nova-api-version')).toBe('2.95');
      other.settings.maxMicroversion = '2.60';
      expect((await nova(other, 'GET', '/os-services', { mv: '2.61' })).status).toBe(406);
    } finally {
      await other.stop();
    }
  });
});
