import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAgent } from '../helpers/run.ts';

const AUTH = ['auth_url=http://127.0.0.1:35000/v3', 'username=admin', 'password=s3cret-pw', 'tenant_name=admin'];
const stdin = (...lines: string[]) => ({ input: `${lines.join('\n')}\n` });
const errorLines = (s: string) => s.split('\n').filter((l) => / ERROR: /.test(l));

describe('fence_compute protocol surface (built agent)', () => {
  it('metadata by CLI and by stdin, meta-data alias', async () => {
    const a = await runAgent('fence_compute', ['-o', 'metadata']);
    const b = await runAgent('fence_compute', [], stdin('action=metadata'));
    const c = await runAgent('fence_compute', ['-o', 'meta-data']);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('<resource-agent name="fence_compute"');
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).toBe(a.stdout);
  });
  it('manpage prints the troff page', async () => {
    const r = await runAgent('fence_compute', ['-o', 'manpage']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\.TH FENCE_COMPUTE 8/);
  });
  it('validate-all: 0 with a complete configuration', async () => {
    const r = await runAgent('fence_compute', [], stdin('action=validate-all', 'plug=compute-0', ...AUTH));
    expect(r.code).toBe(0);
    expect(errorLines(r.stderr)).toEqual([]);
  });
  it('validate-all: 1 with one line per problem, and never the password', async () => {
    const r = await runAgent('fence_compute', [], stdin('action=validate-all', 'password=s3cret-pw', 'insecure=perhaps'));
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/parameter insecure: value 'perhaps' is not a boolean/);
    const r2 = await runAgent('fence_compute', [], stdin('action=validate-all', 'password=s3cret-pw'));
    expect(r2.code).toBe(1);
    expect(errorLines(r2.stderr).map((l) => l.replace(/^.* ERROR: /, ''))).toEqual([
      'required parameter plug is not set',
      'auth_url is not set (nor cloud, OS_AUTH_URL or OS_CLOUD)',
      'username is not set',
    ]);
    expect(r.stderr + r2.stderr).not.toContain('s3cret-pw');
  });
  it('validate-all checks values: endpoint_type, auth_url scheme, host_map', async () => {
    const r = await runAgent('fence_compute', [], stdin('action=validate-all', 'plug=c', ...AUTH, 'endpoint_type=privateURL'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('endpoint_type');
    const r2 = await runAgent('fence_compute', [], stdin('action=validate-all', 'plug=c', 'auth_url=keystone:5000', 'username=a', 'password=b'));
    expect(r2.stderr).toContain('auth_url must be an http:// or https:// URL');
    const r3 = await runAgent('fence_compute', [], stdin('action=validate-all', 'plug=c', ...AUTH, 'host_map=compute-0'));
    expect(r3.code).toBe(1);
    expect(r3.stderr).toContain("host_map: entry 'compute-0' is not node:nova-host");
  });
  it('unknown stdin keys are a warning, not a failure', async () => {
    const r = await runAgent('fence_compute', [], stdin('action=validate-all', 'plug=c', ...AUTH, 'nodename=c', 'mystery=1'));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("WARNING: stdin line 8: ignoring unknown parameter 'mystery'");
  });
  it('unknown CLI flags fail with one line', async () => {
    const r = await runAgent('fence_compute', ['--mystery']);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([expect.stringContaining("unknown option '--mystery'")]);
  });
  it('unknown action and reboot exit 1 with one line', async () => {
    const r = await runAgent('fence_compute', ['-o', 'explode', '-n', 'c']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unrecognised action 'explode'");
    const reboot = await runAgent('fence_compute', ['-o', 'reboot', '-n', 'c', '-k', 'http://k/v3', '-l', 'a', '-p', 'b']);
    expect(reboot.code).toBe(1);
    expect(reboot.stderr).toContain('action reboot is not supported');
  });
  it('record_only=disabled makes every action a successful no-op, like the reference', async () => {
    for (const action of ['off', 'on', 'status']) {
      const r = await runAgent('fence_compute', [], stdin(`action=${action}`, 'plug=c', ...AUTH, 'record_only=disabled'));
      expect(r.code, action).toBe(0);
    }
  });
  it('--help and --version exit 0', async () => {
    const h = await runAgent('fence_compute', ['-h']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('-k, --auth-url=[url]');
    const v = await runAgent('fence_compute', ['-V']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^fence_compute \d+\.\d+\.\d+/);
  });
  it('quiet silences stderr; debug_file gets every line with secrets masked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihaa-'));
    const file = join(dir, 'debug.log');
    const r = await runAgent('fence_compute', [], stdin('action=validate-all', 'quiet=1', `debug_file=${file}`, 'password=s3cret-pw', 'username=s3cret-pw'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const log = readFileSync(file, 'utf8');
    expect(log).toContain('required parameter plug is not set');
    expect(log).toContain('DEBUG: parameters given');
    expect(log).not.toContain('s3cret-pw');
  });
  it('stdin that never ends is not waited on forever', async () => {
    // A closed-but-empty stdin is the normal case; an endless one is bounded by the reader (unit-tested).
    const r = await runAgent('fence_compute', [], { input: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('required parameter plug is not set');
  });
});
