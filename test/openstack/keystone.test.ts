import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keystone } from '../../lib/openstack/keystone.ts';
import { HttpClient } from '../../lib/http.ts';
import { holdsSecret, maskSecrets } from '../../lib/secrets.ts';
import type { AuthConfig } from '../../lib/openstack/config.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { runAgent } from '../helpers/run.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
  sim.model.addCompute('kc-0');
});
afterAll(async () => { await sim.stop(); });

const http = () => new HttpClient({ timeoutMs: 3000 });
const base = (): AuthConfig => ({ authUrl: sim.authUrl, interface: 'public', insecure: false, timeoutMs: 3000 });

describe('Keystone v3 authentication', () => {
  it('password, user and project by name (+ domain names)', async () => {
    const k = new Keystone({ ...base(), username: 'admin', password: 'admin-pw', projectName: 'admin', userDomainName: 'Default', projectDomainName: 'Default' }, http());
    expect(await k.token()).toMatch(/./);
    expect(await k.endpoint('compute')).toMatch(/\/compute\/v2\.1$/);
  });
  it('the token is a secret from the moment it arrives: masked in logs, refused in children', async () => {
    const token = await new Keystone({ ...base(), username: 'admin', password: 'admin-pw', projectName: 'admin' }, http()).token();
    expect(maskSecrets(`X-Auth-Token: ${token}`)).toBe('X-Auth-Token: ****');
    expect(holdsSecret(`--token=${token}`)).toBe(true);
  });
  it('password, user and project by id', async () => {
    const u = sim.model.identity.user('admin')!;
    const p = sim.model.identity.project('admin')!;
    const k = new Keystone({ ...base(), userId: u.id, password: 'admin-pw', projectId: p.id }, http());
    expect(await k.token()).toMatch(/./);
  });
  it('application credential by id, and by name + user', async () => {
    const ac = sim.model.identity.addAppCredential({ name: 'iha', user: 'admin', project: 'admin', secret: 'ac-secret' });
    expect(await new Keystone({ ...base(), appCredentialId: ac.id, appCredentialSecret: 'ac-secret' }, http()).token()).toMatch(/./);
    expect(await new Keystone({ ...base(), appCredentialName: 'iha', username: 'admin', userDomainName: 'Default', appCredentialSecret: 'ac-secret' }, http()).token()).toMatch(/./);
    await expect(new Keystone({ ...base(), appCredentialId: ac.id, appCredentialSecret: 'nope' }, http()).token()).rejects.toThrow(/authentication failed/);
  });
  it('endpoints by interface and region', async () => {
    const k = (over: Partial<AuthConfig>) => new Keystone({ ...base(), username: 'admin', password: 'admin-pw', projectName: 'admin', ...over }, http());
    expect(await k({ interface: 'internal' }).endpoint('compute')).toMatch(/\/internal\/compute\/v2\.1$/);
    expect(await k({ interface: 'admin', regionName: 'RegionTwo' }).endpoint('compute')).toMatch(/\/admin\/compute2\/v2\.1$/);
    await expect(k({ regionName: 'Nowhere' }).endpoint('compute')).rejects.toThrow('no public compute endpoint in region Nowhere');
  });
  it('finds v3 from a bare server URL (300 Multiple Choices) and from a v2.0 URL', async () => {
    const warnings: string[] = [];
    const bare = new Keystone({ ...base(), authUrl: sim.authUrl.replace(/\/v3$/, ''), username: 'admin', password: 'admin-pw', projectName: 'admin' }, http());
    expect(await bare.token()).toMatch(/./);
    const v2 = new Keystone({ ...base(), authUrl: sim.authUrl.replace(/\/v3$/, '/v2.0'), username: 'admin', password: 'admin-pw', projectName: 'admin' }, http(), { warn: (l) => warnings.push(l) });
    expect(await v2.token()).toMatch(/./);
    expect(warnings).toEqual([expect.stringContaining('v2.0, which is retired')]);
  });
  it('one authentication for concurrent callers', async () => {
    const before = sim.calls.count('POST', /auth\/tokens/);
    const k = new Keystone({ ...base(), username: 'admin', password: 'admin-pw', projectName: 'admin' }, http());
    await Promise.all([k.token(), k.token(), k.token()]);
    expect(sim.calls.count('POST', /auth\/tokens/) - before).toBe(1);
  });
});

describe('connection settings from clouds.yaml and OS_* (through the agent)', () => {
  it('cloud=<name> reads clouds.yaml; OS_* variables fill the rest', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ihaa-clouds-')), 'clouds.yaml');
    writeFileSync(file, `clouds:\n  sim:\n    auth:\n      auth_url: ${sim.authUrl}\n      username: admin\n      project_name: admin\n    interface: public\n`);
    const env = { ...process.env, OS_CLIENT_CONFIG_FILE: file, OS_PASSWORD: 'admin-pw' } as Record<string, string>;
    const r = await runAgent('fence_compute', [], { input: 'action=status\nplug=kc-0\ncloud=sim\n', env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('Status: ON');
  });
  it('OS_* alone', async () => {
    const env = { ...process.env, OS_AUTH_URL: sim.authUrl, OS_USERNAME: 'admin', OS_PASSWORD: 'admin-pw', OS_PROJECT_NAME: 'admin', OS_INTERFACE: 'public' } as Record<string, string>;
    const r = await runAgent('fence_compute', [], { input: 'action=status\nplug=kc-0\n', env });
    expect(r.code, r.stderr).toBe(0);
  });
});
