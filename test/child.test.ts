import { describe, expect, it } from 'vitest';
import { assertNoSecret, childEnvironment, runChild, SecretLeakError } from '../lib/child.ts';
import { registerSecret } from '../lib/secrets.ts';

describe('child processes', () => {
  it('get a fixed environment: none of the agent\'s variables, secrets or Pacemaker meta', async () => {
    process.env.OCF_RESKEY_password = 'ocf-pw-123';
    process.env.OS_PASSWORD = 'os-pw-123';
    process.env.OCF_RESKEY_CRM_meta_on_node = 'compute-0';
    try {
      const r = await runChild('/usr/bin/env', [], { timeoutMs: 5000 });
      expect(r.exitCode).toBe(0);
      const keys = r.stdout.trim().split('\n').map((l) => l.split('=')[0]).sort();
      expect(keys).toEqual(['LANG', 'LC_ALL', 'PATH'].concat(process.env.TZ ? ['TZ'] : []).sort());
      expect(r.stdout).not.toMatch(/pw-123|meta_on_node/);
    } finally {
      delete process.env.OCF_RESKEY_password;
      delete process.env.OS_PASSWORD;
      delete process.env.OCF_RESKEY_CRM_meta_on_node;
    }
  });
  it('LANG and LC_ALL are C', () => {
    expect(childEnvironment()).toMatchObject({ LANG: 'C', LC_ALL: 'C' });
  });
  it('refuse to start with a registered secret in argv or environment', async () => {
    registerSecret('child-secret-456');
    expect(() => assertNoSecret(['x', '--password=child-secret-456'], {})).toThrow(SecretLeakError);
    expect(() => assertNoSecret(['x'], { V: 'child-secret-456' })).toThrow(SecretLeakError);
    await expect(runChild('/bin/echo', ['child-secret-456'], { timeoutMs: 1000 })).rejects.toThrow(SecretLeakError);
  });
  it('are killed at their timeout', async () => {
    const t0 = Date.now();
    const r = await runChild('/bin/sleep', ['30'], { timeoutMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
  it('a missing binary is exit 127 with one line', async () => {
    const r = await runChild('/nonexistent/tool', [], { timeoutMs: 1000 });
    expect(r.exitCode).toBe(127);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
