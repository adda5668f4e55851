import type { ImageOptions } from '../model-options.ts';
import type { Fixture } from './fixtures.ts';

// Everything the recorded cloud contained, gathered from all fixtures of one recording run:
// the model every replay starts from. Per-fixture adjustments live in seed.ts.

type Json = Record<string, unknown>;

export interface ComputeSeed { host: string; serviceId?: number; serviceUuid?: string; hypervisorId?: number; hypervisorUuid?: string }
export interface FlavorSeed {
  id: string; name: string; vcpus: number; ram: number; disk: number; ephemeral: number; swap: number;
  isPublic: boolean; description: string | null; extraSpecs: Record<string, string>; projectMayUse: boolean;
}
export interface ServerSeed { id: string; view: Json }

export interface World {
  maxMicroversion: string;
  computes: Map<string, ComputeSeed>;
  flavors: Map<string, FlavorSeed>;
  images: ImageOptions[];   // in creation order
  servers: ServerSeed[];    // in creation order, first (earliest list) observation
}

const IMAGE_KEYS = new Set(['name', 'disk_format', 'container_format', 'visibility', 'size', 'virtual_size', 'status',
  'checksum', 'protected', 'min_ram', 'min_disk', 'owner', 'os_hidden', 'os_hash_algo', 'os_hash_value', 'id', 'created_at',
  'updated_at', 'tags', 'self', 'file', 'schema', 'stores', 'direct_url', 'locations']);

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);

export function imageSeed(v: Json): ImageOptions {
  const properties: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (!IMAGE_KEYS.has(k) && typeof x === 'string') properties[k] = x;
  return { id: String(v['id']), name: typeof v['name'] === 'string' ? v['name'] : null,
    tags: Array.isArray(v['tags']) ? v['tags'].map(String) : [], properties,
    visibility: (v['visibility'] as ImageOptions['visibility']) ?? 'public', status: String(v['status'] ?? 'active'),
    owner: typeof v['owner'] === 'string' ? v['owner'] : undefined,
    createdAt: typeof v['created_at'] === 'string' ? new Date(v['created_at']) : undefined };
}

function compute(w: World, host: unknown): ComputeSeed | undefined {
  if (typeof host !== 'string' || host === '') return undefined;
  let c = w.computes.get(host);
  if (!c) w.computes.set(host, (c = { host }));
  return c;
}

function noteServices(w: World, list: Json[]): void {
  for (const s of list) {
    if (s['binary'] !== 'nova-compute') continue;
    const c = compute(w, s['host']);
    if (!c) continue;
    if (typeof s['id'] === 'number') c.serviceId = s['id'];
    if (typeof s['id'] === 'string') c.serviceUuid = s['id'];
  }
}

function noteHypervisors(w: World, list: Json[]): void {
  for (const h of list) {
    const svc = isObj(h['service']) ? h['service'] : {};
    const c = compute(w, svc['host'] ?? h['hypervisor_hostname']);
    if (!c) continue;
    if (typeof h['id'] === 'number') c.hypervisorId = h['id'];
    if (typeof h['id'] === 'string') c.hypervisorUuid = h['id'];
    if (typeof svc['id'] === 'number') c.serviceId = svc['id'];
    if (typeof svc['id'] === 'string') c.serviceUuid = svc['id'];
  }
}

function noteFlavors(w: World, fx: Fixture, list: Json[]): void {
  const defaultFilter = !fx.request.path.includes('is_public');
  for (const f of list) {
    const id = String(f['id']);
    const prev = w.flavors.get(id);
    const swap = typeof f['swap'] === 'number' ? f['swap'] : 0;
    w.flavors.set(id, {
      id, name: String(f['name'] ?? prev?.name ?? id), vcpus: Number(f['vcpus'] ?? 1), ram: Number(f['ram'] ?? 512),
      disk: Number(f['disk'] ?? 1), ephemeral: Number(f['OS-FLV-EXT-DATA:ephemeral'] ?? 0), swap,
      isPublic: f['os-flavor-access:is_public'] !== false,
      description: 'description' in f ? (f['description'] as string | null) : prev?.description ?? null,
      extraSpecs: isObj(f['extra_specs']) ? (f['extra_specs'] as Record<string, string>) : prev?.extraSpecs ?? {},
      projectMayUse: (prev?.projectMayUse ?? false) || (defaultFilter && f['os-flavor-access:is_public'] === false),
    });
  }
}

function isServerView(v: unknown): v is Json {
  return isObj(v) && typeof v['id'] === 'string' && 'OS-EXT-STS:vm_state' in v;
}

export function buildWorld(fixtures: Fixture[]): World {
  const w: World = { maxMicroversion: '2.93', computes: new Map(), flavors: new Map(), images: [], servers: [] };
  const imageLists: Json[][] = [];
  const serverLists: Json[][] = [];
  const singleServers: Json[] = [];
  const singleImages: Json[] = [];
  for (const fx of fixtures) {
    const b = fx.response.body;
    if (!isObj(b)) continue;
    if (isObj(b['version']) && fx.request.service === 'compute' && typeof b['version']['version'] === 'string') {
      w.maxMicroversion = b['version']['version'];
    }
    noteServices(w, arr(b['services']));
    if (isObj(b['service'])) noteServices(w, [b['service']]);
    noteHypervisors(w, arr(b['hypervisors']));
    noteFlavors(w, fx, arr(b['flavors']));
    const specs = /^\/flavors\/([^/]+)\/os-extra_specs$/.exec(fx.request.path);
    if (specs && isObj(b['extra_specs'])) {
      const f = w.flavors.get(specs[1] ?? '');
      if (f) f.extraSpecs = b['extra_specs'] as Record<string, string>;
    }
    for (const m of arr(b['migrations'])) {
      compute(w, m['source_compute']);
      compute(w, m['dest_compute']);
    }
    for (const a of arr(b['aggregates'])) for (const h of (a['hosts'] as string[] | undefined) ?? []) compute(w, h);
    if (Array.isArray(b['images'])) imageLists.push(arr(b['images']));
    if (fx.request.service === 'image' && b['schema'] === '/v2/schemas/image') singleImages.push(b);
    const servers = arr(b['servers']).filter(isServerView);
    if (servers.length) serverLists.push(servers);
    if (isServerView(b['server'])) singleServers.push(b['server']);
  }
  // creation order = the longest newest-first list reversed, then whatever appears elsewhere
  const images = [...(imageLists.sort((a, b) => b.length - a.length)[0] ?? [])].reverse();
  for (const v of [...imageLists.flat(), ...singleImages]) if (!images.some((i) => i['id'] === v['id'])) images.push(v);
  w.images = images.map(imageSeed);
  const servers = [...(serverLists.sort((a, b) => b.length - a.length)[0] ?? [])].reverse();
  for (const v of [...serverLists.flat(), ...singleServers]) if (!servers.some((s) => s['id'] === v['id'])) servers.push(v);
  w.servers = servers.map((view) => ({ id: String(view['id']), view }));
  for (const s of w.servers) compute(w, s.view['OS-EXT-SRV-ATTR:host']);
  for (const s of w.servers) noteServerFlavor(w, s.view);
  return w;
}

// Servers name their flavor by id below 2.47 and embed it (no id) from 2.47.
function noteServerFlavor(w: World, v: Json): void {
  const f = isObj(v['flavor']) ? v['flavor'] : undefined;
  if (!f) return;
  if (typeof f['id'] === 'string' && !w.flavors.has(f['id'])) {
    w.flavors.set(f['id'], { id: f['id'], name: f['id'], vcpus: 1, ram: 512, disk: 1, ephemeral: 0, swap: 0, isPublic: true,
      description: null, extraSpecs: {}, projectMayUse: false });
  }
  if (typeof f['original_name'] === 'string' && ![...w.flavors.values()].some((x) => x.name === f['original_name'])) {
    const id = `fixture-flavor-${f['original_name']}`;
    w.flavors.set(id, { id, name: f['original_name'], vcpus: Number(f['vcpus'] ?? 1), ram: Number(f['ram'] ?? 512),
      disk: Number(f['disk'] ?? 1), ephemeral: Number(f['ephemeral'] ?? 0), swap: Number(f['swap'] ?? 0), isPublic: true,
      description: null, extraSpecs: isObj(f['extra_specs']) ? (f['extra_specs'] as Record<string, string>) : {}, projectMayUse: false });
  }
}
