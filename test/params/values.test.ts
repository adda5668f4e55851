import { describe, expect, it } from 'vitest';
import { convertValue, parseBoolean, resolveValues, secretValues } from '../../lib/params/values.ts';
import { ParamError, indexParams, type ParamSpec } from '../../lib/params/types.ts';
import { fenceComputeParams } from '../../lib/fence-compute/params.ts';

const spec = (type: ParamSpec['type'], extra: Partial<ParamSpec> = {}): ParamSpec => ({ name: 'p', type, shortdesc: 'x', ...extra });

describe('booleans', () => {
  it.each(['1', 'yes', 'YES', 'true', 'True', 'on', 'ON', ' y '])('%s is true', (w) => expect(parseBoolean(w)).toBe(true));
  it.each(['0', 'no', 'No', 'false', 'FALSE', 'off', 'n'])('%s is false', (w) => expect(parseBoolean(w)).toBe(false));
  it('anything else is an error naming the parameter', () => {
    expect(() => convertValue(spec('boolean', { name: 'insecure' }), 'maybe')).toThrow(/insecure.*'maybe'.*not a boolean/);
  });
  it('insecure=false keeps TLS verification on (the reference read it as insecure)', () => {
    const { values } = resolveValues(fenceComputeParams, new Map([['insecure', 'false']]));
    expect(values.insecure).toBe(false);
  });
  it('insecure defaults to false', () => {
    expect(resolveValues(fenceComputeParams, new Map()).values.insecure).toBe(false);
  });
});

describe('numbers', () => {
  it('integers', () => {
    expect(convertValue(spec('integer'), '42')).toBe(42);
    expect(() => convertValue(spec('integer'), '4x')).toThrow(ParamError);
    expect(() => convertValue(spec('integer'), '1.5')).toThrow(/not an integer/);
  });
  it('seconds accept fractions and a trailing s', () => {
    expect(convertValue(spec('second'), '2.5')).toBe(2.5);
    expect(convertValue(spec('second'), '30s')).toBe(30);
    expect(() => convertValue(spec('second'), '-1')).toThrow(/seconds/);
    expect(() => convertValue(spec('second'), 'soon')).toThrow(/seconds/);
  });
  it('declared bounds: at least min, more than above, at most max, each named in one line', () => {
    const threshold = spec('integer', { name: 'threshold', min: 0, max: 100 });
    expect([convertValue(threshold, '0'), convertValue(threshold, '100')]).toEqual([0, 100]);
    expect(() => convertValue(threshold, '101')).toThrow("parameter threshold: value '101' is more than 100");
    expect(() => convertValue(threshold, '-1')).toThrow("parameter threshold: value '-1' is less than 0");
    const interval = spec('second', { name: 'poll_interval', above: 0 });
    expect(convertValue(interval, '0.001')).toBe(0.001);
    expect(() => convertValue(interval, '0s')).toThrow("parameter poll_interval: value '0s' must be more than 0 seconds");
  });
});

describe('select', () => {
  const endpoint = fenceComputeParams.find((p) => p.name === 'endpoint_type')!;
  it.each(['publicURL', 'internalURL', 'adminURL', 'public', 'internal', 'admin'])('accepts %s', (v) => {
    expect(convertValue(endpoint, v)).toBe(v);
  });
  it('rejects others, listing the choices', () => {
    expect(() => convertValue(endpoint, 'privateURL')).toThrow(/endpoint_type.*one of internalURL/);
  });
});

describe('resolveValues', () => {
  it('applies declared defaults with their types', () => {
    const { values, given } = resolveValues(fenceComputeParams, new Map([['plug', 'c0']]));
    expect(values).toMatchObject({ plug: 'c0', action: 'off', endpoint_type: 'internalURL', user_domain: 'Default', shell_timeout: 180, retry_on: 1, delay: 0 });
    expect([...given]).toEqual(['plug']);
  });
  it('an empty value counts as not given', () => {
    const { values } = resolveValues(fenceComputeParams, new Map([['domain', ''], ['power_timeout', '']]));
    expect(values.domain).toBeUndefined();
    expect(values.power_timeout).toBe(20);
  });
  it('errors never echo a secret value', () => {
    const secret = { name: 'password', type: 'integer', secret: true, shortdesc: 'x' } as const;
    expect(() => convertValue(secret, 'hunter2')).toThrow(ParamError);
    try { convertValue(secret, 'hunter2'); } catch (e) { expect((e as Error).message).not.toContain('hunter2'); }
  });
  it('collects the secret values', () => {
    const { values } = resolveValues(fenceComputeParams, new Map([['password', 's3cret'], ['application_credential_secret', 'acs'], ['username', 'admin']]));
    expect(secretValues(fenceComputeParams, values).sort()).toEqual(['acs', 's3cret']);
  });
});

describe('declarations', () => {
  it('no name is declared twice', () => {
    expect(() => indexParams(fenceComputeParams)).not.toThrow();
  });
  it('every default converts to its own type', () => {
    for (const p of fenceComputeParams) {
      if ('default' in p && p.default !== '') expect(() => convertValue(p, p.default), p.name).not.toThrow();
    }
  });
});
