import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { AuthConfig } from '../../../lib/openstack/config.ts';
import { Glance } from '../../../lib/openstack/glance.ts';
import { HttpClient } from '../../../lib/http.ts';
import { Keystone } from '../../../lib/openstack/keystone.ts';
import { Nova, nextMarker, type NovaService } from '../../../lib/openstack/nova.ts';
import { ServiceEndpoint } from '../../../lib/openstack/service.ts';
import type { Endpoints } from './classify.ts';
import { RecordingHttpClient } from './recording-http.ts';
import { SEED, sleep, type LiveTarget } from './targets.ts';

// Every call the agents make, in the order of a host failure, through the agents' own clients
// (lib/openstack) on one recording HTTP client. The same steps run against every target.

export interface Ctx {
  target: LiveTarget;
  http: RecordingHttpClient;
  endpoints: Endpoints;
  keystone: Keystone;
  /** A Nova client asking for at most this microversion (each negotiates with the server). */
  nova(wanted?: string): Nova;
  glance: Glance;
  failed: string;
  spare: string;
  servers: string[];
  since: Date;
  run: string;
}

export async function openContext(target: LiveTarget): Promise<Ctx> {
  const http = new RecordingHttpClient({ timeoutMs: 30_000 });
  const keystone = new Keystone(auth(target, { username: target.username, projectName: target.project }), http);
  const [compute, image] = [new ServiceEndpoint(keystone, 'compute'), new ServiceEndpoint(keystone, 'image')];
  // the endpoints from a second, unrecorded client: the first step records the real first authentication
  const probe = new Keystone(auth(target, { username: target.username, projectName: target.project }), new HttpClient({ timeoutMs: 30_000 }));
  const endpoints = { identityRoot: target.identityRoot, compute: await probe.endpoint('compute'), image: await probe.endpoint('image') };
  const [failed, , spare] = target.hosts;
  if (!failed || !spare) throw new Error(`${target.name}: needs 3 compute hosts, has ${target.hosts.join(' ')}`);
  return { target, http, endpoints, keystone, nova: (wanted) => new Nova(compute, wanted), glance: new Glance(image),
    failed, spare, servers: [], since: new Date(), run: randomBytes(3).toString('hex') };
}

/** Keystone settings as the agents build them (lib/openstack/config.ts); auth_url without /v3. */
function auth(t: LiveTarget, who: Partial<AuthConfig>): AuthConfig {
  return { authUrl: t.identityRoot, password: t.password, userDomainName: 'Default', projectDomainName: 'Default',
    interface: 'public', insecure: false, timeoutMs: 30_000, ...who };
}

export interface Step { name: string; timeoutMs?: number; run(c: Ctx): Promise<void> }

const service = async (nova: Nova, host: string): Promise<NovaService> => {
  const [s] = await nova.services(host);
  if (!s) throw new Error(`no nova-compute service on ${host}`);
  return s;
};

/** The token body of the last authentication: ids for the id-scoped forms. */
function lastToken(c: Ctx): { user: { id: string }; project: { id: string } } {
  const x = c.http.exchanges.findLast((e) => e.method === 'POST' && e.url.endsWith('/auth/tokens') && e.status === 201);
  return (x?.body as { token: { user: { id: string }; project: { id: string } } }).token;
}

/** Raw pages of a list with limit=1, following the agents' own marker logic (Nova) or `next` (Glance). */
async function pages(endpoint: ServiceEndpoint, first: string, headers: Record<string, string>, next: (body: any) => string | undefined): Promise<number> {
  let path: string | undefined = first;
  let n = 0;
  for (; path && n < 50; n++) path = next((await endpoint.request({ method: 'GET', path, headers, what: 'page' })).body);
  return n;
}

const PLAN = [
  { name: 'evac-image', image: 'ihaa-seed-evacuable', flavor: 'ihaa-seed.plain' },
  { name: 'evac-flavor', image: 'ihaa-seed-plain', flavor: 'ihaa-seed.evacuable' },
  { name: 'private-flavor', image: 'ihaa-seed-plain', flavor: 'ihaa-seed.private-evacuable' },
];

export const STEPS: Step[] = [
  { name: 'Keystone: version discovery, password auth by names, catalog', async run(c) {
    await c.keystone.token();
    expect(await c.keystone.endpoint('compute')).toBe(c.endpoints.compute);
    expect(await c.keystone.endpoint('image')).toBe(c.endpoints.image);
  } },
  { name: 'Keystone: password auth by user id and project id', async run(c) {
    const t = lastToken(c);
    await new Keystone(auth(c.target, { userId: t.user.id, projectId: t.project.id }), c.http).token();
  } },
  { name: 'Keystone: application credential', async run(c) {
    const t = lastToken(c);
    const v3 = `${c.target.identityRoot}/v3`;
    const res = await c.http.request<{ application_credential: { id: string; secret: string } }>({ method: 'POST',
      url: `${v3}/users/${t.user.id}/application_credentials`, headers: { 'X-Auth-Token': await c.keystone.token() },
      body: { application_credential: { name: `ihaa-live-${c.run}` } }, what: 'create application credential' });
    const { id, secret } = res.body.application_credential;
    const ks = new Keystone(auth(c.target, { appCredentialId: id, appCredentialSecret: secret, password: undefined }), c.http);
    expect(await ks.endpoint('compute')).toBe(c.endpoints.compute);
  } },
  { name: 'Nova: version discovery and microversion negotiation', async run(c) {
    expect((await c.nova().microversion()).toString()).toBe('2.93');
    expect((await c.nova('2.1').microversion()).toString()).toBe('2.1');
    expect((await c.nova().microversion('2.53')).toString()).toBe('2.53');
  } },
  { name: 'Nova: os-services at 2.53 and 2.1, all and ?host=&binary=', async run(c) {
    for (const mv of ['2.53', '2.1']) {
      const all = await c.nova(mv).services();
      expect(all.map((s) => s.host).sort()).toEqual(c.target.hosts);
      const one = await service(c.nova(mv), c.spare);
      expect(typeof one.id).toBe(mv === '2.53' ? 'string' : 'number');
    }
    expect(await c.nova().services('no-such-host')).toEqual([]);
  } },
  { name: 'Nova: force down, disable, enable, unset force-down (2.53: PUT /os-services/{id})', async run(c) {
    await toggle(c.nova('2.53'), c.spare);
  } },
  { name: 'Nova: force down (2.11), disable-log-reason, enable (legacy PUTs)', async run(c) {
    await toggle(c.nova('2.11'), c.spare);
  } },
  { name: 'Nova: flavors ?is_public=None with extra specs (2.93 inline, 2.1 one call each)', async run(c) {
    for (const mv of ['2.93', '2.1']) {
      const flavors = await c.nova(mv).flavors();
      for (const f of SEED.flavors) {
        expect(flavors.find((x) => x.name === f.name), `${f.name} @${mv}`).toMatchObject({ isPublic: f.is_public, extraSpecs: f.extra_specs });
      }
    }
  } },
  { name: 'Nova: os-aggregates with metadata', async run(c) {
    const agg = (await c.nova().aggregates()).find((a) => a.name === SEED.aggregate.name);
    expect(agg).toMatchObject({ metadata: expect.objectContaining(SEED.aggregate.metadata) });
    expect(agg?.hosts).toContain(c.failed);
  } },
  { name: 'Glance: images, every page (the agents\' loop and limit=1 + next)', async run(c) {
    const images = await c.glance.images();
    for (const i of SEED.images) expect(images.find((x) => x.name === i.name)?.tags).toEqual(i.tags);
    const endpoint = new ServiceEndpoint(c.keystone, 'image');
    const n = await pages(endpoint, `${c.endpoints.image}/v2/images?limit=1`, {},
      (b) => (b.next ? `${c.endpoints.image}${b.next}` : undefined));
    expect(n).toBeGreaterThanOrEqual(images.length);
  } },
  { name: 'Nova: servers on the failed host, all pages, at 2.93 and 2.1 (limit + marker)', timeoutMs: 180_000, async run(c) {
    c.servers = await c.target.boot(c.failed, PLAN.map((p) => ({ ...p, name: `ihaa-live-${c.run}-${p.name}` })));
    for (const mv of ['2.93', '2.1']) {
      const mine = (await c.nova(mv).serversOnHost(c.failed)).filter((s) => c.servers.includes(s.id));
      expect(mine).toHaveLength(PLAN.length);
      if (mv === '2.93') expect(mine.map((s) => s.flavorExtraSpecs?.evacuable).sort()).toEqual(['true', 'true', undefined]);
      else expect(mine.every((s) => typeof s.flavorId === 'string')).toBe(true);
      const endpoint = new ServiceEndpoint(c.keystone, 'compute');
      const q = `/servers/detail?all_tenants=1&host=${c.failed}&limit=1`;
      const n = await pages(endpoint, q, (await c.nova(mv).microversion()).headers('compute'),
        (b) => { const m = nextMarker(b.servers_links); return m ? `${q}&marker=${m}` : undefined; });
      expect(n).toBeGreaterThanOrEqual(PLAN.length);
    }
    expect((await c.nova().serversChangedSince(c.since)).map((s) => s.id)).toEqual(expect.arrayContaining(c.servers));
  } },
  { name: 'fence_compute off: host crashed, forced down and disabled', async run(c) {
    await c.target.crash(c.failed);
    const nova = c.nova();
    await nova.setForcedDown(await service(nova, c.failed), true);
    await nova.disable(await service(nova, c.failed), `instance-ha: fenced (live contract ${c.run})`);
    expect(await service(nova, c.failed)).toMatchObject({ forcedDown: true, status: 'disabled', state: 'down' });
  } },
  { name: 'NovaEvacuate: evacuate every server, each ACTIVE on another host (server show)', timeoutMs: 180_000, async run(c) {
    const nova = c.nova();
    c.since = new Date(Date.now() - 1000);
    for (const id of c.servers) expect((await nova.evacuate(id)).toString()).toBe('2.93');
    for (const id of c.servers) {
      for (const t0 = Date.now(); ; await sleep(300)) {
        const s = await nova.server(id);
        if (s.status === 'ACTIVE' && s.taskState === null && s.host !== c.failed) break;
        if (s.status === 'ERROR' || Date.now() - t0 > 120_000) throw new Error(`${id}: ${s.status}/${s.taskState} on ${s.host}`);
      }
    }
  } },
  { name: 'Nova: os-migrations of the failed host, changes-since (2.59+) and at 2.1', async run(c) {
    for (const mv of ['2.93', '2.59', '2.1']) {
      const ms = await c.nova(mv).migrations({ host: c.failed, type: 'evacuation', since: c.since });
      expect(ms.map((m) => m.instanceUuid)).toEqual(expect.arrayContaining(c.servers));
    }
  } },
  { name: 'unfencing: nova-compute restarted, force-down unset once the evacuations completed, enabled', timeoutMs: 180_000, async run(c) {
    await c.target.restart(c.failed);
    const nova = c.nova();
    // Nova refuses to unset force-down while evacuations from the host are still `done`
    for (const t0 = Date.now(); ; await sleep(1000)) {
      const ms = await nova.migrations({ host: c.failed, type: 'evacuation', since: c.since });
      if (ms.every((m) => m.status !== 'done')) break;
      if (Date.now() - t0 > 120_000) throw new Error('evacuations never completed');
    }
    await nova.setForcedDown(await service(nova, c.failed), false);
    await nova.enable(await service(nova, c.failed));
    expect(await service(nova, c.failed)).toMatchObject({ forcedDown: false, status: 'enabled' });
  } },
];

/** What fence_compute off and on do to a service, at the client's microversion. */
async function toggle(nova: Nova, host: string): Promise<void> {
  await nova.setForcedDown(await service(nova, host), true);
  await nova.disable(await service(nova, host), 'instance-ha: live contract');
  expect(await service(nova, host)).toMatchObject({ forcedDown: true, status: 'disabled', disabledReason: 'instance-ha: live contract' });
  await nova.enable(await service(nova, host));
  await nova.setForcedDown(await service(nova, host), false);
  expect(await service(nova, host)).toMatchObject({ forcedDown: false, status: 'enabled' });
}
