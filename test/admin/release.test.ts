import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Attrd } from '../../lib/pacemaker/attrd.ts';
import { Ledger } from '../../lib/pacemaker/ledger.ts';
import { runAgent } from '../helpers/run.ts';

// instance-ha status and release, the built command against the test cluster's attrd and CIB.

const attrd = new Attrd();
const ledger = new Ledger();
const host = `adm-${randomBytes(3).toString('hex')}`;
const status = async () => JSON.parse((await runAgent('instance-ha', ['status', '--json'])).stdout) as { host: string; phase: string; reason?: string }[];

afterEach(async () => {
  await attrd.remove('evacuate', { node: host, private: true }).catch(() => {});
  await attrd.remove('instance-ha-blocked', { node: host }).catch(() => {});
  await ledger.remove(host).catch(() => {});
});

describe('instance-ha status and release', () => {
  it('a blocked host shows its phase and reason; release ends it: ledger done, evacuate=no, report cleared', async () => {
    await attrd.update('evacuate', 'ctl@1', { node: host, private: true });
    await ledger.set({ host, phase: 'evacuating', since: Date.now() / 1000, by: 'ctl' });
    await attrd.update('instance-ha-blocked', 'evacuation cannot finish: 1 failed', { node: host });
    expect((await status()).find((s) => s.host === host)).toMatchObject({ phase: 'blocked', reason: 'evacuation cannot finish: 1 failed' });
    const text = await runAgent('instance-ha', ['status']);
    expect(text.stdout).toContain(`${host} is blocked: evacuation cannot finish: 1 failed`);

    const r = await runAgent('instance-ha', ['release', host]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${host}: released (was blocked: evacuation cannot finish: 1 failed); released by`);
    expect(await ledger.get(host)).toMatchObject({ phase: 'done', by: expect.stringContaining('released by') });
    expect(await attrd.query('evacuate', host)).toBe('no');
    expect(await attrd.query('instance-ha-blocked', host)).toBeUndefined();
    expect((await status()).find((s) => s.host === host)).toMatchObject({ phase: 'done' });
  });
  it('nothing to release: exit 3 and one line', async () => {
    const r = await runAgent('instance-ha', ['release', host]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toEqual([`instance-ha: ${host} has no evacuation to release (no open ledger entry, no evacuate mark)`]);
  });
  it('a name with only a blocked report (a copy under a node name, a leftover): release refuses (3) and writes nothing; forget drops the report', async () => {
    await attrd.update('instance-ha-blocked', 'mass failure: 3 of 4 compute services down (75%, threshold 50%)', { node: host });
    const r = await runAgent('instance-ha', ['release', host]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toEqual([`instance-ha: ${host} has no evacuation, only a blocked report (a copy under a Pacemaker node name that host_map or domain give, or a leftover): release the host under its Nova name (instance-ha status), or drop the report with instance-ha forget ${host}`]);
    expect(await ledger.get(host)).toBeUndefined();
    expect(await attrd.query('evacuate', host)).toBeUndefined();
    expect((await runAgent('instance-ha', ['forget', host])).code).toBe(0);
    expect(await attrd.query('instance-ha-blocked', host)).toBeUndefined();
  });
  it('bad usage: exit 2', async () => {
    expect((await runAgent('instance-ha', ['release'])).code).toBe(2);
    expect((await runAgent('instance-ha', ['no-such-command'])).code).toBe(2);
  });
});
