import type { Simulator } from '../index.ts';
import type { CloudModel } from '../model.ts';
import type { Migration, VmState } from '../model-types.ts';
import type { Fixture } from './fixtures.ts';
import type { World } from './world.ts';

// Builds, for one fixture, a model equivalent to the recorded cloud at the moment of the call:
// the whole recorded world, then the states the fixture's own response shows, then the few
// preconditions an error response implies. Returns the request to replay.

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);
const PASSWORD = 'fixture-password';
const SECRET = 'fixture-secret';
const REDACTED = '<redacted>';

export interface Replay { url: string; method: string; headers: Record<string, string>; body: string | undefined }

function buildBase(model: CloudModel, w: World): void {
  for (const c of w.computes.values()) {
    model.addCompute(c.host, { serviceId: c.serviceId, serviceUuid: c.serviceUuid, hypervisorId: c.hypervisorId,
      hypervisorUuid: c.hypervisorUuid });
  }
  for (const f of w.flavors.values()) {
    model.addFlavor({ ...f, projects: f.projectMayUse ? [model.adminProjectId] : [] });
  }
  for (const i of w.images) model.addImage(i);
  for (const { id, view } of w.servers) {
    const host = typeof view['OS-EXT-SRV-ATTR:host'] === 'string' ? view['OS-EXT-SRV-ATTR:host'] : null;
    const image = isObj(view['image']) ? String(view['image']['id']) : null;
    if (image !== null && !model.images.has(image)) model.addImage({ id: image });
    model.addServer({ id, host, image, flavor: flavorIdOf(model, view), name: String(view['name']),
      tenantId: String(view['tenant_id']), userId: String(view['user_id']), createdAt: new Date(String(view['created'])) });
    applyServerView(model, view);
  }
}

function flavorIdOf(model: CloudModel, view: Json): string | undefined {
  const f = isObj(view['flavor']) ? view['flavor'] : {};
  if (typeof f['id'] === 'string') return f['id'];
  return [...model.flavors.values()].find((x) => x.name === f['original_name'])?.id;
}

function applyServerView(model: CloudModel, v: Json): void {
  const s = model.servers.get(String(v['id']));
  if (!s) return;
  const host = v['OS-EXT-SRV-ATTR:host'];
  if (typeof host === 'string' && host !== s.host && model.computes.has(host)) s.host = host;
  s.vmState = v['OS-EXT-STS:vm_state'] as VmState;
  s.taskState = (v['OS-EXT-STS:task_state'] as string | null) ?? null;
  s.powerState = Number(v['OS-EXT-STS:power_state'] ?? s.powerState);
  s.metadata = isObj(v['metadata']) ? (v['metadata'] as Record<string, string>) : {};
  if (typeof v['locked'] === 'boolean') s.locked = v['locked'];
  if ('locked_reason' in v) s.lockedReason = (v['locked_reason'] as string | null) ?? null;
  if ('description' in v) s.description = (v['description'] as string | null) ?? null;
  if (Array.isArray(v['tags'])) s.tags = v['tags'].map(String);
  if ('key_name' in v) s.keyName = (v['key_name'] as string | null) ?? null;
  s.launchedAt = v['OS-SRV-USG:launched_at'] ? new Date(`${String(v['OS-SRV-USG:launched_at'])}Z`) : null;
  const fault = v['fault'];
  s.fault = isObj(fault) ? { code: Number(fault['code']), message: String(fault['message']),
    details: String(fault['details'] ?? ''), created: new Date() } : null;
}

function applyServiceView(model: CloudModel, v: Json): void {
  const c = typeof v['host'] === 'string' ? model.computes.get(v['host']) : undefined;
  if (!c || !('state' in v)) return; // the old actions echo only host/binary/status
  c.disabled = v['status'] === 'disabled';
  c.disabledReason = (v['disabled_reason'] as string | null) ?? null;
  if (typeof v['forced_down'] === 'boolean') c.forcedDown = v['forced_down'];
  c.alive = v['state'] === 'up' || c.forcedDown;
}

function applyHypervisorView(model: CloudModel, v: Json): void {
  const svc = isObj(v['service']) ? v['service'] : {};
  const c = typeof svc['host'] === 'string' ? model.computes.get(svc['host']) : undefined;
  if (!c) return;
  c.disabled = v['status'] === 'disabled';
  c.disabledReason = (svc['disabled_reason'] as string | null) ?? null;
  c.alive = v['state'] === 'up';
  if (!c.alive) c.forcedDown = true;
}

/** Below 2.23 a migration shows no type: the listing's own migration_type filter tells it. */
function addMigration(model: CloudModel, v: Json, listedType: string | null): void {
  const date = (x: unknown) => (typeof x === 'string' ? new Date(`${x}Z`) : null);
  const m = model.addMigration({
    id: Number(v['id']), uuid: typeof v['uuid'] === 'string' ? v['uuid'] : undefined, instanceUuid: String(v['instance_uuid']),
    migrationType: (v['migration_type'] ?? listedType ?? 'evacuation') as Migration['migrationType'],
    status: v['status'] as Migration['status'], sourceCompute: (v['source_compute'] as string | null) ?? null,
    sourceNode: (v['source_node'] as string | null) ?? null, destCompute: (v['dest_compute'] as string | null) ?? null,
    destNode: (v['dest_node'] as string | null) ?? null, destHost: (v['dest_host'] as string | null) ?? null,
    oldInstanceTypeId: (v['old_instance_type_id'] as number | null) ?? null, newInstanceTypeId: (v['new_instance_type_id'] as number | null) ?? null,
    createdAt: date(v['created_at']) ?? new Date(), updatedAt: date(v['updated_at']),
  });
  m.sourceNode = (v['source_node'] as string | null) ?? null; // the builder would default it to the source
}

/**
 * Preconditions of a live migration (every compute up): the server ACTIVE (or PAUSED) with no
 * task unless the 409 names its state; on the host a "current host" 400 names; not on a host it
 * was accepted to go to (below 2.34 that would be refused); alone on its host for "No valid host".
 */
function seedLiveMigration(model: CloudModel, id: string, body: Json, message: string, status: number): void {
  // a server no other fixture shows (the stopped one is only ever refused)
  const s = model.servers.get(id) ?? (status === 404 ? undefined : model.addServer({ id, host: [...model.computes.keys()][0] ?? null }));
  if (!s) return;
  if (s.vmState !== 'paused') s.vmState = 'active';
  s.taskState = null;
  const state = /while it is in (vm_state|task_state) ([a-z_-]+)/.exec(message);
  if (state?.[1] === 'vm_state') s.vmState = state[2] as VmState;
  if (state?.[1] === 'task_state') s.taskState = state[2] ?? null;
  const current = /to current host \(([^)]+)\)/.exec(message)?.[1];
  const others = (h: string | null) => [...model.computes.keys()].filter((c) => c !== h);
  if (current && model.computes.has(current)) s.host = current;
  else if (status === 202 && typeof body['host'] === 'string' && body['host'] === s.host) s.host = others(s.host)[0] ?? s.host;
  if (message.includes('No valid host')) for (const h of others(s.host)) model.disable(h);
}

/** Secrets were redacted when recording: put back the right one, or a wrong one for a 401. */
function unredact(v: unknown, wrong: boolean): unknown {
  if (Array.isArray(v)) return v.map((x) => unredact(x, wrong));
  if (!isObj(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => {
    if (x !== REDACTED) return [k, unredact(x, wrong)];
    return [k, wrong ? 'wrong-secret' : k === 'secret' ? SECRET : PASSWORD];
  }));
}

function seedIdentity(sim: Simulator, fx: Fixture): string | null | undefined {
  const id = sim.model.identity;
  const body = isObj(fx.request.body) ? fx.request.body : {};
  const auth = isObj(body['auth']) ? body['auth'] : {};
  const ident = isObj(auth['identity']) ? auth['identity'] : {};
  const scope = isObj(auth['scope']) && isObj(auth['scope']['project']) ? auth['scope']['project'] : {};
  const pw = isObj(ident['password']) && isObj(ident['password']['user']) ? ident['password']['user'] : {};
  const admin = id.user('admin');
  if (admin) admin.password = PASSWORD;
  let project = 'admin';
  if (typeof scope['id'] === 'string') project = id.addProject({ id: scope['id'], name: 'fixture-project' }).id;
  if (typeof pw['id'] === 'string') id.addUser({ id: pw['id'], name: 'fixture-user', password: PASSWORD, roles: { [project]: ['admin', 'member', 'reader'] } });
  const ac = isObj(ident['application_credential']) ? ident['application_credential'] : {};
  if (typeof ac['id'] === 'string') id.addAppCredential({ id: ac['id'], name: 'ihaa-fence', user: 'admin', project: 'admin', secret: SECRET });
  const creator = /^\/users\/([^/]+)\/application_credentials$/.exec(fx.request.path);
  if (creator) {
    id.addUser({ id: creator[1], name: 'fixture-caller', password: PASSWORD, roles: { admin: ['admin', 'member', 'reader'] } });
    return sim.token('fixture-caller', 'admin');
  }
  return fx.request.service === 'identity' ? null : undefined;
}

export function prepare(sim: Simulator, fx: Fixture, world: World): Replay {
  const model = sim.model;
  buildBase(model, world);
  const req = fx.request;
  const res = fx.response;
  const url = new URL(`http://fixture${req.path}`);
  const b = isObj(res.body) ? res.body : {};
  // the states the response shows
  for (const s of [...arr(b['services']), ...(isObj(b['service']) ? [b['service']] : [])]) applyServiceView(model, s);
  for (const h of arr(b['hypervisors'])) applyHypervisorView(model, h);
  for (const v of [...arr(b['servers']), ...(isObj(b['server']) ? [b['server']] : [])]) applyServerView(model, v);
  for (const m of arr(b['migrations'])) addMigration(model, m, url.searchParams.get('migration_type'));
  for (const a of arr(b['aggregates'])) {
    model.addAggregate({ id: Number(a['id']), uuid: typeof a['uuid'] === 'string' ? a['uuid'] : undefined, name: String(a['name']),
      hosts: (a['hosts'] as string[]) ?? [], metadata: (a['metadata'] as Record<string, string>) ?? {},
      availabilityZone: (a['availability_zone'] as string | null) ?? null });
  }
  // a complete host listing: whatever it does not show has left that host
  const host = url.searchParams.get('host');
  if (/^\/servers(\/detail)?$/.test(url.pathname) && host && !url.searchParams.has('limit') && !url.searchParams.has('marker')) {
    const shown = new Set(arr(b['servers']).map((s) => s['id']));
    const elsewhere = [...model.computes.keys()].find((h) => h !== host);
    for (const s of model.serversOn(host)) if (!shown.has(s.id) && elsewhere) s.host = elsewhere;
  }
  // preconditions of the evacuate calls: the source host was killed and forced down, except
  // where the answer says it was still up
  const action = /^\/servers\/([^/]+)\/action$/.exec(url.pathname);
  const message = JSON.stringify(res.body ?? '');
  const live = action && isObj(req.body) && isObj(req.body['os-migrateLive']) ? req.body['os-migrateLive'] : undefined;
  if (action && live) seedLiveMigration(model, action[1] ?? '', live, message, res.status);
  else if (action && !message.includes('still in use')) {
    const src = model.servers.get(action[1] ?? '')?.host;
    if (src) {
      model.crash(src);
      model.forceDown(src);
    }
  }
  if (req.method === 'PUT' && message.includes('`done` evacuation migration')) {
    const reqBody = isObj(req.body) ? req.body : {};
    const byUuid = model.serviceByUuid(url.pathname.split('/').pop() ?? '');
    const src = typeof reqBody['host'] === 'string' ? reqBody['host'] : byUuid?.host;
    model.addMigration({ instanceUuid: 'fixture-instance', sourceCompute: src ?? null, status: 'done' });
  }
  const token = seedIdentity(sim, fx);
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  const authToken = fx.name.includes('no-token') ? null : fx.name.includes('invalid-token') ? 'not-a-valid-token'
    : token === undefined ? sim.token() : token;
  if (authToken) headers['x-auth-token'] = authToken;
  let body: string | undefined;
  if (req.body !== null && req.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(unredact(req.body, res.status === 401));
  }
  const root = { identity: '/identity', compute: '/compute', image: '/image' }[req.service];
  const endpointPath = new URL(req.endpoint).pathname.replace(/\/$/, '');
  return { url: `${sim.baseUrl}${root}${endpointPath}${req.path}`, method: req.method, headers, body };
}
