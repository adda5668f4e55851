import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from './index.ts';
import type { Simulator } from './index.ts';
import { call, nova, novaUrl, passwordAuth } from './test-client.ts';

describe('simulator fault injection', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator();
    sim.model.addCompute('compute-0');
  });
  afterEach(() => sim.stop());

  const elapsed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const v = await fn();
    return [v, performance.now() - t0];
  };

  it('status: answers matching requests with a service-shaped error, for the next N only', async () => {
    const rule = sim.faults.add({ kind: 'status', status: 503, method: 'GET', path: /os-services/, count: 2 });
    for (let i = 0; i < 2; i++) {
      const r = await nova(sim, 'GET', '/os-services');
      expect(r.status).toBe(503);
      expect(r.body.serviceUnavailable.code).toBe(503);
    }
    expect((await nova(sim, 'GET', '/os-services')).status).toBe(200);
    expect(rule.hits).toBe(2);
    expect((await nova(sim, 'GET', '/servers')).status).toBe(200);
    sim.faults.add({ kind: 'status', status: 409, path: /\/action$/ });
    const s = sim.model.addServer({ host: 'compute-0' });
    const conflict = await nova(sim, 'POST', `/servers/${s.id}/action`, { body: { evacuate: {} }, mv: '2.93' });
    expect(conflict.body.conflictingRequest.code).toBe(409);
    sim.faults.add({ kind: 'status', status: 502, path: /\/image\//, rawBody: '<html>Bad Gateway</html>' });
    const lb = await fetch(`${sim.baseUrl}/image/v2/images`, { signal: AbortSignal.timeout(2000) });
    expect([lb.status, lb.headers.get('content-type'), await lb.text()]).toEqual([502, 'text/html', '<html>Bad Gateway</html>']);
    expect(sim.calls.all.filter((c) => c.fault === 'status')).toHaveLength(4);
  });

  it('delay: holds the answer back', async () => {
    sim.faults.add({ kind: 'delay', ms: 200, path: /os-services/ });
    const [r, ms] = await elapsed(() => nova(sim, 'GET', '/os-services'));
    expect(r.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(190);
  });

  it('trickle: sends the body one byte at a time', async () => {
    sim.faults.add({ kind: 'trickle', intervalMs: 2, path: /os-services/ });
    const r = await fetch(novaUrl(sim, '/os-services?binary=nova-compute'), { headers: { 'x-auth-token': sim.token() },
      signal: AbortSignal.timeout(5000) });
    expect(r.status).toBe(200); // headers arrive at once
    const [text, ms] = await elapsed(() => r.text());
    expect(JSON.parse(text).services).toHaveLength(1);
    expect(ms).toBeGreaterThan(text.length * 2 * 0.8);
    sim.faults.add({ kind: 'trickle', intervalMs: 50, path: /os-hypervisors/ });
    await expect(call(novaUrl(sim, '/os-hypervisors/detail'), 'GET', { token: sim.token(), timeoutMs: 300 })).rejects.toThrow();
  });

  it('hang: accepts the request and never answers; stop() still closes the socket', async () => {
    sim.faults.add({ kind: 'hang', path: /servers/ });
    await expect(nova(sim, 'GET', '/servers', { timeoutMs: 200 })).rejects.toThrow(/timeout|aborted/i);
    const pending = fetch(novaUrl(sim, '/servers'), { headers: { 'x-auth-token': sim.token() } }).then(() => 'answered', () => 'closed');
    await new Promise((ok) => setTimeout(ok, 50));
    const [, ms] = await elapsed(() => sim.stop());
    expect(await pending).toBe('closed');
    expect(ms).toBeLessThan(1000);
  });

  it('reset: destroys the connection', async () => {
    sim.faults.add({ kind: 'reset', path: /os-services/, count: 1 });
    await expect(nova(sim, 'GET', '/os-services')).rejects.toThrow(/fetch failed/);
    expect((await nova(sim, 'GET', '/os-services')).status).toBe(200);
    expect(sim.calls.all[0]).toMatchObject({ fault: 'reset', status: 0 });
  });

  it('expireToken: every current token stops working; a new login works', async () => {
    const login = await call(`${sim.authUrl}/auth/tokens`, 'POST', { body: passwordAuth('admin', 'admin-pw', 'admin') });
    const token = login.headers.get('x-subject-token');
    sim.faults.add({ kind: 'expireToken', path: /\/compute\//, count: 1 });
    expect((await call(novaUrl(sim, '/servers'), 'GET', { token })).status).toBe(401);
    expect((await call(novaUrl(sim, '/servers'), 'GET', { token })).status).toBe(401);
    const again = await call(`${sim.authUrl}/auth/tokens`, 'POST', { body: passwordAuth('admin', 'admin-pw', 'admin') });
    expect((await call(novaUrl(sim, '/servers'), 'GET', { token: again.headers.get('x-subject-token') })).status).toBe(200);
  });

  it('refuse: the port stops listening until the fault is cleared', async () => {
    sim.faults.add({ kind: 'refuse' });
    const err = await nova(sim, 'GET', '/servers').then(() => undefined, (e: Error) => e);
    expect(String((err?.cause as { code?: string } | undefined)?.code)).toBe('ECONNREFUSED');
    await sim.faults.clear();
    expect((await nova(sim, 'GET', '/servers')).status).toBe(200);
    sim.faults.add({ kind: 'refuse', forMs: 100 });
    await expect(nova(sim, 'GET', '/servers')).rejects.toThrow();
    await new Promise((ok) => setTimeout(ok, 200));
    expect((await nova(sim, 'GET', '/servers')).status).toBe(200);
  });

  it('latencyMs: delays every response', async () => {
    sim.settings.latencyMs = 100;
    const [r, ms] = await elapsed(() => call(sim.authUrl));
    expect(r.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(90);
  });
});
