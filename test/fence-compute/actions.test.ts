import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Attrd } from '../../lib/pacemaker/attrd.ts';
import { Ledger } from '../../lib/pacemaker/ledger.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { runAgent } from '../helpers/run.ts';
import { selfSignedCert } from '../helpers/tls.ts';

// fence_compute as Pacemaker runs it (stdin protocol, built agent) against the simulator
// (Keystone + Nova + Glance over HTTP) and the real attrd of the test cluster.

const attrd = new Attrd();
const ledger = new Ledger();
let sim: Simulator;
let host: string;

const uniqueHost = () => `cmp-${randomBytes(3).toString('hex')}`;
function stdin(action: string, extra: Record<string, string> = {}, s: Simulator = sim): string {
  const opts: Record<string, string> = {
    action, plug: host, auth_url: s.authUrl, username: 'admin', password: 'admin-pw', tenant_name: 'admin',
    endpoint_type: 'publicURL', request_timeout: '2', power_timeout: '6', stonith_status_sleep: '0.2', ...extra,
  };
  return `${Object.entries(opts).map(([k, v]) => `${k}=${v}`).join('\n')}\nnodename=${host}\n`;
}
const fence = (action: string, extra: Record<string, string> = {}, s: Simulator = sim) =>
  runAgent('fence_compute', [], { input: stdin(action, extra, s), timeoutMs: 60_000 });
const errors = (stderr: string) => stderr.split('\n').filter((l) => / ERROR: /.test(l));
const service = () => sim.model.compute(host);

beforeEach(async () => {
  sim = await startSimulator({ rebuildMs: 50 });
  host = uniqueHost();
  sim.model.addCompute(host);
  sim.model.addCompute(uniqueHost());
});
afterEach(async () => {
  await sim.stop();
  await attrd.remove('evacuate', { node: host, private: true }).catch(() => {});
  await ledger.remove(host).catch(() => {});
});

describe('off', () => {
  it('forces the service down, disables it with our reason and marks evacuate=yes', async () => {
    const r = await fence('off');
    expect(r.code, r.stderr).toBe(0);
    expect(service()).toMatchObject({ forcedDown: true, disabled: true, disabledReason: expect.stringMatching(/^instance-ha: fenced at /) });
    expect(await attrd.query('evacuate', host)).toBe('yes');
    expect(await ledger.get(host)).toMatchObject({ phase: 'pending' });
  });
  it('marks a host Nova already shows down and disabled (the reference skipped it)', async () => {
    sim.model.crash(host);
    sim.model.disable(host, 'maintenance');
    const r = await fence('off');
    expect(r.code, r.stderr).toBe(0);
    expect(service()).toMatchObject({ forcedDown: true, disabled: true, disabledReason: 'maintenance' });
    expect(await attrd.query('evacuate', host)).toBe('yes');
  });
  it('sends nothing to Nova for a host already forced down and disabled, and still marks it', async () => {
    sim.model.forceDown(host);
    sim.model.disable(host, 'instance-ha: fenced at earlier');
    const r = await fence('off');
    expect(r.code, r.stderr).toBe(0);
    expect(sim.calls.count('PUT', /os-services/)).toBe(0);
    expect(await attrd.query('evacuate', host)).toBe('yes');
  });
  it('marks the Nova host name, not the Pacemaker node name (domain)', async () => {
    const node = host;
    const fqdn = `${host}.example.com`;
    sim.model.addCompute(fqdn);
    host = 'other-node-name';
    const r = await runAgent('fence_compute', [], { input: stdin('off', { plug: node, domain: 'example.com' }) });
    host = fqdn;
    expect(r.code, r.stderr).toBe(0);
    expect(sim.model.compute(fqdn).forcedDown).toBe(true);
    expect(await attrd.query('evacuate', fqdn)).toBe('yes');
    await attrd.remove('evacuate', { node: fqdn, private: true });
  });
  it('an unknown host fails with one line and changes nothing', async () => {
    const r = await fence('off', { plug: 'no-such-host' });
    expect(r.code).toBe(1);
    expect(errors(r.stderr)).toEqual([expect.stringContaining('Nova has no nova-compute service for no-such-host')]);
    expect(sim.calls.count('PUT', /os-services/)).toBe(0);
  });
  it('works with the pre-2.53 API (2.11 force-down, disable-log-reason)', async () => {
    sim.settings.maxMicroversion = '2.11';
    const r = await fence('off');
    expect(r.code, r.stderr).toBe(0);
    expect(sim.calls.count('PUT', /os-services\/force-down$/)).toBe(1);
    expect(sim.calls.count('PUT', /os-services\/disable-log-reason$/)).toBe(1);
    expect(service()).toMatchObject({ forcedDown: true, disabled: true });
  });
  it('refuses a Nova without force-down (below 2.11) instead of looping forever', async () => {
    sim.settings.maxMicroversion = '2.10';
    const r = await fence('off');
    expect(r.code).toBe(1);
    expect(errors(r.stderr)).toEqual([expect.stringContaining('needs microversion 2.11')]);
    expect(await attrd.query('evacuate', host)).toBeUndefined();
  });
  it('waits `delay` seconds first', async () => {
    const t0 = Date.now();
    const r = await fence('off', { delay: '1.5' });
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
  });
});

describe('status', () => {
  const cases: [string, (h: string) => void, number, string][] = [
    ['up, enabled', () => {}, 0, 'Status: ON'],
    ['forced down', (h) => sim.model.forceDown(h), 2, 'Status: OFF'],
    ['down and disabled', (h) => { sim.model.crash(h); sim.model.disable(h); }, 2, 'Status: OFF'],
    ['down, enabled (not fenced yet)', (h) => sim.model.crash(h), 0, 'Status: ON'],
    ['up, disabled', (h) => sim.model.disable(h), 0, 'Status: ON'],
  ];
  it.each(cases)('%s', async (_name, setup, code, line) => {
    setup(host);
    const r = await fence('status');
    expect(r.code, r.stderr).toBe(code);
    expect(r.stdout.trim()).toBe(line);
  });
  it('a host Nova does not know: exit 1 (the reference said ON)', async () => {
    const r = await fence('status', { plug: 'ghost' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
  });
  it('Nova unreachable: exit 1 with one line', async () => {
    const url = sim.authUrl;
    await sim.stop();
    const r = await runAgent('fence_compute', [], { input: stdin('status', { auth_url: url }) });
    sim = await startSimulator();
    expect(r.code).toBe(1);
    expect(errors(r.stderr)).toEqual([expect.stringContaining('connection refused')]);
  });
});

describe('list, list-status, monitor', () => {
  it('list prints every host Nova knows; list-status adds ON/OFF', async () => {
    sim.model.forceDown(host);
    const list = await fence('list', { plug: '' });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split('\n')).toContain(`${host},`);
    const ls = await fence('list-status', { plug: '' });
    expect(ls.stdout.split('\n')).toContain(`${host},,OFF`);
  });
  it('monitor authenticates and calls Nova; a wrong password fails it', async () => {
    const ok = await fence('monitor', { plug: '' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(sim.calls.count('GET', /os-hypervisors/)).toBe(1);
    const bad = await fence('monitor', { plug: '', password: 'wrong' });
    expect(bad.code).toBe(1);
    expect(errors(bad.stderr)).toEqual([expect.stringContaining('Keystone: authentication failed')]);
    expect(bad.stderr).not.toContain('wrong');
  });
});

describe('on (unfencing)', () => {
  it('waits while evacuate=yes, then unsets force-down and enables', async () => {
    sim.model.forceDown(host);
    sim.model.disable(host, 'instance-ha: fenced at t');
    await attrd.update('evacuate', 'yes', { node: host, private: true });
    const pending = fence('on', { unfence_wait: '20' });
    await new Promise((r) => setTimeout(r, 2500));
    expect(service()).toMatchObject({ forcedDown: true, disabled: true });
    await attrd.update('evacuate', 'no', { node: host, private: true });
    const r = await pending;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('waiting: evacuate=yes');
    expect(service()).toMatchObject({ forcedDown: false, disabled: false });
  });
  it('an absent mark is no proof: waits while Nova shows evacuable instances on the forced-down host', async () => {
    sim.model.forceDown(host);
    sim.model.addServer({ host });
    const r = await fence('on', { unfence_wait: '2' });
    expect(r.code).toBe(1);
    expect(errors(r.stderr)).toEqual([expect.stringContaining('still shows 1 evacuable instance(s)')]);
    expect(service().forcedDown).toBe(true);
  });
  it('no mark, forced down, only non-evacuable instances left: returns the host', async () => {
    sim.model.forceDown(host);
    const tagged = sim.model.addImage({ tags: ['evacuable'] });
    sim.model.addImage();
    sim.model.addServer({ host }); // default image: not tagged, so not evacuable
    expect(tagged.id).toBeTruthy();
    const r = await fence('on', { unfence_wait: '5' });
    expect(r.code, r.stderr).toBe(0);
    expect(service().forcedDown).toBe(false);
  });
  it('the durable ledger outlives a wiped mark: pending keeps the host out until it says done', async () => {
    sim.model.forceDown(host);
    await ledger.set({ host, phase: 'pending', since: Date.now() / 1000 });
    const pending = fence('on', { unfence_wait: '20' });
    await new Promise((r) => setTimeout(r, 2000));
    expect(service().forcedDown).toBe(true);
    await ledger.set({ host, phase: 'done', since: Date.now() / 1000 });
    const r = await pending;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('the evacuation ledger says pending');
    expect(service().forcedDown).toBe(false);
  });
  it('leave_disabled unsets force-down only', async () => {
    sim.model.forceDown(host);
    sim.model.disable(host, 'instance-ha: fenced at t');
    await attrd.update('evacuate', 'no', { node: host, private: true });
    const r = await fence('on', { leave_disabled: 'true' });
    expect(r.code, r.stderr).toBe(0);
    expect(service()).toMatchObject({ forcedDown: false, disabled: true });
  });
  it('a host an operator disabled for another reason stays disabled', async () => {
    sim.model.forceDown(host);
    sim.model.disable(host, 'disk replacement');
    await attrd.update('evacuate', 'no', { node: host, private: true });
    const r = await fence('on');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('its disable reason is not ours: disk replacement');
    expect(service()).toMatchObject({ forcedDown: false, disabled: true });
  });
  it('a host Nova does not know yet, with nothing owed: succeeds (a new compute is unfenced before its nova-compute registers)', async () => {
    const r = await fence('on', { plug: 'ghost-new' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('nothing to return');
  });
  it('a host Nova does not know, with an open ledger entry: fails (its evacuation is owed)', async () => {
    await ledger.set({ host: 'ghost-owed', phase: 'pending', since: Date.now() / 1000 });
    try {
      const r = await fence('on', { plug: 'ghost-owed' });
      expect(r.code).toBe(1);
      expect(errors(r.stderr)).toEqual([expect.stringContaining('the evacuation ledger says pending')]);
    } finally {
      await ledger.remove('ghost-owed');
    }
  });
  it("a yes newer than the ledger's done keeps the host out", async () => {
    sim.model.forceDown(host);
    await ledger.set({ host, phase: 'done', since: Date.now() / 1000 - 60 });
    await attrd.update('evacuate', 'yes', { node: host, private: true });
    const r = await fence('on', { unfence_wait: '2' });
    expect(r.code).toBe(1);
    expect(errors(r.stderr)).toEqual([expect.stringContaining('evacuate=yes')]);
    expect(service().forcedDown).toBe(true);
  });
  it('evacuate=no written by another evacuator over our pending entry returns the host', async () => {
    sim.model.forceDown(host);
    sim.model.disable(host, 'instance-ha: fenced at t');
    await ledger.set({ host, phase: 'pending', since: Date.now() / 1000 });
    await attrd.update('evacuate', 'no', { node: host, private: true });
    const r = await fence('on', { unfence_wait: '5' });
    expect(r.code, r.stderr).toBe(0);
    expect(service()).toMatchObject({ forcedDown: false, disabled: false });
    // Recorded: Pacemaker wipes the `no` when the node rejoins; an open entry would keep it out.
    expect(await ledger.get(host)).toMatchObject({ phase: 'done', by: 'evacuate=no' });
  });
  it("a disable without a reason and without force-down is an operator's: kept", async () => {
    sim.model.disable(host);
    const r = await fence('on');
    expect(r.code, r.stderr).toBe(0);
    expect(service()).toMatchObject({ disabled: true });
  });
});

describe('faults: each gives exit 1, one line naming what failed, within its deadline', () => {
  const timed = async (extra: Record<string, string> = {}) => {
    const t0 = Date.now();
    const r = await fence('status', extra);
    return { ...r, ms: Date.now() - t0 };
  };
  it('Nova answers 503 every time (after two retries)', async () => {
    sim.faults.add({ kind: 'status', status: 503, path: /os-services/ });
    const r = await timed();
    expect(r.code).toBe(1);
    expect(errors(r.stderr)).toEqual([expect.stringMatching(/Nova: list nova-compute services: HTTP 503/)]);
    expect(sim.calls.count('GET', /os-services/)).toBe(3);
  });
  it('a transient 503 is retried and succeeds', async () => {
    sim.faults.add({ kind: 'status', status: 503, path: /os-services/, count: 1 });
    const r = await timed();
    expect(r.code, r.stderr).toBe(0);
  });
  it('a hanging Nova is cut at request_timeout (each of the three tries)', async () => {
    sim.faults.add({ kind: 'hang', path: /os-services/ });
    const r = await timed({ request_timeout: '1' });
    expect(r.code).toBe(1);
    expect(errors(r.stderr)).toEqual([expect.stringContaining('no complete answer within 1 s')]);
    expect(r.ms).toBeLessThan(8000);
  });
  it('a trickling answer is cut at request_timeout too (one deadline for the whole body)', async () => {
    sim.faults.add({ kind: 'trickle', path: /os-services/, intervalMs: 200 });
    const r = await timed({ request_timeout: '1' });
    expect(r.code).toBe(1);
    expect(errors(r.stderr)).toEqual([expect.stringContaining('no complete answer within 1 s')]);
    expect(r.ms).toBeLessThan(8000);
  });
  it('a reset connection', async () => {
    sim.faults.add({ kind: 'reset', path: /os-services/ });
    const r = await timed();
    expect(r.code).toBe(1);
    expect(errors(r.stderr)).toEqual([expect.stringMatching(/Nova: list nova-compute services: (connection reset|socket hang up)/)]);
  });
  it('Keystone refusing connections', async () => {
    sim.faults.add({ kind: 'refuse' });
    const r = await timed();
    expect(r.code).toBe(1);
    expect(errors(r.stderr)).toEqual([expect.stringContaining('connection refused')]);
  });
  it('a token that expires mid-run is re-issued once', async () => {
    sim.faults.add({ kind: 'expireToken', path: /os-services/, count: 1 });
    const r = await fence('off');
    expect(r.code, r.stderr).toBe(0);
    expect(sim.calls.count('POST', /auth\/tokens/)).toBe(2);
  });
  it('the whole action is bounded even when every request is slow', async () => {
    sim.settings.latencyMs = 1500;
    const t0 = Date.now();
    const r = await fence('off', { request_timeout: '2', power_timeout: '3' });
    expect(r.code).toBe(1);
    expect(errors(r.stderr)).toEqual([expect.stringContaining('off did not finish within 6 s')]);
    expect(Date.now() - t0).toBeLessThan(9000);
  });
});

describe('races for one host (the device runs with pcmk_action_limit=-1)', () => {
  it('off twice at once: both succeed; fenced in Nova, marked, pending in the ledger', async () => {
    const both = await Promise.all([fence('off'), fence('off')]);
    expect(both.map((r) => r.code), both.map((r) => r.stderr).join('\n')).toEqual([0, 0]);
    expect(both.flatMap((r) => errors(r.stderr))).toEqual([]);
    expect(service()).toMatchObject({ forcedDown: true, disabled: true, disabledReason: expect.stringMatching(/^instance-ha: fenced at /) });
    expect(await attrd.query('evacuate', host)).toBe('yes');
    expect(await ledger.get(host)).toMatchObject({ phase: 'pending' });
  });
  it('off while on is returning the host: fencing wins (on exits 1, the host stays forced down and disabled)', async () => {
    // on's third services read (just before it returns the host) is held 4 s: off runs whole meanwhile.
    sim.faults.add({ kind: 'delay', ms: 4000, method: 'GET', path: /os-services/, count: 3 });
    const on = fence('on', { unfence_wait: '30', request_timeout: '10' });
    for (const end = Date.now() + 20_000; sim.calls.count('GET', /os-services/) < 3 && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    const off = await fence('off');
    const back = await on;
    expect(off.code, off.stderr).toBe(0);
    expect(back.code, back.stderr).toBe(1);
    expect(errors(back.stderr)).toEqual([expect.stringContaining(`${host}: fenced again while being returned (evacuate=yes: its evacuation has not started`)]);
    expect(service()).toMatchObject({ forcedDown: true, disabled: true });
    expect(await ledger.get(host)).toMatchObject({ phase: 'pending' });
    expect(await attrd.query('evacuate', host)).toBe('yes');
  });
});

describe('TLS', () => {
  it('verifies certificates unless insecure is true; a CA bundle makes a self-signed one trusted', async () => {
    const tls = selfSignedCert();
    const s = await startSimulator({ tls });
    s.model.addCompute(host);
    try {
      const strict = await fence('status', { insecure: 'false' }, s);
      expect(strict.code).toBe(1);
      expect(errors(strict.stderr)).toEqual([expect.stringContaining('self-signed')]);
      const insecure = await fence('status', { insecure: 'true' }, s);
      expect(insecure.code, insecure.stderr).toBe(0);
      expect(insecure.stderr).toContain('TLS certificate verification is disabled');
      const bundle = await fence('status', { cacert: tls.certFile }, s);
      expect(bundle.code, bundle.stderr).toBe(0);
    } finally {
      await s.stop();
    }
  });
});
