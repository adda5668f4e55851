import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { novaEvacuate } from '../../lib/nova-evacuate/agent.ts';
import { ocfMetadata } from '../../lib/ocf/metadata.ts';
import { BIN, run, runAgent } from '../helpers/run.ts';
import { workerLockHolder } from '../../lib/nova-evacuate/worker-lock.ts';
import { parameterNames } from '../helpers/reference.ts';
import { acceptedEvacuations, attrd, ledger, uniqueHost } from '../helpers/evacuation/harness.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { OCF_NOVA_EVACUATE, linkOcfNovaEvacuate, lockSystemPaths, unlockSystemPaths } from '../helpers/system-lock.ts';

// ocf:openstack:NovaEvacuate as Pacemaker's tools run it: the built agent, its worker process,
// the simulator as Nova and the real attrd / CIB.

const DTD = '/usr/share/resource-agents/ra-api-1.dtd';
const INSTALLED = OCF_NOVA_EVACUATE;
const REFERENCE_PARAMS = ['auth_url', 'username', 'password', 'tenant_name', 'user_domain', 'project_domain', 'domain',
  'endpoint_type', 'region_name', 'insecure', 'no_shared_storage', 'verbose', 'evacuate_delay'];

describe('NovaEvacuate: OCF surface', () => {
  beforeAll(async () => { await lockSystemPaths(); linkOcfNovaEvacuate(); });
  afterAll(() => { rmSync(INSTALLED, { force: true }); unlockSystemPaths(); });

  it('meta-data is valid against ra-api-1.dtd and has every reference parameter', async () => {
    const r = await runAgent('NovaEvacuate', ['meta-data']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(ocfMetadata(novaEvacuate).trimEnd());
    const v = await run('xmllint', ['--noout', '--dtdvalid', DTD, '-'], { input: r.stdout });
    expect(v.stderr).not.toMatch(/validity error|parser error/);
    expect(v.code).toBe(0);
    const names = new Set(parameterNames(r.stdout));
    expect(REFERENCE_PARAMS.filter((p) => !names.has(p))).toEqual([]);
  });
  it('crm_resource --validate: 6 without auth_url, 0 with a complete configuration', async () => {
    const bad = await run('crm_resource', ['--validate', '--class', 'ocf', '--provider', 'openstack', '--agent', 'NovaEvacuate', '--option', 'username=admin', '--option', 'password=x']);
    expect(bad.code).toBe(6);
    expect(bad.stdout + bad.stderr).toContain('auth_url is not set');
    const ok = await run('crm_resource', ['--validate', '--class', 'ocf', '--provider', 'openstack', '--agent', 'NovaEvacuate',
      '--option', 'auth_url=http://127.0.0.1:35000/v3', '--option', 'username=admin', '--option', 'password=x', '--option', 'tenant_name=admin']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
  });
  it('ocf-tester passes (start launches the worker, monitor checks it, stop ends it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihaa-ocft-'));
    const r = await run('ocf-tester', ['-n', 'nova-evacuate', '-o', 'auth_url=http://127.0.0.1:35999/v3', '-o', 'username=admin', '-o', 'password=secret',
      '-o', 'tenant_name=admin', '-o', `event_log=${join(dir, 'events.jsonl')}`, INSTALLED], { timeoutMs: 180_000 });
    expect(r.stdout + r.stderr).toContain(`${INSTALLED} passed all tests`);
    expect(r.code).toBe(0);
  }, 200_000);
});

describe('NovaEvacuate: the worker process', () => {
  let sim: Simulator;
  let dir: string;
  let hosts: string[];
  const env = (extra: Record<string, string> = {}) => ({
    ...process.env, OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: 'nova-evacuate', HA_RSCTMP: join(dir, 'rsc'),
    OCF_RESKEY_auth_url: sim.authUrl, OCF_RESKEY_username: 'admin', OCF_RESKEY_password: 'admin-pw', OCF_RESKEY_tenant_name: 'admin',
    OCF_RESKEY_endpoint_type: 'publicURL', OCF_RESKEY_require_fencing: '0', OCF_RESKEY_request_timeout: '2', OCF_RESKEY_poll_interval: '0.3',
    OCF_RESKEY_event_log: join(dir, 'events.jsonl'), OCF_RESKEY_CRM_meta_interval: '10000', OCF_RESKEY_CRM_meta_timeout: '20000', ...extra,
  } as Record<string, string>);
  const agent = (action: string, extra?: Record<string, string>) => runAgent('NovaEvacuate', [action], { env: env(extra), timeoutMs: 60_000 });
  const events = () => (existsSync(join(dir, 'events.jsonl')) ? readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; host?: string }) : []);
  const until = async (what: string, cond: () => boolean | Promise<boolean>, ms = 30_000) => {
    const end = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last events: ${JSON.stringify(events().slice(-5))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const workerPid = () => Number(readFileSync(join(dir, 'rsc', 'NovaEvacuate-nova-evacuate.worker'), 'utf8').match(/"pid":(\d+)/)?.[1]);

  const setup = async (opts: { rebuildMs?: number; servers?: number } = {}) => {
    dir = mkdtempSync(join(tmpdir(), 'ihaa-ne-'));
    sim = await startSimulator({ rebuildMs: opts.rebuildMs ?? 100 });
    hosts = [uniqueHost('ne'), uniqueHost('ne'), uniqueHost('ne')];
    for (const h of hosts) sim.model.addCompute(h);
    const failed = hosts[0]!;
    const ids = Array.from({ length: opts.servers ?? 6 }, () => sim.model.addServer({ host: failed }).id);
    return { failed, ids };
  };
  const mark = async (host: string) => {
    sim.model.crash(host);
    sim.model.forceDown(host);
    sim.model.disable(host, 'instance-ha: fenced at test');
    await ledger.set({ host, phase: 'pending', since: Date.now() / 1000 });
    await attrd.update('evacuate', 'yes', { node: host, private: true });
  };

  afterEach(async () => {
    await agent('stop');
    await sim.stop();
    await attrd.remove('evacuate', { node: hosts[0]!, private: true }).catch(() => {});
    await ledger.remove(hosts[0]!).catch(() => {});
  });

  it('start / monitor / stop; evacuation begins within 2 s of the mark', async () => {
    const { failed, ids } = await setup();
    expect((await agent('monitor')).code).toBe(7);
    const started = await agent('start');
    expect(started.code, started.stderr).toBe(0);
    expect((await agent('start')).code).toBe(0);
    expect((await agent('monitor')).code).toBe(0);
    const marked = Date.now();
    await mark(failed);
    await until('first evacuate', () => sim.calls.count('POST', /\/action$/) > 0);
    const firstPost = sim.calls.filter('POST', /\/action$/)[0]!.time;
    expect(firstPost - marked).toBeLessThan(2000);
    await until('done', async () => (await ledger.get(failed))?.phase === 'done');
    for (const id of ids) expect(sim.model.servers.get(id)?.host).not.toBe(failed);
    expect(await attrd.query('evacuate', failed)).toBe('no');
    expect((await agent('stop')).code).toBe(0);
    expect((await agent('monitor')).code).toBe(7);
  });
  it('the worker holds no secret in its environment or argv', async () => {
    await setup();
    expect((await agent('start')).code).toBe(0);
    const pid = workerPid();
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    expect(environ + cmdline).not.toContain('admin-pw');
    expect(environ).not.toContain('OCF_RESKEY');
  });
  it('monitor fails when the worker died (so Pacemaker recovers the resource)', async () => {
    await setup();
    expect((await agent('start')).code).toBe(0);
    process.kill(workerPid(), 'SIGKILL');
    await until('worker gone', () => { try { process.kill(workerPid(), 0); return false; } catch { return true; } }, 5000);
    const m = await agent('monitor');
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('ocf-exit-reason:the evacuation worker is gone');
  });

  const lockHolder = () => workerLockHolder(join(dir, 'rsc', 'NovaEvacuate-nova-evacuate.heartbeat'));
  it('a start that fails (its readiness wait runs out: a slow password_script) leaves no worker', async () => {
    await setup();
    const r = await agent('start', { OCF_RESKEY_password: '', OCF_RESKEY_password_script: '/bin/sleep 60', OCF_RESKEY_CRM_meta_timeout: '5000' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('was not ready within 2 s (stopped it)');
    expect(lockHolder()).toBeUndefined();
    expect((await agent('monitor')).code).toBe(7);
  });
  it('a second worker beside a running one does nothing: start adopts the running one, a direct second worker exits', async () => {
    const { failed, ids } = await setup();
    expect((await agent('start')).code).toBe(0);
    const first = workerPid();
    expect(lockHolder()).toBe(first);
    rmSync(join(dir, 'rsc', 'NovaEvacuate-nova-evacuate.worker'));
    const again = await agent('start');
    expect(again.code, again.stderr).toBe(0);
    expect(workerPid()).toBe(first);
    const second = await run(join(BIN, 'NovaEvacuate'), [], {
      env: { PATH: process.env.PATH ?? '', IHA_AGENT: 'NovaEvacuate', IHA_ROLE: 'worker' },
      input: JSON.stringify({ values: {}, given: [], node: 'x', instance: 'nova-evacuate', env: {}, heartbeat: join(dir, 'rsc', 'NovaEvacuate-nova-evacuate.heartbeat') }),
    });
    expect(second.code).toBe(3);
    expect(second.stderr).toContain('another evacuation worker');
    await mark(failed);
    await until('done', async () => (await ledger.get(failed))?.phase === 'done');
    const accepted = acceptedEvacuations(sim);
    expect(ids.map((id) => accepted.get(id) ?? 0)).toEqual(ids.map(() => 1));
  });
  it('stop during a long evacuation sends no further request and ends within its timeout', async () => {
    const { failed } = await setup({ servers: 12, rebuildMs: 20_000 });
    sim.faults.add({ kind: 'delay', method: 'POST', path: /\/action$/, ms: 700 });
    expect((await agent('start', { OCF_RESKEY_concurrency: '1' })).code).toBe(0);
    await mark(failed);
    await until('first evacuate accepted', () => events().some((e) => e.event === 'instance-evacuate-accepted'));
    const t0 = Date.now();
    const stopped = await agent('stop', { OCF_RESKEY_CRM_meta_timeout: '20000' });
    expect(stopped.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const sent = sim.calls.count('POST', /\/action$/);
    expect(lockHolder()).toBeUndefined();
    await new Promise((r) => setTimeout(r, 2000));
    expect(sim.calls.count('POST', /\/action$/)).toBe(sent);
    expect(sent).toBeLessThan(12);
  });

  // Killed at each point, the restarted resource finishes without evacuating anything twice.
  const killPoints: [string, (failed: string) => void, (failed: string) => Promise<void>][] = [
    ['after the mark, before the claim', () => { sim.faults.add({ kind: 'delay', method: 'GET', path: /os-services/, ms: 4000 }); },
      async () => { await until('marked', () => events().some((e) => e.event === 'host-marked')); }],
    ['before a POST', () => { sim.faults.add({ kind: 'delay', method: 'GET', path: /servers\/detail/, ms: 4000 }); },
      async () => { await until('claimed', () => events().some((e) => e.event === 'host-claimed')); }],
    ['after a POST, before its reply', () => { sim.faults.add({ kind: 'holdAnswer', method: 'POST', path: /\/action$/ }); },
      async () => { await until('a POST taken', () => sim.calls.count('POST', /\/action$/) >= 3); }],
    ['after the reply, before the host changed', () => { sim.settings.rebuildMs = 6000; },
      async () => { await until('accepted', () => events().filter((e) => e.event === 'instance-evacuate-accepted').length >= 6); }],
    ['during verification', () => { sim.settings.rebuildMs = 1500; },
      async () => { await until('some done', () => events().some((e) => e.event === 'instance-done')); }],
  ];
  it.each(killPoints)('killed %s: every instance evacuated exactly once', async (_point, arrange, waitForPoint) => {
    const { failed, ids } = await setup({ servers: 6 });
    arrange(failed);
    expect((await agent('start')).code).toBe(0);
    await mark(failed);
    await waitForPoint(failed);
    process.kill(workerPid(), 'SIGKILL');
    await sim.faults.clear();
    sim.settings.rebuildMs = 100;
    expect((await agent('start')).code).toBe(0);
    await until('done after restart', async () => (await ledger.get(failed))?.phase === 'done', 60_000);
    const accepted = acceptedEvacuations(sim);
    expect(ids.map((id) => accepted.get(id) ?? 0)).toEqual(ids.map(() => 1));
    for (const id of ids) expect(sim.model.servers.get(id)?.host).not.toBe(failed);
  }, 90_000);
});
