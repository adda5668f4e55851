// A bare Nova REST client (Node fetch, admin token): what the benchmark observes and resets the
// cloud with, and the whole of the "REST floor" way. Deliberately not lib/openstack, so the floor
// and the observer share nothing with the agent being measured.
import { readFileSync } from 'node:fs';

export const STATE = process.env.IHAA_OS_STATE ?? '/tmp/ihaa-openstack';
export const AUTH_URL = `http://127.0.0.1:${process.env.KS_PORT ?? '35000'}/v3`;
/** Read from the cloud's secrets file; only ever given to agents on stdin. */
export const adminPassword = () => readFileSync(`${STATE}/secrets/admin`, 'utf8').trim();

export interface Server { id: string; status: string; host: string | null; taskState: string | null }
export interface Service { id: string; state: string; status: string; forcedDown: boolean }

// Nova's JSON, read loosely: the benchmark only needs a few fields it checks as it goes.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export class Nova {
  private readonly token: string;
  private readonly endpoints: { compute: string; image: string };

  private constructor(token: string, endpoints: { compute: string; image: string }) {
    this.token = token;
    this.endpoints = endpoints;
  }

  static async login(password = adminPassword()): Promise<Nova> {
    const r = await fetch(`${AUTH_URL}/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth: {
      identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password } } },
      scope: { project: { name: 'admin', domain: { name: 'Default' } } },
    } }), signal: AbortSignal.timeout(30_000) });
    if (r.status !== 201) throw new Error(`keystone: ${r.status}`);
    const catalog = ((await r.json()) as Json).token.catalog as Json[];
    const url = (type: string) => {
      const u = catalog.find((s) => s.type === type)?.endpoints.find((e: Json) => e.interface === 'public')?.url as string | undefined;
      if (!u) throw new Error(`no public ${type} endpoint`);
      return u.replace(/\/$/, '');
    };
    return new Nova(r.headers.get('x-subject-token') ?? '', { compute: url('compute'), image: url('image') });
  }

  async call(method: string, path: string, body?: unknown, microversion = '2.53', service: 'compute' | 'image' = 'compute'): Promise<{ status: number; json: Json }> {
    const r = await fetch(`${this.endpoints[service]}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000),
      headers: { 'x-auth-token': this.token, 'content-type': 'application/json', 'openstack-api-version': `compute ${microversion}` },
    });
    const text = await r.text();
    return { status: r.status, json: text ? (JSON.parse(text) as Json) : {} };
  }

  async must(method: string, path: string, body?: unknown, microversion?: string): Promise<Json> {
    const r = await this.call(method, path, body, microversion);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
    return r.json;
  }

  async servers(namePrefix: string): Promise<Server[]> {
    const j = await this.must('GET', `/servers/detail?all_tenants=1&limit=1000&name=${encodeURIComponent(`^${namePrefix}`)}`);
    return (j.servers as Json[]).map((s) => ({ id: s.id, status: s.status, host: s['OS-EXT-SRV-ATTR:host'] ?? null, taskState: s['OS-EXT-STS:task_state'] ?? null }));
  }

  async service(host: string): Promise<Service> {
    const s = (await this.must('GET', `/os-services?binary=nova-compute&host=${host}`)).services[0] as Json | undefined;
    if (!s) throw new Error(`no nova-compute service on ${host}`);
    return { id: s.id, state: s.state, status: s.status, forcedDown: s.forced_down === true };
  }

  async imageId(name: string): Promise<string> {
    const r = await this.call('GET', `/v2/images?name=${encodeURIComponent(name)}`, undefined, undefined, 'image');
    const id = (r.json.images as Json[] | undefined)?.[0]?.id as string | undefined;
    if (!id) throw new Error(`image ${name} missing (start.sh seeds it)`);
    return id;
  }

  async flavorId(name: string): Promise<string> {
    const f = ((await this.must('GET', '/flavors/detail?is_public=None')).flavors as Json[]).find((x) => x.name === name);
    if (!f) throw new Error(`flavor ${name} missing (start.sh seeds it)`);
    return f.id;
  }

  /** Evacuation migrations that still name the host as source and are not `completed` yet. */
  async openEvacuations(host: string): Promise<number> {
    const m = (await this.must('GET', `/os-migrations?host=${host}&migration_type=evacuation`, undefined, '2.59')).migrations as Json[];
    return m.filter((x) => x.source_compute === host && !['completed', 'error', 'failed', 'cancelled'].includes(x.status)).length;
  }
}

