// The OpenStack simulator as a process for the end-to-end testbed and the demo. Its
// nova-compute services of cluster hosts are alive exactly while Pacemaker runs the
// "nova-compute" resource on that host (read from crm_mon), as a real nova-compute would be;
// a host Nova does not know yet registers its service when the cluster first starts it there.
// Three more computes (spare-0..2) are alive outside the cluster, spare evacuation targets.
//   node sim-server.ts --port 35500 --computes "compute-0 compute-1 compute-2" --state DIR [--instances 6] [--per-host 1]
import { readFileSync } from 'node:fs';
import { crmMonXml, evacuationRecords, novaComputeStarted, writeJson } from './cloud-state.ts';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { callClass, startSimulator } from '../simulator/index.ts';

const { values } = parseArgs({ options: { port: { type: 'string' }, computes: { type: 'string' }, state: { type: 'string' }, instances: { type: 'string', default: '6' }, 'per-host': { type: 'string', default: '1' } } });
const cluster = (values.computes ?? '').split(/\s+/).filter(Boolean);
/** Hosts whose nova-compute follows the cluster: the initial ones and any that joined. */
const managed = new Set(cluster);
const stateDir = values.state ?? '/tmp/ihaa-e2e';
const sim = await startSimulator({ port: Number(values.port), rebuildMs: 2000, seed: 'e2e' });
const m = sim.model;
for (const h of [...cluster, 'spare-0', 'spare-1', 'spare-2']) m.addCompute(h);
for (const h of cluster) m.crash(h); // until the cluster starts its nova-compute
const tagged = m.addImage({ name: 'cirros-ha', tags: ['evacuable'] });
const plain = m.addImage({ name: 'cirros' });
// On the first cluster host: instances of a tagged image (evacuable) and untagged ones (not).
const n = Number(values.instances);
for (let i = 0; i < n; i++) m.addServer({ host: cluster[0] ?? 'compute-0', name: `ha-vm-${i}`, image: tagged });
for (let i = 0; i < 2; i++) m.addServer({ host: cluster[0] ?? 'compute-0', name: `plain-vm-${i}`, image: plain });
const perHost = Number(values['per-host']);
for (const h of cluster.slice(1)) for (let i = 0; i < perHost; i++) m.addServer({ host: h, name: perHost === 1 ? `vm-on-${h}` : `vm-on-${h}-${i}`, image: tagged });

writeJson(join(stateDir, 'sim.json'), { authUrl: sim.authUrl, baseUrl: sim.baseUrl, pid: process.pid });

/** Requests received so far by kind (callClass), for the scale benchmark's windows. */
const calls: Record<string, number> = {};
let counted = 0;

async function tick(): Promise<void> {
  const time = Date.now(); // before the reads: a snapshot is at least as new as its time
  const xml = await crmMonXml();
  const running = xml === undefined ? new Set<string>() : novaComputeStarted(xml);
  for (const h of running) {
    if (m.computes.has(h)) continue;
    m.addCompute(h); // a new nova-compute registers its service, enabled and up
    managed.add(h);
    console.log(`${new Date().toISOString()} nova-compute of ${h} registered`);
  }
  for (const h of managed) {
    const c = m.compute(h);
    if (running.has(h) && !c.alive) m.recover(h);
    if (!running.has(h) && c.alive) m.crash(h);
  }
  for (const c of sim.calls.all.slice(counted)) calls[callClass(c)] = (calls[callClass(c)] ?? 0) + 1;
  counted = sim.calls.all.length;
  writeJson(join(stateDir, 'sim-state.json'), {
    time, calls,
    services: [...m.computes.values()].map((c) => ({ host: c.host, alive: c.alive, forcedDown: c.forcedDown, disabled: c.disabled, reason: c.disabledReason })),
    servers: [...m.servers.values()].map((s) => ({ id: s.id, name: s.name, host: s.host, status: s.status, taskState: s.taskState,
      evacuable: s.imageId === tagged.id, evacuations: sim.calls.evacuations(s.id).filter((r) => r.status === 200).length,
      ...evacuationRecords([...m.migrations.values()].filter((x) => x.instanceUuid === s.id && x.migrationType === 'evacuation' && !['error', 'failed'].includes(x.status))
        .map((x) => ({ from: x.sourceCompute, at: x.createdAt.getTime() }))) })),
  });
}
// Fault injection from the scenarios: SIGUSR1 starts a Nova outage (every compute API request
// answered 503, as a load balancer with no backend does) lasting the ms in nova-outage-ms.
process.on('SIGUSR1', () => {
  const ms = Number(readFileSync(join(stateDir, 'nova-outage-ms'), 'utf8'));
  const rule = sim.faults.add({ kind: 'status', status: 503, path: /^\/compute\//, rawBody: '<html><body><h1>503 Service Unavailable</h1></body></html>', contentType: 'text/html' });
  console.log(`${new Date().toISOString()} Nova outage for ${ms} ms`);
  setTimeout(() => { void rule.remove(); console.log(`${new Date().toISOString()} Nova outage over`); }, ms);
});
// A scenario asks for more evacuable instances on a host (boot-request.json, then SIGUSR2);
// `rebuild: 'hang'` makes their evacuations never finish.
process.on('SIGUSR2', () => {
  const { host, names, rebuild } = JSON.parse(readFileSync(join(stateDir, 'boot-request.json'), 'utf8')) as { host: string; names: string[]; rebuild?: 'hang' };
  for (const name of names) m.addServer({ host, name, image: tagged, rebuild });
});
// A scenario's cleanup (sim-request.json, then SIGHUP): delete servers by name, or delete a
// compute service with whatever is on it (a node that joined for one scenario).
process.on('SIGHUP', () => {
  const r = JSON.parse(readFileSync(join(stateDir, 'sim-request.json'), 'utf8')) as { op: string; names?: string[]; host?: string };
  const doomed = [...m.servers.values()].filter((s) => (r.op === 'delete-servers' && r.names?.includes(s.name)) || (r.op === 'remove-compute' && s.host === r.host));
  for (const s of doomed) m.deleteServer(s.id);
  if (r.op === 'remove-compute' && r.host && m.computes.has(r.host)) { m.removeCompute(r.host); managed.delete(r.host); }
  console.log(`${new Date().toISOString()} ${r.op} ${r.host ?? ''}: ${doomed.length} server(s) deleted`);
});
// Every 0.5 s, or 4 × as long as the last crm_mon took: at 50 hosts crm_mon costs ~0.2 CPU-s, and
// the harness must not be what overloads the cluster it measures.
for (;;) {
  const t0 = Date.now();
  await tick().catch((e: unknown) => console.error(e));
  await new Promise((r) => setTimeout(r, Math.max(500, 4 * (Date.now() - t0))));
}
process.on('SIGTERM', () => { void sim.stop().then(() => process.exit(0)); });
console.log(`simulator on ${sim.baseUrl}`);
