import { schemaFor, type Schema } from '../agent-fields.ts';
import { compareHeaders } from '../../simulator/contract/shape.ts';
import { callKey, classify, type Endpoints } from './classify.ts';
import type { Exchange } from './recording-http.ts';

// The simulator must answer each call like the real Nova in what the agents read. Ids and
// values differ between the two clouds, so each answer becomes a TYPE TREE: every leaf its JSON
// type, every array one item merging all of its items (a field null in one item and a string in
// another reads "null|string"). The two trees must be equal, cut down to the contract's fields.

export interface Recorded { exchanges: Exchange[]; endpoints: Endpoints }
type Tree = string | { [key: string]: Tree } | Tree[];

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The type tree of a value; with a schema, only the fields it names (a schema leaf keeps just the type). */
export function typeTree(value: unknown, schema?: Schema): Tree {
  if (typeof schema === 'string' || value === null || typeof value !== 'object') return jsonType(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => typeTree(v, Array.isArray(schema) ? schema[0] : schema));
    return items.length ? [items.reduce(merge)] : [];
  }
  if (Array.isArray(schema)) return jsonType(value);
  const wanted = schema ? new Set(Object.keys(schema).map((k) => k.replace(/\?$/, ''))) : undefined;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !wanted || wanted.has(k))
    .map(([k, v]) => [k, typeTree(v, schema?.[k] ?? schema?.[`${k}?`])]));
}

function merge(a: Tree, b: Tree): Tree {
  if (typeof a === 'string' || typeof b === 'string' || Array.isArray(a) !== Array.isArray(b)) {
    return [...new Set([...String(typeof a === 'string' ? a : 'object').split('|'), ...String(typeof b === 'string' ? b : 'object').split('|')])].sort().join('|');
  }
  if (Array.isArray(a) && Array.isArray(b)) return a[0] && b[0] ? [merge(a[0], b[0])] : a[0] ? a : b;
  const ao = a as Record<string, Tree>;
  const bo = b as Record<string, Tree>;
  // a key only some items have is optional: "absent" joins its types
  return Object.fromEntries([...new Set([...Object.keys(ao), ...Object.keys(bo)])]
    .map((k) => [k, ao[k] && bo[k] ? merge(ao[k], bo[k]) : merge(ao[k] ?? bo[k] ?? 'absent', 'absent')]));
}

function diff(real: Tree, sim: Tree, path: string): string[] {
  if (typeof real === 'string' || typeof sim === 'string') return JSON.stringify(real) === JSON.stringify(sim) ? [] : [`${path}: real ${show(real)}, simulator ${show(sim)}`];
  if (Array.isArray(real) || Array.isArray(sim)) {
    if (!Array.isArray(real) || !Array.isArray(sim)) return [`${path}: real ${show(real)}, simulator ${show(sim)}`];
    return real[0] && sim[0] ? diff(real[0], sim[0], `${path}[]`) : []; // an empty list says nothing about its items
  }
  return [...new Set([...Object.keys(real), ...Object.keys(sim)])].flatMap((k) => {
    if (!(k in sim)) return [`${path}.${k}: missing in the simulator`];
    if (!(k in real)) return [`${path}.${k}: only in the simulator`];
    return diff(real[k]!, sim[k]!, `${path}.${k}`);
  });
}
const show = (t: Tree) => (typeof t === 'string' ? t : Array.isArray(t) ? 'array' : 'object');

/** The last answer of each kind of call (the settled state, when a step polls). */
function byKey(r: Recorded): Map<string, Exchange & { schema: Schema | undefined }> {
  const out = new Map<string, Exchange & { schema: Schema | undefined }>();
  for (const x of r.exchanges) {
    const call = classify(x, r.endpoints);
    if (call) out.set(callKey(call), { ...x, schema: schemaFor(call) });
  }
  return out;
}

/** How many kinds of call both clouds answered (so an empty comparison is not a vacuous one). */
export function pairedCalls(real: Recorded, sim: Recorded): string[] {
  const s = byKey(sim);
  return [...byKey(real).keys()].filter((k) => s.has(k));
}

/**
 * Differences of the simulator's answers from the real ones; empty when they agree. `whole`
 * compares every field (for the report), else the agents' fields and that the same calls happened.
 */
export function compareTargets(real: Recorded, sim: Recorded, whole = false): string[] {
  const r = byKey(real);
  const s = byKey(sim);
  const out: string[] = [];
  if (!whole) for (const k of new Set([...r.keys(), ...s.keys()])) if (!r.has(k) || !s.has(k)) out.push(`${k}: only the ${r.has(k) ? 'real cloud' : 'simulator'} got this call`);
  for (const [k, a] of r) {
    const b = s.get(k);
    if (!b) continue;
    if (a.schema || whole) out.push(...diff(typeTree(a.body, whole ? undefined : a.schema), typeTree(b.body, whole ? undefined : a.schema), '$').map((p) => `${k}: ${p}`));
    // the token header, content type and microversion echo (only 2xx answers keep their headers)
    if (a.status < 300) out.push(...compareHeaders(a.headers, new Headers(b.headers)).map((p) => `${k}: ${p}`));
  }
  return out;
}
