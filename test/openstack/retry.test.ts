import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '../../lib/log.ts';
import { connectOpenStack, type OpenStack } from '../../lib/openstack/connect.ts';
import { Verifier } from '../../lib/evacuation/verification.ts';
import { expBackoff, retry } from '../../lib/retry.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';

// A GET that failed for a passing reason is sent again (twice at most); nothing else is.

let sim: Simulator;
let os: OpenStack;
let debugFile: string;
beforeAll(async () => {
  sim = await startSimulator();
  for (const h of ['rt-0', 'rt-1']) sim.model.addCompute(h);
  for (let i = 0; i < 5; i++) sim.model.addImage({ name: `img-${i}` });
  sim.model.addFlavor({ name: 'm1.small' });
  sim.model.addAggregate({ name: 'agg', hosts: ['rt-0'] });
  sim.model.addServer({ host: 'rt-0' });
  sim.model.limits.glanceMaxLimit = 2; // several Glance pages per read
  debugFile = join(mkdtempSync(join(tmpdir(), 'ihaa-retry-')), 'debug.log');
  const log = new Logger({ tag: 'retry-test', stderr: false, syslog: false, debugFile });
  const values = { auth_url: sim.authUrl, username: 'admin', password: 'admin-pw', tenant_name: 'admin', endpoint_type: 'publicURL', request_timeout: 1 };
  os = await connectOpenStack(values, new Set(Object.keys(values)), {}, log);
  await os.nova.services(); // logged in, microversion known
});
afterEach(async () => { await sim.faults.clear(); });
afterAll(async () => { await sim.stop(); });

const requests = () => sim.calls.all.length;
const retryLines = () => readFileSync(debugFile, 'utf8').split('\n').filter((l) => /retry \d of 2/.test(l));

describe('a transient failure retries the call, not the whole read', () => {
  const verifier = () => new Verifier({ graceMs: 1000, verifyMs: 20_000, maxAttempts: 3 }, { os, events: { emit: () => {} } as never }, { verb: 'evacuate', migrationType: 'evacuation', movable: new Set(['ACTIVE']), send: async () => ({}) });

  it.each([
    ['Glance 503 on page 2', { kind: 'status', status: 503, method: 'GET', path: /\/v2\/images\?.*marker=/, count: 1 }],
    ['Nova 500 on flavors', { kind: 'status', status: 500, method: 'GET', path: /\/flavors/, count: 1 }],
    ['Nova 502 on aggregates', { kind: 'status', status: 502, method: 'GET', path: /os-aggregates/, count: 1 }],
    ['a reset connection', { kind: 'reset', method: 'GET', path: /servers\/detail/, count: 1 }],
    ['a hanging answer, cut at request_timeout', { kind: 'hang', method: 'GET', path: /os-migrations/, count: 1 }],
  ] as const)('%s: the host read completes with exactly one extra request', async (_name, fault) => {
    let before = requests();
    const clean = await verifier().readHost('rt-0', Date.now());
    const cost = requests() - before;
    const lines = retryLines().length;
    sim.faults.add(fault);
    before = requests();
    const reading = await verifier().readHost('rt-0', Date.now());
    expect(requests() - before).toBe(cost + 1);
    expect(reading.images.map((i) => i.id).sort()).toEqual(clean.images.map((i) => i.id).sort());
    expect(reading.flavors.length).toBe(clean.flavors.length);
    expect(reading.servers.length).toBe(1);
    expect(retryLines().length).toBe(lines + 1); // one debug line per retry
  });

  it('retries stop after two; the error names the call', async () => {
    sim.faults.add({ kind: 'status', status: 503, method: 'GET', path: /os-services/ });
    const before = sim.calls.count('GET', /os-services/);
    const t0 = Date.now();
    const e = await os.nova.services().catch((x: unknown) => x as Error);
    expect(sim.calls.count('GET', /os-services/) - before).toBe(3);
    expect(e).toMatchObject({ status: 503, message: expect.stringMatching(/^Nova: list nova-compute services: HTTP 503.*\(GET http:\/\/\S+\/os-services\?binary=nova-compute\) after 3 tries$/) });
    expect(Date.now() - t0).toBeLessThan(1600); // waits of at most 0.5 s + 1 s
  });

  it('a 4xx is not retried', async () => {
    sim.faults.add({ kind: 'status', status: 404, method: 'GET', path: /os-services/, count: 1 });
    const before = sim.calls.count('GET', /os-services/);
    await expect(os.nova.services()).rejects.toMatchObject({ status: 404 });
    expect(sim.calls.count('GET', /os-services/) - before).toBe(1);
  });
});

describe('a POST, PUT or DELETE is sent once', () => {
  it('an evacuate answered 500 is not sent again', async () => {
    sim.model.addCompute('rt-2');
    const s = sim.model.addServer({ host: 'rt-1' });
    sim.model.crash('rt-1');
    sim.model.forceDown('rt-1');
    sim.faults.add({ kind: 'status', status: 500, method: 'POST', path: /\/action$/, count: 1 });
    await expect(os.nova.evacuate(s.id)).rejects.toMatchObject({ status: 500, message: expect.not.stringContaining('tries') });
    expect(sim.calls.evacuations(s.id)).toHaveLength(1);
    expect(sim.calls.evacuations(s.id)[0]!.status).toBe(500);
  });
  it('a force-down (PUT) answered 503 is not sent again', async () => {
    const [service] = await os.nova.services('rt-0');
    sim.faults.add({ kind: 'status', status: 503, method: 'PUT', count: 1 });
    const before = sim.calls.count('PUT', /os-services/);
    await expect(os.nova.setForcedDown(service!, true)).rejects.toMatchObject({ status: 503 });
    expect(sim.calls.count('PUT', /os-services/) - before).toBe(1);
  });
});

describe('retry and expBackoff', () => {
  it('waits 0.5 s then 1 s, each jittered down by at most half', () => {
    expect(expBackoff(2, 500, () => 1)).toEqual([500, 1000]);
    expect(expBackoff(2, 500, () => 0)).toEqual([250, 500]);
    for (const d of expBackoff(3)) expect(d).toBeGreaterThanOrEqual(250);
  });
  it('gives up at once on a failure that is not retryable, else after the delays', async () => {
    let calls = 0;
    const failing = () => { calls++; return Promise.reject(new Error(`fail ${calls}`)); };
    await expect(retry(failing, { delays: [1, 1], retryable: () => false })).rejects.toThrow('fail 1');
    calls = 0;
    await expect(retry(failing, { delays: [1, 1], retryable: () => true })).rejects.toThrow('fail 3');
  });
});
