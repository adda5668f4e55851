// The fields of OpenStack answers that the agents read (lib/openstack/*), by call, as a small
// schema. One contract, checked against the recorded real Zed answers, the simulator and (in
// CI, issue 8) a live Nova: if a field the agents rely on moves or changes type, this fails.

type Prim = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';
/** 'string|null'; an object of field schemas (key ending in '?' is optional); [item] for arrays. */
export type Schema = string | { [key: string]: Schema } | [Schema];

export interface Call {
  service: 'identity' | 'compute' | 'image';
  method: string;
  path: string;
  microversion: string | null;
  status: number;
}

const mvAtLeast = (mv: string | null, v: string) => {
  const [a, b] = (mv === 'latest' ? '2.93' : mv ?? '2.1').split('.').map(Number);
  const [c, d] = v.split('.').map(Number);
  return (a ?? 0) > (c ?? 0) || ((a ?? 0) === (c ?? 0) && (b ?? 0) >= (d ?? 0));
};

const link: Schema = { rel: 'string', href: 'string' };

function service(mv: string | null): Schema {
  return {
    id: mvAtLeast(mv, '2.53') ? 'string' : 'number', host: 'string', binary: 'string', state: 'string', status: 'string',
    ...(mvAtLeast(mv, '2.11') ? { forced_down: 'boolean' } : {}), disabled_reason: 'string|null', updated_at: 'string|null',
  };
}

function server(mv: string | null): Schema {
  return {
    id: 'string', name: 'string', status: 'string', tenant_id: 'string', metadata: 'object',
    'OS-EXT-STS:task_state': 'string|null', 'OS-EXT-STS:vm_state': 'string|null', 'OS-EXT-SRV-ATTR:host': 'string|null',
    image: 'object|string',
    flavor: mvAtLeast(mv, '2.47') ? { original_name: 'string', extra_specs: 'object' } : { id: 'string' },
    ...(mvAtLeast(mv, '2.9') ? { locked: 'boolean' } : {}),
  };
}

/** The schema for a call's answer, or undefined when the agents do not read it. */
export function schemaFor(c: Call): Schema | undefined {
  const path = c.path.split('?')[0] ?? '';
  if (c.status >= 400) return c.service === 'image' ? undefined : errorSchema(c);
  if (c.service === 'identity') {
    if (c.method === 'GET' && (path === '/' || path === '')) return { versions: { values: [{ id: 'string', links: [link] }] } };
    if (c.method === 'POST' && path === '/auth/tokens') {
      return { token: { expires_at: 'string', catalog: [{ type: 'string', endpoints: [{ interface: 'string', region_id: 'string', url: 'string' }] }] } };
    }
    return undefined;
  }
  if (c.service === 'image') {
    if (c.method === 'GET' && path === '/v2/images') return { images: [{ id: 'string', tags: ['string'] }], 'next?': 'string' };
    return undefined;
  }
  const mv = c.microversion;
  if (c.method === 'GET') {
    if (/^\/v2\.1\/?$/.test(path)) return { version: { version: 'string', min_version: 'string' } };
    if (path === '/os-services') return { services: [service(mv)] };
    if (path === '/servers/detail') return { servers: [server(mv)], 'servers_links?': [link] };
    if (/^\/servers\/[^/]+$/.test(path)) return { server: server(mv) };
    if (path === '/flavors/detail') {
      return { flavors: [{ id: 'string', name: 'string', 'os-flavor-access:is_public': 'boolean', ...(mvAtLeast(mv, '2.61') ? { extra_specs: 'object' } : {}) }] };
    }
    if (/^\/flavors\/[^/]+\/os-extra_specs$/.test(path)) return { extra_specs: 'object' };
    if (path === '/os-aggregates') return { aggregates: [{ id: 'number', name: 'string', hosts: ['string'], metadata: 'object' }] };
    if (path === '/os-migrations') {
      return { migrations: [{
        id: 'number', instance_uuid: 'string', source_compute: 'string|null', dest_compute: 'string|null', status: 'string', created_at: 'string',
        ...(mvAtLeast(mv, '2.23') ? { migration_type: 'string' } : {}), ...(mvAtLeast(mv, '2.59') ? { uuid: 'string' } : {}),
      }] };
    }
  }
  return undefined;
}

/** Errors: the agents print the message (Nova: {<fault>: {message, code}}; Keystone: {error: {...}}). */
function errorSchema(c: Call): Schema | undefined {
  if (c.status === 401 && c.service === 'compute') return { error: { message: 'string', code: 'number' } };
  if (c.service === 'identity') return { error: { message: 'string', code: 'number' } };
  return 'fault';
}

/** Problems (JSON path: what) of a body against a schema; empty when it conforms. */
export function checkSchema(value: unknown, schema: Schema, path = '$'): string[] {
  if (schema === 'fault') {
    const fault = value && typeof value === 'object' ? Object.values(value as Record<string, unknown>)[0] : undefined;
    return fault && typeof fault === 'object' && typeof (fault as { message?: unknown }).message === 'string'
      ? [] : [`${path}: no {<fault>: {message}} error body`];
  }
  if (typeof schema === 'string') {
    const allowed = schema.split('|') as Prim[];
    return allowed.includes(typeOf(value)) ? [] : [`${path}: expected ${schema}, got ${typeOf(value)}`];
  }
  if (Array.isArray(schema)) {
    if (!Array.isArray(value)) return [`${path}: expected an array, got ${typeOf(value)}`];
    return value.flatMap((v, i) => checkSchema(v, schema[0], `${path}[${i}]`));
  }
  if (typeOf(value) !== 'object') return [`${path}: expected an object, got ${typeOf(value)}`];
  const obj = value as Record<string, unknown>;
  return Object.entries(schema).flatMap(([key, s]) => {
    const optional = key.endsWith('?');
    const k = optional ? key.slice(0, -1) : key;
    if (!(k in obj)) return optional ? [] : [`${path}.${k}: missing`];
    return checkSchema(obj[k], s, `${path}.${k}`);
  });
}

function typeOf(v: unknown): Prim {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as Prim;
}
