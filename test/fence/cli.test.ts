import { describe, expect, it } from 'vitest';
import { parseCli } from '../../lib/fence/cli.ts';
import { fenceComputeParams } from '../../lib/fence-compute/params.ts';
import { ParamError, longFlag, type ParamSpec } from '../../lib/params/types.ts';

const parse = (...argv: string[]) => parseCli(argv, fenceComputeParams);

describe('fence-agents command line', () => {
  it('reads short and long flags, = and separate values', () => {
    const r = parse('-o', 'status', '--plug=compute-0', '-k', 'http://k/v3', '--username', 'admin', '-pX=Y');
    expect(Object.fromEntries(r.raw)).toEqual({ action: 'status', plug: 'compute-0', auth_url: 'http://k/v3', username: 'admin', password: 'X=Y' });
  });
  it('every declared flag is accepted', () => {
    const params: readonly ParamSpec[] = fenceComputeParams;
    for (const p of params) {
      const argv = p.flag ? [`--${longFlag(p)}`] : [`--${longFlag(p)}`, '5'];
      expect(parse(...argv).raw.get(p.name), p.name).toBe(p.flag ? '1' : '5');
      if (p.short) expect(parse(...(p.flag ? [`-${p.short}`] : [`-${p.short}`, '5'])).raw.get(p.name), p.short).toBe(p.flag ? '1' : '5');
    }
  });
  it('boolean flags take no value; --no-shared-storage is a plain flag, not a negation', () => {
    expect(parse('--no-shared-storage', '--insecure').raw).toEqual(new Map([['no_shared_storage', '1'], ['insecure', '1']]));
    expect(parse('-n', 'x').raw.has('no_shared_storage')).toBe(false);
  });
  it('--compute-domain is the same setting as --domain', () => {
    expect(parse('--compute-domain', 'example.com').raw.get('domain')).toBe('example.com');
  });
  it('-v counts into verbose_level', () => {
    expect(Object.fromEntries(parse('-v', '-v', '-v').raw)).toEqual({ verbose: '1', verbose_level: '3' });
    expect(Object.fromEntries(parse('-vv', '--verbose-level', '7').raw)).toEqual({ verbose: '1', verbose_level: '7' });
  });
  it('unknown flags are an error', () => {
    expect(() => parse('--bogus')).toThrow(ParamError);
    expect(() => parse('--bogus')).toThrow("unknown option '--bogus'");
    expect(() => parse('-Z')).toThrow(/unknown option '-Z'/);
  });
  it('a mistyped password flag is not echoed', () => {
    expect(() => parse('--passwd=hunter2')).toThrow(ParamError);
    try { parse('--passwd=hunter2'); } catch (e) { expect((e as Error).message).not.toContain('hunter2'); }
  });
  it('a missing value is an error', () => {
    expect(() => parse('-n')).toThrow(/argument missing/);
  });
  it('unique long-option prefixes work; ambiguous ones are an error', () => {
    expect(parse('--tenant', 'p', '--auth-u=http://k/v3').raw).toEqual(new Map([['tenant_name', 'p'], ['auth_url', 'http://k/v3']]));
    expect(() => parse('--plu', 'c0')).toThrow("ambiguous (--plug, --plug-separator)");
    expect(() => parse('--d', '5')).toThrow(/option '--d' is ambiguous/);
  });
  it('flags take no value; options and words mix; -- ends the options', () => {
    expect(() => parse('--insecure=yes')).toThrow("option '--insecure' takes no value");
    const r = parse('word', '-n', 'c0', '--', '-o', 'on');
    expect(Object.fromEntries(r.raw)).toEqual({ plug: 'c0' });
    expect(r.warnings).toEqual(["ignoring stray argument 'word'", "ignoring stray argument '-o'", "ignoring stray argument 'on'"]);
  });
  it('bundled short flags, and a value attached to the last one', () => {
    expect(Object.fromEntries(parse('-qvnc0').raw)).toEqual({ quiet: '1', verbose: '1', verbose_level: '1', plug: 'c0' });
  });
  it('stray arguments are warned about', () => {
    expect(parse('-n', 'a', 'stray').warnings).toEqual(["ignoring stray argument 'stray'"]);
  });
});
