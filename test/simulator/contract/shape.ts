// Compares the SHAPE of two JSON values: same keys (recursively), same JSON types. Values
// are ignored except for what decides a shape. Arrays of objects with ids are paired by id
// (Nova's order is not always stable); otherwise by position.

type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' | 'undefined';

function typeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as JsonType;
}

function idOf(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const id = o['id'] ?? o['uuid'];
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

function compareArrays(expected: unknown[], actual: unknown[], path: string, out: string[]): void {
  if (expected.length === 0 || actual.length === 0) {
    if (expected.length !== actual.length) out.push(`${path}: expected ${expected.length} items, got ${actual.length}`);
    return;
  }
  const eIds = expected.map(idOf);
  const aIds = actual.map(idOf);
  const shared = eIds.filter((id) => id !== undefined && aIds.includes(id));
  if (shared.length > 0) {
    for (const id of eIds) if (id !== undefined && !aIds.includes(id)) out.push(`${path}: missing item id ${id}`);
    for (const id of aIds) if (id !== undefined && !eIds.includes(id)) out.push(`${path}: unexpected item id ${id}`);
    for (const id of shared) compareShape(expected[eIds.indexOf(id)], actual[aIds.indexOf(id)], `${path}[id=${id}]`, out);
    return;
  }
  // no common ids (generated on both sides): position by position, reusing the last expected item
  actual.forEach((a, i) => compareShape(expected[Math.min(i, expected.length - 1)], a, `${path}[${i}]`, out));
}

export function compareShape(expected: unknown, actual: unknown, path = '$', out: string[] = []): string[] {
  const te = typeOf(expected);
  const ta = typeOf(actual);
  if (te !== ta) {
    out.push(`${path}: expected ${te}, got ${ta}`);
    return out;
  }
  if (te === 'array') compareArrays(expected as unknown[], actual as unknown[], path, out);
  if (te === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!(k in a)) out.push(`${path}.${k}: missing`);
    for (const k of Object.keys(a)) if (!(k in e)) out.push(`${path}.${k}: unexpected`);
    for (const k of Object.keys(e)) if (k in a) compareShape(e[k], a[k], `${path}.${k}`, out);
  }
  return out;
}

const HEADER_NAMES = ['content-type', 'openstack-api-version', 'x-openstack-nova-api-version', 'vary', 'location', 'x-subject-token'];
const HEADER_VALUES = ['content-type', 'openstack-api-version', 'x-openstack-nova-api-version'];

/** Same presence of the recorded headers; same values for content type and microversion. */
export function compareHeaders(expected: Record<string, string>, actual: Headers): string[] {
  const out: string[] = [];
  for (const h of HEADER_NAMES) {
    const e = expected[h];
    const a = actual.get(h);
    if ((e === undefined) !== (a === null)) out.push(`header ${h}: expected ${e === undefined ? 'absent' : 'present'}, got ${a ?? 'absent'}`);
    else if (e !== undefined && HEADER_VALUES.includes(h) && e !== a) out.push(`header ${h}: expected "${e}", got "${a}"`);
  }
  return out;
}
