import { describe, expect, it } from 'vitest';
import { parseStdin } from '../../lib/fence/stdin.ts';
import { fenceComputeParams } from '../../lib/fence-compute/params.ts';

const parse = (text: string) => parseStdin(text, fenceComputeParams);

describe('fence-agents stdin', () => {
  it('reads key=value lines, skipping comments and blank lines', () => {
    const r = parse('# comment\n\naction=off\n  plug = compute-0  \n#plug=other\n');
    expect(Object.fromEntries(r.raw)).toEqual({ action: 'off', plug: 'compute-0' });
    expect(r.warnings).toEqual([]);
  });
  it('keeps "=", "#", spaces and inner quotes of a value; strips one pair of surrounding quotes', () => {
    const r = parse('password="a=b #c d"\nauth_url=http://k:5000/v3?x=1#frag\ntenant_name=""quoted""\nregion_name="one\nuser_domain=my domain');
    expect(r.raw.get('password')).toBe('a=b #c d');
    expect(r.raw.get('auth_url')).toBe('http://k:5000/v3?x=1#frag');
    expect(r.raw.get('tenant_name')).toBe('"quoted"');
    expect(r.raw.get('region_name')).toBe('"one');
    expect(r.raw.get('user_domain')).toBe('my domain');
  });
  it('handles CRLF line ends', () => {
    expect(parse('action=status\r\nplug=c1\r\n').raw.get('plug')).toBe('c1');
  });
  it('later lines win', () => {
    expect(parse('plug=a\nplug=b').raw.get('plug')).toBe('b');
    expect(parse('port=a\nplug=b\nport=c').raw.get('plug')).toBe('c');
  });
  it('accepts every alias of the reference agent', () => {
    const aliases: [string, string][] = [
      ['port', 'plug'], ['login', 'username'], ['passwd', 'password'], ['passwd_script', 'password_script'],
      ['password-script', 'password_script'], ['auth-url', 'auth_url'], ['tenant-name', 'tenant_name'],
      ['project-domain', 'project_domain'], ['user-domain', 'user_domain'], ['compute_domain', 'domain'],
      ['compute-domain', 'domain'], ['region-name', 'region_name'], ['endpoint-type', 'endpoint_type'],
      ['record-only', 'record_only'], ['no-shared-storage', 'no_shared_storage'], ['debug', 'debug_file'],
      ['debug-file', 'debug_file'], ['instance-filtering', 'instance_filtering'], ['power-timeout', 'power_timeout'],
      ['shell-timeout', 'shell_timeout'], ['verbose-level', 'verbose_level'], ['retry-on', 'retry_on'],
    ];
    for (const [alias, canonical] of aliases) {
      const r = parse(`${alias}=v`);
      expect(Object.fromEntries(r.raw), alias).toEqual({ [canonical]: 'v' });
      expect(r.warnings, alias).toEqual([]);
    }
  });
  it('accepts nodename and nodeid silently', () => {
    const r = parse('nodename=compute-0\nnodeid=1\nplug=compute-0');
    expect([...r.raw.keys()]).toEqual(['plug']);
    expect(r.warnings).toEqual([]);
  });
  it('ignores unknown keys with a warning naming the key and line, never the value', () => {
    const r = parse('action=off\nbogus_key=topsecret\n');
    expect(r.raw.has('bogus_key')).toBe(false);
    expect(r.warnings).toEqual(["stdin line 2: ignoring unknown parameter 'bogus_key'"]);
    expect(r.warnings.join()).not.toContain('topsecret');
  });
  it('warns about lines without "=" and lines with NUL bytes', () => {
    const r = parse('justtext\n=value\nplug=a\0b\n');
    expect(r.warnings).toEqual([
      'stdin line 1: ignored, expected key=value',
      'stdin line 2: ignored, expected key=value',
      'stdin line 3: ignored, contains a NUL byte',
    ]);
    expect(r.raw.size).toBe(0);
  });
  it('keys are case-insensitive and trimmed', () => {
    expect(parse(' PLUG =x').raw.get('plug')).toBe('x');
  });
  it('keeps unknown keys printable in warnings', () => {
    const r = parse(`k\u0007ey=1\n${'x'.repeat(500)}=1`);
    expect(r.warnings[0]).toContain("'k?ey'");
    expect(r.warnings[1]!.length).toBeLessThan(120);
  });
});
