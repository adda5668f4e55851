import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../lib/fence/cli.ts';
import { fenceComputeParams } from '../../lib/fence-compute/params.ts';
import { ParamError, longFlag, type ParamSpec } from '../../lib/params/types.ts';
import { SECRET, argvWord, expectOneCleanLine, hostileText, runs } from '../helpers/bad-input.ts';

// The getopt half of the fence-agents protocol under hostile argv (fault matrix, "Bad input"):
// parseCli returns or throws a ParamError with one clean line; secrets given with --x=... are
// never echoed.

const PARAMS: readonly ParamSpec[] = fenceComputeParams;
const parse = (argv: readonly string[]) => parseCli(argv, PARAMS);
const LONGS = PARAMS.flatMap((p) => [longFlag(p), ...(p.cliAliases ?? [])]);
const valued = PARAMS.filter((p) => !p.flag && p.name !== 'debug_file');

function outcome(argv: readonly string[]): { warnings: string[] } | { error: unknown } {
  try { return parse(argv); } catch (error) { return { error }; }
}

describe('fence-agents command line (property)', () => {
  it('any argv: parsed, or a ParamError of one clean line; warnings one clean line each', () => {
    fc.assert(fc.property(fc.array(argvWord(PARAMS), { minLength: 1, maxLength: 8 }), (argv) => {
      const r = outcome(argv);
      if ('error' in r) {
        expect(r.error).toBeInstanceOf(ParamError);
        expectOneCleanLine((r.error as Error).message);
      } else {
        for (const w of r.warnings) expectOneCleanLine(w);
      }
    }), runs(1000));
  });

  it('a value after "=" of a mistyped or ambiguous long option, or of a stray word, is never echoed', () => {
    const notAnOption = fc.stringMatching(/^[a-z][a-z-]{0,12}$/).filter((n) => !LONGS.includes(n));
    const around = fc.constantFrom('', '\n', '\r\n', '\u001b', ' ');
    fc.assert(fc.property(notAnOption, around, fc.boolean(), (name, junk, afterDashes) => {
      const word = `--${name}=${junk}${SECRET}${junk}`;
      const r = outcome(afterDashes ? ['--', word, `${name}=${SECRET}`] : [word]);
      const shown = 'error' in r ? (r.error as Error).message : r.warnings.join('\n');
      expect(shown).not.toContain(SECRET);
    }), runs(300));
  });

  it('an unknown long option is named in the error; an unknown short one by its letter', () => {
    const known = new Set(PARAMS.map((p) => p.short).filter(Boolean));
    const unknownLong = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/).filter((n) => !LONGS.some((l) => l.startsWith(n)));
    const unknownShort = fc.constantFrom(...'abcfgijmswxyzABEFGHIJKLMNOQRTUWXYZ0123456789'.split('')).filter((c) => !known.has(c));
    fc.assert(fc.property(unknownLong, unknownShort, (long, short) => {
      expect(() => parse([`--${long}`])).toThrow(`unknown option '--${long}'`);
      expect(() => parse([`-${short}`])).toThrow(`unknown option '-${short}'`);
    }), runs(300));
  });

  it('every spelling of an option gives its value; the last one wins', () => {
    const style = fc.constantFrom('--long=v', '--long v', '-s v', '-sv');
    const option = fc.tuple(fc.constantFrom(...valued), hostileText.filter((v) => !v.startsWith('-')), style);
    const render = ([p, v, s]: [ParamSpec, string, string]): string[] => {
      if (s === '--long=v') return [`--${longFlag(p)}=${v}`];
      if (s === '--long v' || !p.short) return [`--${longFlag(p)}`, v];
      return s === '-s v' ? [`-${p.short}`, v] : [`-${p.short}${v}`];
    };
    fc.assert(fc.property(fc.array(option, { minLength: 1, maxLength: 6 }), (options) => {
      // '-sv' with an empty value would take the next word: give it one where that matters.
      const usable = options.filter(([p, v, s]) => !(s === '-sv' && p.short && v === ''));
      const expected = new Map(usable.map(([p, v]) => [p.name, v]));
      expect(parse(usable.flatMap(render)).raw).toEqual(expected);
    }), runs(500));
  });

  it('a flag given a value, or an option without one, is refused naming the option', () => {
    const flags = PARAMS.filter((p) => p.flag);
    fc.assert(fc.property(fc.constantFrom(...flags), fc.constantFrom(...valued), hostileText, (flag, option, v) => {
      expect(() => parse([`--${longFlag(flag)}=${v}`])).toThrow(`option '--${longFlag(flag)}' takes no value`);
      expect(() => parse([`--${longFlag(option)}`])).toThrow(`option '--${longFlag(option)}' argument missing`);
    }), runs(200));
  });
});
