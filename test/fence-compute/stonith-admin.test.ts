import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { BIN, run } from '../helpers/run.ts';
import { REFERENCE_NAMES, parameterNames as names } from '../helpers/reference.ts';
import { DIVERT_FENCE_COMPUTE as DIVERT, lockSystemPaths, unlockSystemPaths } from '../helpers/system-lock.ts';

// Pacemaker looks for fence agents in /usr/sbin, where Debian's fence-agents owns
// fence_compute: ours goes there only through dpkg-divert, and Debian's comes back after.

describe('fence_compute under Pacemaker (stonith_admin, dpkg-divert)', () => {
  let debianMetadata = '';
  beforeAll(async () => {
    await lockSystemPaths();
    await run('bash', [DIVERT, 'restore']);
    debianMetadata = (await run('/usr/sbin/fence_compute', ['-o', 'metadata'])).stdout;
    const r = await run('bash', [DIVERT, 'install', join(BIN, 'fence_compute')]);
    expect(r.code).toBe(0);
  });
  afterAll(async () => {
    await run('bash', [DIVERT, 'restore']);
    unlockSystemPaths();
  });

  it('the committed reference name list matches Debian\'s fence_compute 4.12', () => {
    expect(names(debianMetadata)).toEqual(REFERENCE_NAMES);
  });
  it('stonith_admin --metadata accepts ours', async () => {
    expect((await run('bash', [DIVERT, 'status'])).stdout.trim()).toBe('ours');
    const r = await run('stonith_admin', ['--metadata', '--agent', 'fence_compute']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<resource-agent name="fence_compute"');
    expect(r.stdout).toContain('name="host_map"');
  });
  it('stonith_admin --validate runs our validate-all: passes complete, fails without auth_url', async () => {
    const ok = await run('stonith_admin', ['--validate', '--agent', 'fence_compute', '--option', 'auth_url=http://127.0.0.1:35000/v3',
      '--option', 'username=admin', '--option', 'password=secret', '--option', 'tenant_name=admin']);
    expect(ok.stdout).toContain('Validation of fence_compute succeeded');
    expect(ok.code).toBe(0);
    const bad = await run('stonith_admin', ['--validate', '--agent', 'fence_compute', '--option', 'username=admin']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('auth_url is not set');
  });
  it('restore brings back Debian\'s own agent', async () => {
    await run('bash', [DIVERT, 'restore']);
    expect((await run('bash', [DIVERT, 'status'])).stdout.trim()).toBe('debian');
    expect((await run('/usr/sbin/fence_compute', ['-o', 'metadata'])).stdout).toBe(debianMetadata);
    await run('bash', [DIVERT, 'install', join(BIN, 'fence_compute')]);
  });
});
