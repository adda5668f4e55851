import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from '../../lib/http.ts';
import { Keystone } from '../../lib/openstack/keystone.ts';
import { Nova } from '../../lib/openstack/nova.ts';
import { ServiceEndpoint } from '../../lib/openstack/service.ts';
import { identityKey, TokenCache } from '../../lib/openstack/token-cache.ts';
import type { AuthConfig } from '../../lib/openstack/config.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';
import { runAgent } from '../helpers/run.ts';

// fence_compute's shared Keystone token: k processes at once, one login.

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
  sim.model.addCompute('tc-0');
});
afterAll(async () => { await sim.stop(); });

const config = (over: Partial<AuthConfig> = {}): AuthConfig => ({ authUrl: sim.authUrl, username: 'admin', password: 'admin-pw', projectName: 'admin',
  userDomainName: 'Default', projectDomainName: 'Default', interface: 'public', insecure: false, timeoutMs: 3000, ...over });
const logins = () => sim.calls.count('POST', /auth\/tokens/);
const freshDir = () => join(mkdtempSync(join(tmpdir(), 'ihaa-tokens-')), 'tokens');

/** A Keystone as a separate process would have it: its own HTTP client, the cache in dir. */
function keystone(dir: string, debug: string[] = [], over: Partial<AuthConfig> = {}): Keystone {
  const c = config(over);
  const push = (l: string) => { debug.push(l); };
  return new Keystone(c, new HttpClient({ timeoutMs: c.timeoutMs }), { debug: push, cache: new TokenCache(dir, identityKey(c), push) });
}
const cacheFile = (dir: string) => join(dir, `${identityKey(config())}.json`);

describe('the token cache', () => {
  it('10 concurrent authentications with one cache: one login; the file is root-only and holds no password', async () => {
    const dir = freshDir();
    const before = logins();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => keystone(dir).token()));
    expect(logins() - before).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(cacheFile(dir)).mode & 0o777).toBe(0o600);
    const text = readFileSync(cacheFile(dir), 'utf8');
    expect(text).not.toContain('admin-pw');
    expect(existsSync(cacheFile(dir).replace(/json$/, 'lock'))).toBe(false);
    // the catalog comes along: endpoints without a login
    expect(await keystone(dir).endpoint('compute')).toMatch(/\/compute\/v2\.1$/);
    expect(logins() - before).toBe(1);
  });

  it('another identity (project, region, interface) or another password has its own entry; the name does not contain the password', () => {
    const keys = new Set([config(), config({ projectName: 'demo' }), config({ regionName: 'RegionTwo' }), config({ interface: 'internal' }), config({ password: 'other' })].map(identityKey));
    expect(keys.size).toBe(5);
    expect(identityKey(config())).toBe(identityKey(config()));
  });

  it('a token expiring within the safety margin is not used: a new login, written for the others', async () => {
    const dir = freshDir();
    await keystone(dir).token();
    const entry = JSON.parse(readFileSync(cacheFile(dir), 'utf8')) as { token: string; expiresAt: number };
    writeFileSync(cacheFile(dir), JSON.stringify({ ...entry, expiresAt: Date.now() + 60_000 }), { mode: 0o600 });
    const before = logins();
    const token = await keystone(dir).token();
    expect(logins() - before).toBe(1);
    expect(token).not.toBe(entry.token);
    expect(await keystone(dir).token()).toBe(token);
    expect(logins() - before).toBe(1);
  });

  it('a token a service refused (401) is dropped from the cache: one new login, shared again', async () => {
    const dir = freshDir();
    const k = keystone(dir);
    const old = await k.token();
    sim.expireTokens();
    const before = logins();
    await new Nova(new ServiceEndpoint(k, 'compute')).services();
    expect(logins() - before).toBe(1);
    const renewed = await keystone(dir).token();
    expect(renewed).not.toBe(old);
    expect(logins() - before).toBe(1);
  });

  it('a corrupt cache file: a normal login, one debug line without the file\'s contents, then rewritten', async () => {
    const dir = freshDir();
    await keystone(dir).token();
    const secretish = 'gAAAAA-a-token-like-text';
    writeFileSync(cacheFile(dir), `{"token":"${secretish}`, { mode: 0o600 });
    const debug: string[] = [];
    const before = logins();
    const token = await keystone(dir, debug).token();
    expect(logins() - before).toBe(1);
    expect(debug).toContainEqual(expect.stringMatching(/^token cache: read failed \(not JSON\); logging in without it$/));
    expect(debug.join('\n')).not.toContain(secretish);
    expect(debug.join('\n')).not.toContain(token);
    expect(JSON.parse(readFileSync(cacheFile(dir), 'utf8'))).toMatchObject({ token });
  });

  it.each([
    ['the directory is a file', (dir: string) => writeFileSync(dir, 'x')],
    ['the directory is open to others (0755)', (dir: string) => { mkdirSync(dir); chmodSync(dir, 0o755); }],
  ])('unusable: %s — every process logs in normally, none fails', async (_name, spoil) => {
    const dir = freshDir();
    spoil(dir);
    const debug: string[] = [];
    const before = logins();
    const tokens = await Promise.all([keystone(dir, debug).token(), keystone(dir, debug).token()]);
    expect(tokens.every((t) => t.length > 0)).toBe(true);
    expect(logins() - before).toBe(2);
    expect(debug).toContainEqual(expect.stringMatching(/^token cache: \w+ failed .*; logging in without it$/));
  });

  it('a cache file others may read is not trusted', async () => {
    const dir = freshDir();
    await keystone(dir).token();
    chmodSync(cacheFile(dir), 0o644);
    const before = logins();
    await keystone(dir).token();
    expect(logins() - before).toBe(1);
  });

  it('a lock left by a dead process is taken over; a live one is waited for, bounded, then logged in anyway', async () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    const lock = cacheFile(dir).replace(/json$/, 'lock');
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    let before = logins();
    await keystone(dir).token();
    expect(logins() - before).toBe(1);
    expect(existsSync(lock)).toBe(false);

    const dir2 = freshDir();
    mkdirSync(dir2, { mode: 0o700 });
    writeFileSync(cacheFile(dir2).replace(/json$/, 'lock'), '');
    before = logins();
    const t0 = Date.now();
    await keystone(dir2, [], { timeoutMs: 500 }).token(); // waits 2 × 0.5 s + 1 s at most
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(logins() - before).toBe(1);
  });
});

describe('fence_compute processes', () => {
  const input = `action=status\nplug=tc-0\nauth_url=${'AUTH'}\nusername=admin\npassword=admin-pw\ntenant_name=admin\nendpoint_type=publicURL\n`;
  const fence = (env: Record<string, string>, action = 'status', password = 'admin-pw') => runAgent('fence_compute', [],
    { input: input.replace('AUTH', sim.authUrl).replace('status', action).replace('admin-pw', password), env, timeoutMs: 60_000 });

  it('10 at once with the cache: one login, every one answers; without it: ten', async () => {
    const dir = freshDir();
    let before = logins();
    const runs = await Promise.all(Array.from({ length: 10 }, () => fence({ IHA_TOKEN_CACHE: dir })));
    expect(runs.map((r) => r.code), runs.map((r) => r.stderr).join('\n')).toEqual(Array(10).fill(0));
    expect(logins() - before).toBe(1);
    expect(statSync(cacheFile(dir)).mode & 0o777).toBe(0o600);
    before = logins();
    await Promise.all(Array.from({ length: 10 }, () => fence({ IHA_TOKEN_CACHE: 'off' })));
    expect(logins() - before).toBe(10);
  });

  it('a wrong password never finds the cached token (status fails as without a cache); monitor never takes it', async () => {
    const dir = freshDir();
    expect((await fence({ IHA_TOKEN_CACHE: dir })).code).toBe(0);
    const status = await fence({ IHA_TOKEN_CACHE: dir }, 'status', 'wrong');
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('authentication failed');
    const monitor = await fence({ IHA_TOKEN_CACHE: dir }, 'monitor', 'wrong');
    expect(monitor.code).toBe(1);
    expect(monitor.stderr).toContain('authentication failed');
  });
});
