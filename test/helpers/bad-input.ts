import fc from 'fast-check';
import { expect, vi } from 'vitest';
import { longFlag, normalizeKey, type ParamSpec } from '../../lib/params/types.ts';
import { parseCli } from '../../lib/fence/cli.ts';
import { runOcfAgent } from '../../lib/ocf/run.ts';
import type { OcfAgent } from '../../lib/ocf/agent.ts';

// Shared pieces of the bad-input property tests (docs/fault-matrix.md, "Bad input"): fixed
// seeds, generators of hostile input, and the checks every rejected input must pass.

/**
 * Fixed seed: a failure replays identically; fast-check prints the counterexample. To explore
 * further by hand: IHA_FUZZ_SEED=<n> and IHA_FUZZ_FACTOR=<runs multiplier>.
 */
export const SEED = Number(process.env.IHA_FUZZ_SEED ?? 9);
const FACTOR = Number(process.env.IHA_FUZZ_FACTOR ?? 1);
export const runs = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns: Math.ceil(numRuns * FACTOR) });

/** A password that must never appear in any message, whatever else the input holds. */
export const SECRET = 'S3cr3t-Pa55w0rd';

/** Keys the generators never produce: debug_file would make the agent write files anywhere. */
const NOT_GENERATED = new Set(['debug_file']);

/** Every spelling a declaration accepts for a key: name, older names, '-' for '_', any case. */
export function keySpellings(params: readonly ParamSpec[]): fc.Arbitrary<string> {
  const names = params.filter((p) => !NOT_GENERATED.has(p.name)).flatMap((p) => [p.name, ...(p.deprecatedNames ?? [])]);
  return fc.tuple(fc.constantFrom(...names), fc.constantFrom('as-is', 'dashes', 'upper'))
    .map(([n, style]) => (style === 'dashes' ? n.replaceAll('_', '-') : style === 'upper' ? n.toUpperCase() : n));
}

/** The canonical parameter a (valid) key spelling stands for. */
export function canonicalOf(params: readonly ParamSpec[], key: string): string | undefined {
  const k = normalizeKey(key);
  return params.find((p) => [p.name, ...(p.deprecatedNames ?? [])].some((n) => normalizeKey(n) === k))?.name;
}

/** Text as hostile as a string gets: any code point, control characters, quotes, '=' and '#'. */
export const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('=', '#', '"', ' ', '\t', '\r', '\n', '\0', '\u001b', '-', 'a', '\u00e9', '\ufffd'), maxLength: 20 }),
);

/** Near misses per type, as operators write them. */
const NEAR_MISSES: Record<ParamSpec['type'], readonly string[]> = {
  integer: ['1.5', '0x10', '1e3', '١٢', '12345678901234567', '+-1', 'ten', '1 2'],
  second: ['-1', '1m', '1e3', '.5', 'soon', 'Infinity', '30 s', '1.2345678'],
  boolean: ['maybe', '2', 'tru', 'yes please', 'oui', '-1'],
  select: ['InternalURL', 'private', 'PUBLIC', 'admin_url'],
  string: [''],
};

/**
 * A value a typed parameter must refuse: a near miss, or any text around a character that no
 * boolean word, number or select choice contains. (For strings there is none: anything goes.)
 */
export function invalidValue(p: ParamSpec): fc.Arbitrary<string> {
  const marked = fc.tuple(hostileText, fc.constantFrom('x', '!', '?', '\u00e9', '\u001b'), hostileText).map((parts) => parts.join(''));
  return fc.oneof(fc.constantFrom(...NEAR_MISSES[p.type]), marked);
}

/** Command-line words as a confused caller writes them: options, near-options, values, junk. */
export function argvWord(params: readonly ParamSpec[]): fc.Arbitrary<string> {
  const longs = params.filter((p) => !NOT_GENERATED.has(p.name)).flatMap((p) => [longFlag(p), ...(p.cliAliases ?? [])]);
  return fc.oneof(
    hostileText,
    fc.constantFrom('--', '-', '---', '--=', '-=', '-o', '-n', '-vv', '-p', '--plu', '--d', '--insecure=1', `--passwd=${SECRET}`, `--pass=${SECRET}`),
    fc.constantFrom(...longs).map((l) => `--${l}`),
    fc.tuple(fc.constantFrom(...longs), hostileText).map(([l, v]) => `--${l}=${v}`),
    fc.tuple(fc.constantFrom('-', '--'), fc.string({ unit: 'binary', minLength: 1, maxLength: 6 })).map(([d, s]) => d + s),
  );
}

/** Parameters with a type that can be wrong (not free-form strings), for bad-value properties. */
export const typedParams = (params: readonly ParamSpec[]) => params.filter((p) => p.type !== 'string');

/** The long CLI spelling of a parameter. */
export const longOption = (p: ParamSpec) => `--${longFlag(p)}`;

/** A message the operator sees: one line, printable ASCII, bounded, no stack trace. */
export function expectOneCleanLine(message: string): void {
  expect(message).not.toMatch(/[\n\r]/);
  expect(message).toMatch(/^[\x20-\x7e…]*$/);
  expect(message.length).toBeLessThan(400);
}

/** Stack frames, or an error class leaking out as text: never on stderr for bad input. */
export function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at .+/m);
  expect(stderr).not.toMatch(/\b(TypeError|RangeError|ReferenceError|SyntaxError|Uncaught|node:internal)\b/);
}

/** ERROR lines of the fence-agents log format, without their timestamp. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => / ERROR: /.test(l)).map((l) => l.replace(/^.* ERROR: /, ''));
}

/** Runs fn with process.stderr captured (the runners log there in-process). */
export async function withStderr<T>(fn: () => Promise<T>): Promise<{ result: T; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { result: await fn(), stderr };
  } finally {
    spy.mockRestore();
  }
}

/** The raw value argv gives a parameter, or undefined (also when argv does not parse). */
export function cliValue(params: readonly ParamSpec[], argv: readonly string[], name: string): string | undefined {
  try { return parseCli(argv, params).raw.get(name); } catch { return undefined; }
}

/** What every fence-agents run must show, whatever went in: 0 or 1, and a refusal is one ERROR line. */
export function expectFenceProtocolKept(r: { code: number; stderr: string }, validateAll: boolean): void {
  const errors = errorLines(r.stderr);
  expect([0, 1]).toContain(r.code);
  expectNoStackTrace(r.stderr);
  for (const line of r.stderr.split('\n').filter(Boolean)) expectOneCleanLine(line);
  expect(r.stderr).not.toContain(SECRET);
  if (r.code === 0) expect(errors).toEqual([]);
  else if (validateAll) expect(errors.length).toBeGreaterThanOrEqual(1);
  else expect(errors).toHaveLength(1);
}

/** An OCF agent run in-process: its code, everything it wrote to stderr, its exit-reason lines. */
export async function callOcf(agent: OcfAgent, action: string | undefined, env: Record<string, string>) {
  let err = '';
  const { result: code, stderr } = await withStderr(() => runOcfAgent(agent, {
    argv: action === undefined ? [] : [action], env, out: () => {}, err: (t) => { err += t; },
  }));
  return { code: code as number, all: err + stderr, reasons: exitReasons(err) };
}

export const exitReasons = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('ocf-exit-reason:'));
