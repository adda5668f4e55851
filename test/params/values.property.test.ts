import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertValue, resolveValues } from '../../lib/params/values.ts';
import { ParamError, type ParamSpec } from '../../lib/params/types.ts';
import { fenceComputeParams } from '../../lib/fence-compute/params.ts';
import { novaEvacuateParams } from '../../lib/nova-evacuate/params.ts';
import { unfenceTriggerParams } from '../../lib/unfence-trigger/params.ts';
import { SECRET, expectOneCleanLine, hostileText, invalidValue, runs, typedParams } from '../helpers/bad-input.ts';

// Typed values are where stdin, CLI and OCF input meet: whatever the text, a value converts to
// its type or fails with one line naming the parameter (fault matrix: "bad value").

const ALL: readonly ParamSpec[] = [...fenceComputeParams, ...novaEvacuateParams, ...unfenceTriggerParams];
const TYPED = typedParams(ALL);
const JS_TYPE = { boolean: 'boolean', integer: 'number', second: 'number', select: 'string', string: 'string' } as const;

function conversion(p: ParamSpec, raw: string): { value?: unknown; error?: unknown } {
  try { return { value: convertValue(p, raw) }; } catch (error) { return { error }; }
}

describe('typed parameter values (property)', () => {
  it('any text converts to the declared type or fails with one clean line naming the parameter', () => {
    fc.assert(fc.property(fc.constantFrom(...ALL), hostileText, (p, raw) => {
      const r = conversion(p, raw);
      if (r.error === undefined) return void expect(typeof r.value).toBe(JS_TYPE[p.type]);
      expect(r.error).toBeInstanceOf(ParamError);
      const message = (r.error as Error).message;
      expectOneCleanLine(message);
      expect(message).toMatch(new RegExp(`^parameter ${p.name}: value`));
    }), runs(1000));
  });

  it('bad integers, seconds, booleans and choices are refused', () => {
    const badPair = fc.constantFrom(...TYPED).chain((p) => fc.tuple(fc.constant(p), invalidValue(p)));
    fc.assert(fc.property(badPair, ([p, raw]) => {
      expect(() => convertValue(p, raw)).toThrow(ParamError);
    }), runs(500));
  });

  it('numbers in range and every spelling of a boolean word are accepted', () => {
    const integer = typedParams(ALL).find((p) => p.type === 'integer')!;
    const second = typedParams(ALL).find((p) => p.type === 'second')!;
    const boolean = typedParams(ALL).find((p) => p.type === 'boolean')!;
    const word = fc.constantFrom('1', 'yes', 'true', 'on', '0', 'no', 'false', 'off')
      .chain((w) => fc.tuple(fc.constant(w), fc.boolean(), fc.constantFrom('', ' ', '\t')))
      .map(([w, upper, pad]) => `${pad}${upper ? w.toUpperCase() : w}${pad}`);
    fc.assert(fc.property(fc.integer({ min: -1e15 + 1, max: 1e15 - 1 }), fc.nat(2_147_483), word, (n, s, w) => {
      expect(convertValue(integer, String(n))).toBe(n);
      expect(convertValue(second, `${s}s`)).toBe(s);
      expect(typeof convertValue(boolean, w)).toBe('boolean');
    }), runs(300));
  });

  it('seconds beyond what a Node timer holds (24 days) are refused, not turned into an immediate timeout', () => {
    const seconds = TYPED.filter((p) => p.type === 'second');
    fc.assert(fc.property(fc.constantFrom(...seconds), fc.integer({ min: 2_147_484, max: 999_999_999 }), (p, n) => {
      expect(() => convertValue(p, String(n))).toThrow(`parameter ${p.name}: value '${n}' is more than 2147483 seconds (24 days)`);
    }), runs(200));
  });

  it('a secret value is never part of a message, whatever its type', () => {
    fc.assert(fc.property(fc.constantFrom(...TYPED), (p) => {
      const secret: ParamSpec = { ...p, secret: true };
      const r = conversion(secret, `${SECRET}x`);
      expect((r.error as Error).message).not.toContain(SECRET);
    }), runs(50));
  });

  it('resolveValues fails on the first bad value only with a ParamError, and empty values count as not given', () => {
    const raw = fc.array(fc.tuple(fc.constantFrom(...fenceComputeParams.map((p) => p.name)), fc.oneof(hostileText, fc.constant(''))), { maxLength: 8 });
    fc.assert(fc.property(raw, (pairs) => {
      const map = new Map<string, string>(pairs);
      try {
        const { given } = resolveValues(fenceComputeParams, map);
        for (const name of given) expect(map.get(name)).not.toBe('');
      } catch (e) {
        expect(e).toBeInstanceOf(ParamError);
      }
    }), runs(300));
  });
});
