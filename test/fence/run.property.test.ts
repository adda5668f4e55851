import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runFenceAgent } from '../../lib/fence/run.ts';
import type { FenceAgent } from '../../lib/fence/agent.ts';
import { fenceCompute } from '../../lib/fence-compute/agent.ts';
import { longFlag, type ParamSpec } from '../../lib/params/types.ts';
import { printable } from '../../lib/text.ts';
import {
  SECRET, argvWord, cliValue, errorLines, expectFenceProtocolKept, hostileText, invalidValue, keySpellings, runs, typedParams, withStderr,
} from '../helpers/bad-input.ts';

// The fence-agents runner in-process under hostile input (fault matrix, "Bad input"): it never
// throws, exits 0/1 (2 only comes from a status action), and a refused input is exactly one
// ERROR line. The device action is a stub: these properties are about the protocol, not Nova.

let reached = 0;
/** What the stubbed device action does (succeeds unless a property says otherwise). */
let device: () => Promise<number> = async () => 0;
const agent: FenceAgent = { ...fenceCompute, run: () => { reached++; return device(); } };
const AUTH = ['auth_url=http://keystone.invalid/v3', 'username=admin', `password=${SECRET}`];
// quiet would hide the very line the properties look for.
const ALL_PARAMS: readonly ParamSpec[] = fenceCompute.params;
const PARAMS = ALL_PARAMS.filter((p) => p.name !== 'quiet');

async function fence(argv: readonly string[], stdin = '') {
  const { result: code, stderr } = await withStderr(() => runFenceAgent(agent, () => 'manpage\n', {
    argv, readStdin: async () => stdin, out: () => {}, manpage: () => 'manpage\n',
  }));
  return { code, stderr, errors: errorLines(stderr) };
}

const stdinLine = fc.oneof(
  hostileText.map((s) => s.replace(/\n/g, ' ')),
  fc.tuple(keySpellings(PARAMS), hostileText).map(([k, v]) => `${k}=${v.replace(/\n/g, ' ')}`),
  fc.constantFrom(...['action=off', 'action=status', 'action=validate-all', 'action=list', 'action=reboot', 'plug=compute-0', 'verbose=1', ...AUTH]),
);
const oneLine = (s: string) => s.replace(/[\n\0]/g, ' ');

describe('fence-agents runner (property)', () => {
  it('any stdin: exit 0 or 1, no stack trace, a refusal is one ERROR line, never the password', async () => {
    await fc.assert(fc.asyncProperty(fc.array(stdinLine, { maxLength: 12 }), async (lines) => {
      const stdin = [...AUTH, ...lines].join('\n');
      const r = await fence([], stdin);
      expectFenceProtocolKept(r, /action\s*=\s*"?validate-all/i.test(stdin));
    }), runs(300));
  });

  it('any argv: exit 0 or 1, no stack trace, a refusal is one ERROR line, never the password', async () => {
    await fc.assert(fc.asyncProperty(fc.array(argvWord(PARAMS), { minLength: 1, maxLength: 8 }), async (words) => {
      const argv = ['-p', SECRET, ...words];
      // -D<file> would make the agent write that file: not this property's business.
      // The password in effect is SECRET: one that a later -p replaced is not known as one.
      fc.pre(cliValue(ALL_PARAMS, argv, 'debug_file') === undefined && cliValue(ALL_PARAMS, argv, 'quiet') === undefined
        && [SECRET, undefined].includes(cliValue(ALL_PARAMS, argv, 'password')));
      expectFenceProtocolKept(await fence(argv), cliValue(ALL_PARAMS, argv, 'action') === 'validate-all');
    }), runs(300));
  });

  it('an unknown action is exit 1 with one line naming it, before anything is done', async () => {
    const known = new Set(['', ...fenceCompute.actions.map((a) => a.name), ...Object.keys(fenceCompute.actionAliases), ...Object.keys(fenceCompute.refusedActions)]);
    const action = fc.oneof(fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'of', 'reboot ', 'st\u00e4tus', 'on\u001b[2J'),
      fc.stringMatching(/^[\w.:-]{1,30}$/)).filter((a) => !known.has(a.trim().toLowerCase()));
    await fc.assert(fc.asyncProperty(action, fc.boolean(), async (a, byCli) => {
      reached = 0;
      const r = byCli ? await fence(['-o', a, '-n', 'compute-0']) : await fence([], `action=${a}\nplug=compute-0\n${AUTH.join('\n')}`);
      expect(r.code).toBe(1);
      expect(r.errors).toEqual([`unrecognised action '${printable((byCli ? a : a.trim()).toLowerCase())}'`]);
      expect(reached).toBe(0);
    }), runs(200));
  });

  it('an action in any case is that action, as in the reference library', async () => {
    // (The ones the runner answers itself, without the device, are the example tests' business.)
    const names = fenceCompute.actions.map((a) => a.name).filter((n) => !['metadata', 'manpage', 'validate-all'].includes(n));
    const anyCase = fc.constantFrom(...names).chain((n) => fc.array(fc.boolean(), { minLength: n.length, maxLength: n.length })
      .map((upper) => [...n].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('')));
    await fc.assert(fc.asyncProperty(anyCase, async (a) => {
      reached = 0;
      const r = await fence(['-o', a, '-n', 'compute-0', ...AUTH.map((x) => `--${x.replace('_', '-')}`)]);
      expect(r.errors).toEqual([]);
      expect(reached).toBe(1);
    }), runs(100));
  });

  it('an action failing with any message (a URL with a newline, an escape, the password) is one ERROR line, masked', async () => {
    await fc.assert(fc.asyncProperty(hostileText, fc.constantFrom('', SECRET), async (text, pw) => {
      device = async () => { throw new Error(`Keystone: ${text}${pw} (POST ${text})`); };
      try {
        const r = await fence(['-o', 'status', '-n', 'compute-0', ...AUTH.map((x) => `--${x.replace('_', '-')}`)]);
        expect(r.code).toBe(1);
        expect(r.errors).toHaveLength(1);
        expect(r.errors[0]).not.toMatch(/[\x00-\x1f\x7f]/);
        expect(r.stderr).not.toContain(SECRET);
      } finally {
        device = async () => 0;
      }
    }), runs(200));
  });

  it('an auth_url with white space or a control character inside is refused by validation', async () => {
    const inside = fc.constantFrom(' ', '\t', '\n', '\r', '\u001b', '\u007f', '\0');
    await fc.assert(fc.asyncProperty(inside, fc.constantFrom('http://k', 'https://k:5000/v3', 'http://k/v3?x=1'), async (c, url) => {
      const r = await fence(['-o', 'validate-all', '-n', 'compute-0', '-l', 'admin', '-p', SECRET, '-k', `${url}${c}x`]);
      expect(r.code).toBe(1);
      expect(r.errors).toEqual(['auth_url must be an http:// or https:// URL']);
    }), runs(50));
  });

  it('a bad integer, number of seconds, boolean or choice is exit 1 with one line naming the parameter, the password masked in it', async () => {
    // The value may hold the password (lines shifted by one): it is masked like everywhere else.
    const bad = fc.constantFrom(...typedParams(PARAMS)).chain((p) => fc.tuple(fc.constant(p),
      fc.tuple(fc.constantFrom('', SECRET), invalidValue(p)).map(([pw, v]) => oneLine(pw + v)).filter((v) => v.trim() !== '')));
    await fc.assert(fc.asyncProperty(bad, fc.boolean(), async ([p, v], byCli) => {
      reached = 0;
      const cli = byCli && !p.flag;
      const r = cli ? await fence(['-o', 'status', '-n', 'compute-0', `--${longFlag(p)}=${v}`, ...AUTH.map((a) => `--${a.replace('_', '-')}`)])
        : await fence([], ['action=status', 'plug=compute-0', ...AUTH, `${p.name}=${v}`].join('\n'));
      expect(r.code).toBe(1);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatch(new RegExp(`^parameter ${p.name}: value '.*' is not `));
      expect(r.stderr).not.toContain(SECRET);
      expect(reached).toBe(0);
    }), runs(200));
  });
});
