import { hostname, userInfo } from 'node:os';
import type { Logger } from '../log.ts';
import { nodeNamesOf, resolveService } from '../host-names.ts';
import { drainHost, MigrationWindow } from '../maintenance/drain.ts';
import { Progress } from '../maintenance/progress.ts';
import type { OpenStack } from '../openstack/connect.ts';
import type { NovaService } from '../openstack/nova.ts';
import { Attrd } from '../pacemaker/attrd.ts';
import { Ledger, type LedgerEntry } from '../pacemaker/ledger.ts';
import { EVACUATE_ATTR } from '../pacemaker/marks.ts';
import { isRemoteNode, nodeState, setConnection } from '../pacemaker/remote-nodes.ts';
import { pollUntil, withDeadline } from '../time.ts';
import { CommandError, EXIT } from './exit-codes.ts';
import { MAINTENANCE_REASON_PREFIX, type Interrupts } from './maintenance-start.ts';

// `instance-ha maintenance end HOST`: the node back in the cluster, nova-compute up, the service
// enabled, HA back for the host; with --return-instances the instances that left it for the
// maintenance are live-migrated back.

export interface EndOptions { returnInstances: boolean; concurrency: number; verifyMs: number; timeoutMs: number }

export async function maintenanceEnd(os: OpenStack, target: string, o: EndOptions, log: Logger, signals: Interrupts): Promise<number> {
  const ledger = new Ledger();
  const before = resolveService(target, {}, await os.nova.services());
  const host = before.host;
  const attrd = new Attrd();
  const check = async (service: NovaService) => checkInMaintenance(host, await ledger.get(host), await attrd.query(EVACUATE_ATTR, host), service);
  const interrupted = await check(before);
  if (interrupted) say(interrupted);
  const deadline = Date.now() + o.timeoutMs;
  const node = (await Promise.all(nodeNamesOf(host, {}).map(async (n) => (await isRemoteNode(n) ? n : undefined)))).find(Boolean);
  if (node) {
    await setConnection(node, 'Started');
    say(`${host}: waiting for node ${node} to be back online in Pacemaker…`);
    await withDeadline(deadline - Date.now(), `${node} not online within ${o.timeoutMs / 1000} s (crm_mon shows why); the host stays in maintenance`, () => pollUntil(() => nodeState(node), (s) => s === 'online', 1000));
  }
  say(`${host}: waiting for its nova-compute to report up in Nova…`);
  const service = await withDeadline(deadline - Date.now(), `nova-compute on ${host} not up within ${o.timeoutMs / 1000} s; the host stays in maintenance`,
    () => pollUntil(async () => resolveService(host, {}, await os.nova.services()), (s) => s.state === 'up', 2000));
  await check(service); // a fencing may have begun during the waits
  if (disabledForMaintenance(service)) await os.nova.enable(service);
  else if (service.status === 'disabled') say(`${host}: left disabled, not disabled by maintenance: ${service.disabledReason ?? 'no reason'}`);
  const who = `${userInfo().username} on ${hostname()}`;
  await ledger.set({ host, phase: 'done', since: Date.now() / 1000, by: `maintenance end by ${who}` });
  log.warning(`${host}: maintenance ended by ${who}`);
  say(`${host}: enabled, back in service; NovaEvacuate protects it again`);
  if (o.returnInstances) return returnInstances(os, host, o, signals, ledger);
  await ledger.setMovedAway(host, []); // they stay where they are: nothing is owed to this host any more
  return EXIT.OK;
}

/**
 * In maintenance: the ledger says so, or, after a fencing during the maintenance (the node put
 * back into the cluster and then lost) closed the entry, Nova still shows the maintenance's
 * disable. An evacuation still open (its entry, or a yes or claim fence_compute writes first)
 * must finish first: a host is never returned with work left.
 */
function checkInMaintenance(host: string, entry: LedgerEntry | undefined, mark: string | undefined, service: NovaService): string | undefined {
  if (entry?.phase !== 'maintenance' && !disabledForMaintenance(service)) throw new CommandError(EXIT.NOTHING, `${host} is not in maintenance (ledger: ${entry?.phase ?? 'no entry'})`);
  if (mark === 'yes' || /@\d+$/.test(mark ?? '')) {
    throw new CommandError(EXIT.REFUSED, `${host} is being fenced or evacuated (evacuate=${mark}): it must finish first (instance-ha status ${host})`);
  }
  if (entry?.phase === 'maintenance') return undefined;
  if (entry && entry.phase !== 'done') {
    throw new CommandError(EXIT.REFUSED, `${host} was fenced during its maintenance and its evacuation is ${entry.phase}: it must finish first (instance-ha status ${host})`);
  }
  return `${host}: its maintenance was interrupted by a fencing (ledger: ${entry?.phase ?? 'no entry'}), Nova still shows the maintenance's disable: ending it`;
}

const disabledForMaintenance = (s: NovaService) => s.status === 'disabled' && (s.disabledReason ?? '').startsWith(MAINTENANCE_REASON_PREFIX);

/** The instances that left for the maintenance, back to the host, from wherever they are now. */
async function returnInstances(os: OpenStack, host: string, o: EndOptions, signals: Interrupts, ledger: Ledger): Promise<number> {
  const wanted = new Set(await ledger.movedAway(host));
  const servers = (await Promise.all([...wanted].map((id) => os.nova.findServer(id)))).filter((s) => s !== undefined);
  const bySource = new Map<string, Set<string>>();
  for (const s of servers) if (s.host && s.host !== host) bySource.set(s.host, new Set([...bySource.get(s.host) ?? [], s.id]));
  const progress = new Progress(process.stdout, 'live-migrate');
  const window = new MigrationWindow(o.concurrency); // --concurrency for all the sources together
  await Promise.all([...bySource].map(([source, only]) => drainHost({
    os, events: progress, host: source, only, target: host, blockMigration: 'auto', concurrency: o.concurrency, window,
    verifyMs: o.verifyMs, maxAttempts: 2, requestTimeoutMs: 10_000, signals,
  }))).finally(() => progress.finish());
  const back = (await os.nova.serversOnHost(host)).map((s) => s.id);
  const missing = servers.filter((s) => !back.includes(s.id));
  await ledger.setMovedAway(host, missing.map((s) => s.id));
  if (missing.length === 0) { say(`${host}: ${servers.length} instance(s) back`); return EXIT.OK; }
  say(`${host}: ${missing.length} instance(s) not back:\n${missing.map((s) => `  ${s.id} ${s.name}: ${progress.outcomes.get(s.id)?.reason || 'not moved'}`).join('\n')}`);
  return EXIT.NOT_EMPTY;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
