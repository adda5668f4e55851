// The real OpenStack of test/openstack-real as the end-to-end testbed's cloud, in place of
// sim-server.ts. A cluster host's nova-compute is a real process in the root namespace (the
// host's namespace has only a link-local veth, and the cloud listens on 127.0.0.1): this bridge
// starts it only while Pacemaker runs the host's "nova-compute" resource, stops it when the
// cluster stops that resource, and the IPMI power-off kills it (node.sh's on-poweroff hook).
// It boots the scenario's instances once the cluster hosts are up, and writes Nova's own view
// to sim-state.json in the simulator's shape, so the scenarios read both clouds alike.
//   node real-nova-bridge.ts --computes "compute-0 compute-1 compute-2" --state DIR [--instances 6]
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { realClients, realTarget, sleep } from '../contract/live/targets.ts';
import { REPO } from '../helpers/run.ts';
import { crmMonXml, evacuationRecords, novaComputeStarted, writeJson } from './cloud-state.ts';
import { novaTime } from '../../lib/openstack/nova.ts';

const { values } = parseArgs({ options: { computes: { type: 'string' }, state: { type: 'string' }, instances: { type: 'string', default: '6' } } });
const cluster = (values.computes ?? '').split(/\s+/).filter(Boolean);
const stateDir = values.state ?? '/tmp/ihaa-e2e';
const osState = process.env.IHAA_OS_STATE ?? '/tmp/ihaa-openstack';
const run = promisify(execFile);
const computeSh = (action: string, host: string) =>
  run('bash', [join(REPO, 'test/openstack-real/compute.sh'), action, host], { timeout: 60_000 }).catch((e: Error) => console.error(`${action} ${host}: ${e.message}`));

const { identityRoot, nova } = realClients();
const target = await realTarget();
const TAGGED = { image: 'ihaa-seed-evacuable', flavor: 'ihaa-seed.plain' };
const PLAIN = { image: 'ihaa-seed-plain', flavor: 'ihaa-seed.plain' };

writeJson(join(stateDir, 'sim.json'), { authUrl: `${identityRoot}/v3`, pid: process.pid, real: true });

/** What the cluster says of each host: online, and whether it runs the nova-compute clone there. */
async function clusterView(): Promise<Map<string, { known: boolean; online: boolean; started: boolean }> | undefined> {
  const xml = await crmMonXml();
  if (xml === undefined) return undefined;
  const started = novaComputeStarted(xml);
  return new Map(cluster.map((h) => {
    const node = new RegExp(`<node name="${h}"[^>]*>`).exec(xml)?.[0];
    return [h, { known: node !== undefined, online: /online="true"/.test(node ?? ''), started: started.has(h) }];
  }));
}

const processRunning = (host: string) => {
  const pidFile = join(osState, 'pids', `nova-compute-${host}.pid`);
  if (!existsSync(pidFile)) return false;
  try { process.kill(Number(readFileSync(pidFile, 'utf8')), 0); return true; } catch { return false; }
};

/** Starts nova-compute where the cluster runs it; stops it where the cluster stopped it on a live host. */
async function followCluster(): Promise<void> {
  const view = await clusterView();
  if (!view) return;
  for (const [host, v] of view) {
    const running = processRunning(host);
    if (v.started && !running) await computeSh('start', host);
    // A lost host (known, offline) keeps its process until the power-off kills it.
    else if (!v.started && running && (v.online || !v.known)) await computeSh('stop', host);
  }
}

const evacuable = new Set<string>();
let booted = false;
/** Servers by name on a host, booting those missing (a retry after a slow boot adds none twice). */
async function ensureServers(host: string, names: string[], kind: typeof TAGGED): Promise<string[]> {
  const existing = new Map((await nova.serversChangedSince(new Date(0))).map((s) => [s.name, s.id]));
  const added = await target.boot(host, names.filter((n) => !existing.has(n)).map((name) => ({ name, ...kind })));
  const ids = [...names.filter((n) => existing.has(n)).map((n) => existing.get(n)!), ...added];
  if (kind === TAGGED) for (const id of ids) evacuable.add(id);
  return ids;
}

/** Once every cluster host's nova-compute is up: instances on them, as sim-server.ts places them. */
async function bootOnce(): Promise<void> {
  const services = await nova.services();
  if (!cluster.every((h) => services.some((s) => s.host === h && s.state === 'up' && !s.forcedDown))) return;
  const [first, ...others] = cluster;
  const n = Number(values.instances);
  await ensureServers(first!, Array.from({ length: n }, (_, i) => `ha-vm-${i}`), TAGGED);
  await ensureServers(first!, ['plain-vm-0', 'plain-vm-1'], PLAIN);
  for (const h of others) await ensureServers(h, [`vm-on-${h}`], TAGGED);
  booted = true;
  console.log(`booted ${n + 2 + others.length} servers`);
}

// A scenario asks for more evacuable instances on a host (boot-request.json, then SIGUSR2).
let bootRequest: { host: string; names: string[] } | undefined;
process.on('SIGUSR2', () => { bootRequest = JSON.parse(readFileSync(join(stateDir, 'boot-request.json'), 'utf8')) as typeof bootRequest; });

/** Nova's view, in sim-server.ts's shape (alive = the host's nova-compute process runs). */
async function writeState(): Promise<void> {
  const time = Date.now(); // before the reads: a snapshot is at least as new as its time
  const [services, servers, migrations] = await Promise.all([nova.services(), nova.serversChangedSince(new Date(0)), nova.migrations({ type: 'evacuation' })]);
  const evacuationsOf = (id: string) => migrations.filter((m) => m.instanceUuid === id && !['error', 'failed'].includes(m.status));
  writeJson(join(stateDir, 'sim-state.json'), {
    time, booted,
    services: services.filter((s) => s.binary === 'nova-compute').map((s) => ({ host: s.host,
      alive: cluster.includes(s.host) ? processRunning(s.host) : s.state === 'up', forcedDown: s.forcedDown, disabled: s.status === 'disabled' })),
    servers: servers.map((s) => ({ id: s.id, name: s.name, host: s.host, status: s.status, taskState: s.taskState,
      evacuable: evacuable.has(s.id), evacuations: evacuationsOf(s.id).length,
      ...evacuationRecords(evacuationsOf(s.id).map((m) => ({ from: m.sourceCompute, at: novaTime(m.createdAt) }))) })),
  });
}

process.on('SIGTERM', () => process.exit(0));
console.log(`bridge to the real cloud at ${identityRoot}`);
for (;;) {
  try {
    await followCluster();
    if (!booted) await bootOnce();
    if (bootRequest) { await ensureServers(bootRequest.host, bootRequest.names, TAGGED); bootRequest = undefined; }
    await writeState();
  } catch (e) {
    console.error(`${new Date().toISOString()} ${(e as Error).message}`);
  }
  await sleep(500);
}
