import { ParamError, indexParams, type ParamSpec, type ParamValue } from './types.ts';
import { printable } from '../text.ts';
import { MAX_TIMER_MS } from '../time.ts';

/** The type a declared parameter's value has once converted. */
type ValueOf<S extends ParamSpec> =
  S extends { type: 'boolean' } ? boolean
    : S extends { type: 'integer' | 'second' } ? number
      : S extends { type: 'string' | 'select' } ? string
        : ParamValue;

/** The name of a parameter with a non-empty default: resolveValues always sets it. */
type Defaulted<S extends ParamSpec> = S extends { default: infer D extends string } ? (D extends '' ? never : S['name']) : never;

/**
 * Typed values of a declaration (`as const`): `values.concurrency` is a number, present
 * whenever the declaration gives it a default. For a plain ParamSpec[] it is ParamValues.
 */
export type Values<P extends readonly ParamSpec[]> =
  { readonly [S in P[number] as Defaulted<S>]: ValueOf<S> }
  & { readonly [S in P[number] as S['name'] extends Defaulted<S> ? never : S['name']]?: ValueOf<S> };

const TRUE_WORDS = new Set(['1', 'yes', 'y', 'true', 'on', 'ja']);
const FALSE_WORDS = new Set(['0', 'no', 'n', 'false', 'off', 'nein']);

/** Strict boolean: anything but a known word is an error (insecure=maybe must not guess). */
export function parseBoolean(raw: string): boolean | undefined {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** The declared bounds (0 would make a poll interval spin, for example). */
function inRange(p: ParamSpec, n: number, shown: string): number {
  const unit = p.type === 'second' ? ' seconds' : '';
  if (p.min !== undefined && n < p.min) throw new ParamError(`parameter ${p.name}: value${shown} is less than ${p.min}${unit}`);
  if (p.above !== undefined && !(n > p.above)) throw new ParamError(`parameter ${p.name}: value${shown} must be more than ${p.above}${unit}`);
  if (p.max !== undefined && n > p.max) throw new ParamError(`parameter ${p.name}: value${shown} is more than ${p.max}${unit}`);
  return n;
}

/** Converts one raw string; throws ParamError naming the parameter (never echoing a secret). */
export function convertValue(p: ParamSpec, raw: string): ParamValue {
  // printable: a value with a newline or escape sequence must not break the one-line message.
  const shown = p.secret ? '' : ` '${printable(raw, 80)}'`;
  switch (p.type) {
    case 'boolean': {
      const b = parseBoolean(raw);
      if (b === undefined) throw new ParamError(`parameter ${p.name}: value${shown} is not a boolean (use 1/0, yes/no, true/false, on/off)`);
      return b;
    }
    case 'integer': {
      if (!/^-?\d{1,15}$/.test(raw.trim())) throw new ParamError(`parameter ${p.name}: value${shown} is not an integer`);
      return inRange(p, Number(raw.trim()), shown);
    }
    case 'second': {
      // Pacemaker-style "30s" is accepted beside plain numbers.
      const m = /^(\d{1,9}(?:\.\d{1,6})?)s?$/.exec(raw.trim());
      if (!m) throw new ParamError(`parameter ${p.name}: value${shown} is not a number of seconds`);
      // Every wait becomes a Node timer, which cannot hold more (a longer one fires at once).
      if (Number(m[1]) * 1000 > MAX_TIMER_MS) throw new ParamError(`parameter ${p.name}: value${shown} is more than ${Math.floor(MAX_TIMER_MS / 1000)} seconds (24 days)`);
      return inRange(p, Number(m[1]), shown);
    }
    case 'select': {
      if (!p.choices?.includes(raw)) {
        throw new ParamError(`parameter ${p.name}: value${shown} is not one of ${p.choices?.join(', ')}`);
      }
      return raw;
    }
    case 'string':
      return raw;
  }
}

export interface Resolved<P extends readonly ParamSpec[]> {
  values: Values<P>;
  /** Canonical names given explicitly (not defaulted). */
  given: ReadonlySet<string>;
}

/**
 * Raw strings by canonical name → typed values with defaults. An empty string counts as
 * not given (configurations often carry `domain=`). Errors name the parameter. With
 * `problems`, a bad value is reported there and left to its default instead of thrown.
 */
export function resolveValues<P extends readonly ParamSpec[]>(params: P, raw: ReadonlyMap<string, string>, problems?: string[]): Resolved<P> {
  const values: Record<string, ParamValue | undefined> = {};
  const given = new Set<string>();
  const index = indexParams(params);
  for (const [name, value] of raw) {
    const p = index.get(name);
    if (!p) throw new Error(`internal: raw value for undeclared parameter ${name}`);
    if (value === '') continue;
    try {
      values[p.name] = convertValue(p, value);
    } catch (e) {
      if (!problems || !(e instanceof ParamError)) throw e;
      problems.push(e.message);
      continue;
    }
    given.add(p.name);
  }
  for (const p of params) {
    if (given.has(p.name) || p.default === undefined || p.default === '') continue;
    values[p.name] = convertValue(p, p.default);
  }
  // The one place the declaration's promise is made: every defaulted name is set above.
  return { values: values as Values<P>, given };
}

/** A string parameter's value, or undefined when absent or empty. */
export function stringParam(v: ParamValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The values of every secret parameter, for masking and for the child-process guard. */
export function secretValues(params: readonly ParamSpec[], values: Readonly<Record<string, ParamValue | undefined>>): string[] {
  return params.filter((p) => p.secret).map((p) => values[p.name]).filter((v): v is string => typeof v === 'string' && v !== '');
}
