import { NovaError } from './errors.ts';

// Just enough of Nova's JSON-schema request validation to give the same first error, worded
// the way Nova words it (jsonschema messages, Python reprs, "Invalid input for field/attribute").

export type PropSchema =
  /** Nova's parameter_types.boolean; `also` adds values to its enum (block_migration's 'auto'). */
  | { type: 'boolean'; also?: string[] }
  /** nullable: type ['string', 'null'] */
  | { type: 'string'; minLength?: number; maxLength?: number; pattern?: string; nullable?: boolean }
  | { type: 'enum'; values: string[] }
  | ObjectSchema;

export interface ObjectSchema {
  type: 'object';
  properties: Record<string, PropSchema>;
  required?: string[];
  additionalProperties?: boolean;
  /** anyOf: [{required: [...]}, ...] */
  anyOfRequired?: string[][];
}

const TRUE_VALUES: unknown[] = [true, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes'];
const FALSE_VALUES: unknown[] = [false, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no'];

/** oslo strutils.bool_from_string(strict=True) over the values Nova's boolean schema admits. */
export function toBool(v: unknown): boolean {
  return TRUE_VALUES.includes(v);
}

export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    const q = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
    return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
  }
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
  return String(v);
}

interface Issue { path: string[]; instance: unknown; message: string }

function check(v: unknown, s: PropSchema, path: string[]): Issue | undefined {
  const fail = (message: string): Issue => ({ path, instance: v, message });
  switch (s.type) {
    case 'boolean':
      if (typeof v !== 'boolean' && typeof v !== 'string') return fail(`${pyRepr(v)} is not of type 'boolean', 'string'`);
      if (!TRUE_VALUES.includes(v) && !FALSE_VALUES.includes(v) && !(s.also ?? []).includes(v as string)) {
        return fail(`${pyRepr(v)} is not one of ${pyRepr([...TRUE_VALUES, ...FALSE_VALUES, ...(s.also ?? [])])}`);
      }
      return undefined;
    case 'string':
      if (v === null && s.nullable) return undefined;
      if (typeof v !== 'string') return fail(`${pyRepr(v)} is not of type 'string'${s.nullable ? ", 'null'" : ''}`);
      if (s.minLength !== undefined && v.length < s.minLength) return fail(`${pyRepr(v)} is too short`);
      if (s.maxLength !== undefined && v.length > s.maxLength) return fail(`${pyRepr(v)} is too long`);
      if (s.pattern !== undefined && !new RegExp(s.pattern).test(v)) return fail(`${pyRepr(v)} does not match ${pyRepr(s.pattern)}`);
      return undefined;
    case 'enum':
      return s.values.includes(v as string) ? undefined : fail(`${pyRepr(v)} is not one of ${pyRepr(s.values)}`);
    case 'object': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(`${pyRepr(v)} is not of type 'object'`);
      const o = v as Record<string, unknown>;
      for (const [k, ps] of Object.entries(s.properties)) {
        if (k in o) {
          const issue = check(o[k], ps, [...path, k]);
          if (issue) return issue;
        }
      }
      for (const k of s.required ?? []) if (!(k in o)) return fail(`${pyRepr(k)} is a required property`);
      if (s.additionalProperties === false) {
        const extra = Object.keys(o).filter((k) => !(k in s.properties)).sort();
        if (extra.length) {
          return fail(`Additional properties are not allowed (${extra.map(pyRepr).join(', ')} ${extra.length === 1 ? 'was' : 'were'} unexpected)`);
        }
      }
      if (s.anyOfRequired && !s.anyOfRequired.some((req) => req.every((k) => k in o))) {
        return fail(`${pyRepr(o)} is not valid under any of the given schemas`);
      }
      return undefined;
    }
  }
}

/** Throws Nova's 400 for the first schema violation. */
export function validate(body: unknown, schema: ObjectSchema): void {
  const issue = check(body, schema, []);
  if (!issue) return;
  const last = issue.path[issue.path.length - 1];
  const value = typeof issue.instance === 'string' ? issue.instance : pyRepr(issue.instance);
  throw new NovaError(400, last === undefined ? issue.message
    : `Invalid input for field/attribute ${last}. Value: ${value}. ${issue.message}`);
}

export const HOSTNAME: PropSchema = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9-._]*$' };
