import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Glance } from '../../../lib/openstack/glance.ts';
import { HttpClient } from '../../../lib/http.ts';
import { Keystone } from '../../../lib/openstack/keystone.ts';
import { Microversion } from '../../../lib/openstack/microversion.ts';
import { Nova } from '../../../lib/openstack/nova.ts';
import { ServiceEndpoint } from '../../../lib/openstack/service.ts';
import { REPO } from '../../helpers/run.ts';
import { startSimulator, type SimulatorOptions } from '../../simulator/index.ts';

// The two clouds the live contract suite runs against: the in-repo simulator, and the real
// Keystone + Nova (Zed) that test/openstack-real/start.sh runs. Both hold the data of
// test/openstack-real/seed.json; what differs (booting, killing a nova-compute) is here.

const REAL = join(REPO, 'test/openstack-real');
export const SEED = JSON.parse(readFileSync(join(REAL, 'seed.json'), 'utf8')) as {
  images: { name: string; tags: string[] }[];
  flavors: { name: string; is_public: boolean; extra_specs: Record<string, string> }[];
  aggregate: { name: string; metadata: Record<string, string> };
};

export interface ServerPlan { name: string; image: string; flavor: string }

export interface LiveTarget {
  name: string;
  /** Keystone without /v3 (the agents accept either; discovery happens here). */
  identityRoot: string;
  username: string;
  /** Kept in memory only: never logged, never in argv. */
  password: string;
  project: string;
  /** Nova compute hosts, sorted. */
  hosts: string[];
  /** Boots servers on a host (images and flavors by name) and waits until they are ACTIVE. */
  boot(host: string, plan: ServerPlan[]): Promise<string[]>;
  /** Stops a server (os-stop) and waits until it is SHUTOFF. */
  stopServer(id: string): Promise<void>;
  /** nova-compute on the host dies (kill -9), as at a host failure. */
  crash(host: string): Promise<void>;
  /** nova-compute starts again (it then completes the host's evacuation records). */
  restart(host: string): Promise<void>;
  deleteServers(ids: string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function simulatorTarget(opts: SimulatorOptions = {}, name = 'simulator'): Promise<LiveTarget> {
  // the real cloud stops at 2.93 (Zed); evacuations take about a second there
  const sim = await startSimulator({ maxMicroversion: '2.93', rebuildMs: 300, ...opts });
  const m = sim.model;
  const hosts = ['compute1', 'compute2', 'compute3'];
  for (const h of hosts) m.addCompute(h);
  for (const i of SEED.images) m.addImage({ name: i.name, tags: i.tags });
  for (const f of SEED.flavors) m.addFlavor({ name: f.name, isPublic: f.is_public, extraSpecs: f.extra_specs, projects: f.is_public ? [] : ['admin'] });
  m.addAggregate({ name: SEED.aggregate.name, hosts, metadata: SEED.aggregate.metadata });
  const byName = <T extends { name: string | null; id: string }>(all: Iterable<T>, n: string) => {
    const found = [...all].find((x) => x.name === n);
    if (!found) throw new Error(`simulator: no ${n}`);
    return found.id;
  };
  return {
    name, identityRoot: sim.authUrl.replace(/\/v3$/, ''), username: 'admin', password: 'admin-pw', project: 'admin', hosts,
    boot: async (host, plan) => plan.map((p) => m.addServer({ host, name: p.name, image: byName(m.images.values(), p.image),
      flavor: byName(m.flavors.values(), p.flavor), tenantId: m.adminProjectId }).id),
    stopServer: async (id) => void Object.assign(m.servers.get(id) ?? fail(`simulator: no server ${id}`), { vmState: 'stopped', powerState: 4 }),
    crash: async (host) => m.crash(host),
    restart: async (host) => m.recover(host),
    deleteServers: async (ids) => { for (const id of ids) m.deleteServer(id); },
    stop: () => sim.stop(),
  };
}

const run = promisify(execFile);
const computeSh = (action: string, host: string) => run('bash', [join(REAL, 'compute.sh'), action, host], { timeout: 60_000 });

/** Admin clients of the cloud test/openstack-real/start.sh runs (its admin password is in $IHAA_OS_STATE/secrets). */
export function realClients() {
  const state = process.env.IHAA_OS_STATE ?? '/tmp/ihaa-openstack';
  const password = readFileSync(join(state, 'secrets/admin'), 'utf8').trim();
  const identityRoot = `http://127.0.0.1:${process.env.KS_PORT ?? '35000'}`;
  // set-up calls go through our own clients too, but unrecorded: they are not what the agents do
  const keystone = new Keystone({ authUrl: `${identityRoot}/v3`, username: 'admin', password, projectName: 'admin',
    userDomainName: 'Default', projectDomainName: 'Default', interface: 'public', insecure: false, timeoutMs: 30_000 },
  new HttpClient({ timeoutMs: 30_000 }));
  const compute = new ServiceEndpoint(keystone, 'compute');
  return { password, identityRoot, keystone, compute, nova: new Nova(compute) };
}

/** The real cloud as a live-contract target. */
export async function realTarget(): Promise<LiveTarget> {
  const { password, identityRoot, keystone, compute, nova } = realClients();
  const hosts = (await nova.services()).map((s) => s.host).sort();
  const waitFor = async (id: string, status = 'ACTIVE') => {
    for (const t0 = Date.now(); Date.now() - t0 < 120_000; await sleep(500)) {
      const s = await nova.server(id);
      if (s.status === 'ERROR') throw new Error(`real cloud: server ${s.name} went to ERROR`);
      if (s.status === status && s.taskState === null) return;
    }
    throw new Error(`real cloud: server ${id} not ${status} within 120 s`);
  };
  return {
    name: 'real', identityRoot, username: 'admin', password, project: 'admin', hosts,
    async boot(host, plan) {
      const [images, flavors] = await Promise.all([new Glance(new ServiceEndpoint(keystone, 'image')).images(), nova.flavors()]);
      const id = (all: { id: string; name: string }[], n: string) => all.find((x) => x.name === n)?.id ?? fail(`real cloud: no ${n} (seeded?)`);
      const ids: string[] = [];
      for (const p of plan) {
        // 2.37: `networks: none` (the Neutron stub has none); the zone pins the host
        const res = await compute.request<{ server: { id: string } }>({ method: 'POST', path: '/servers', what: 'boot',
          headers: Microversion.parse('2.37').headers('compute'), body: { server: { name: p.name, imageRef: id(images, p.image),
            flavorRef: id(flavors, p.flavor), networks: 'none', availability_zone: `nova:${host}` } } });
        ids.push(res.body.server.id);
      }
      for (const i of ids) await waitFor(i);
      return ids;
    },
    async stopServer(id) {
      await compute.request({ method: 'POST', path: `/servers/${id}/action`, what: 'stop server', body: { 'os-stop': null } });
      await waitFor(id, 'SHUTOFF');
    },
    crash: async (host) => void await computeSh('kill', host),
    restart: async (host) => void await computeSh('start', host),
    async deleteServers(ids) {
      for (const i of ids) await compute.request({ method: 'DELETE', path: `/servers/${i}`, what: 'delete server' }).catch(() => undefined);
    },
    stop: async () => undefined,
  };
}

export const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
function fail(message: string): never {
  throw new Error(message);
}
