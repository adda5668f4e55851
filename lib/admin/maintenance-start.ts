import { hostname, userInfo } from 'node:os';
import type { Logger } from '../log.ts';
import { nodeNamesOf, resolveService } from '../host-names.ts';
import { drainHost } from '../maintenance/drain.ts';
import { Progress } from '../maintenance/progress.ts';
import type { OpenStack } from '../openstack/connect.ts';
import { Attrd } from '../pacemaker/attrd.ts';
import { Ledger } from '../pacemaker/ledger.ts';
import { EVACUATE_ATTR } from '../pacemaker/marks.ts';
import { isRemoteNode, nodeState, setConnection } from '../pacemaker/remote-nodes.ts';
import { pollUntil, withDeadline } from '../time.ts';
import { CommandError, EXIT } from './exit-codes.ts';

// `instance-ha maintenance start HOST`: the operations guide's planned maintenance, in order —
// disable the service with a reason, hold NovaEvacuate for the host (ledger phase maintenance),
// live-migrate every instance off, then take the node out of the cluster cleanly (a
// pacemaker_remote node's connection stopped: powering it off is then no failure).

/** Our maintenance disable reason: not fencing's (`instance-ha:`), so unfencing never enables it. */
export const MAINTENANCE_REASON_PREFIX = 'instance-ha-maintenance:';

export interface StartOptions {
  reason?: string;
  migrate: boolean;
  blockMigration: boolean;
  concurrency: number;
  verifyMs: number;
  timeoutMs: number;
}

export interface Interrupts { interrupted: () => boolean; stopped: AbortSignal }

export async function maintenanceStart(os: OpenStack, target: string, o: StartOptions, log: Logger, signals: Interrupts): Promise<number> {
  const ledger = new Ledger();
  const service = resolveService(target, {}, await os.nova.services());
  const host = service.host;
  const [entry, mark] = await Promise.all([ledger.get(host), new Attrd().query(EVACUATE_ATTR, host)]);
  if (mark === 'yes' || (mark && mark !== 'no') || entry?.phase === 'pending' || entry?.phase === 'evacuating') {
    throw new CommandError(EXIT.REFUSED, `${host} is marked for evacuation (evacuate=${mark ?? '-'}, ledger ${entry?.phase ?? '-'}): let it finish, or release it (instance-ha release ${host})`);
  }
  const who = `${userInfo().username} on ${hostname()}`;
  if (entry?.phase === 'maintenance') say(`${host}: already in maintenance since ${new Date(entry.since * 1000).toISOString()} (${entry.by ?? '?'}): moving what is left`);
  else {
    const reason = `${MAINTENANCE_REASON_PREFIX} ${o.reason ?? 'planned maintenance'} (by ${who}, ${new Date().toISOString()})`.slice(0, 255);
    if (service.status !== 'disabled') await os.nova.disable(service, reason);
    else say(`${host}: already disabled (${service.disabledReason ?? 'no reason'}): left as it is`);
    await ledger.set({ host, phase: 'maintenance', since: Date.now() / 1000, by: who });
    // a new maintenance: what left the host in an earlier one is not this one's to bring back
    await ledger.setMovedAway(host, []);
    log.warning(`${host}: maintenance started by ${who}: ${o.reason ?? 'planned maintenance'}`);
    say(`${host}: disabled in Nova, NovaEvacuate holds it`);
  }
  if (o.migrate) {
    const left = await drain(os, host, o, signals, ledger);
    if (left.length > 0) {
      say(`${host}: not empty; ${left.length} instance(s) left:\n${left.map((l) => `  ${l}`).join('\n')}`);
      say(`${host}: stays in maintenance (disabled, held); the cluster still runs it. Move them by hand or run maintenance start again; maintenance end ${host} undoes it.`);
      return EXIT.NOT_EMPTY;
    }
  }
  await leaveCluster(host, o.timeoutMs);
  return EXIT.OK;
}

/** Live-migrates everything off; the ids that left are remembered for `maintenance end --return-instances`. */
async function drain(os: OpenStack, host: string, o: StartOptions, signals: Interrupts, ledger: Ledger): Promise<string[]> {
  const progress = new Progress(process.stdout, 'live-migrate');
  const outcome = await drainHost({
    os, events: progress, host, blockMigration: o.blockMigration ? true : 'auto', concurrency: o.concurrency,
    verifyMs: o.verifyMs, maxAttempts: 2, requestTimeoutMs: 10_000, signals,
  }).finally(() => progress.finish());
  const moved = [...progress.outcomes].filter(([, x]) => x.state === 'done').map(([id]) => id);
  await ledger.setMovedAway(host, [...new Set([...await ledger.movedAway(host), ...moved])]);
  say(`${host}: ${outcome.summary}`);
  const left = await os.nova.serversOnHost(host);
  return left.map((s) => `${s.id} ${s.name} (${s.status}${s.taskState ? `, task ${s.taskState}` : ''}): ${progress.outcomes.get(s.id)?.reason || (signals.interrupted() ? 'not moved: interrupted' : 'not moved')}`);
}

/** A pacemaker_remote node leaves the cluster cleanly; any other node is the operator's to stop. */
async function leaveCluster(host: string, timeoutMs: number): Promise<void> {
  const node = (await Promise.all(nodeNamesOf(host, {}).map(async (n) => (await isRemoteNode(n) ? n : undefined)))).find(Boolean);
  if (!node) {
    say(`${host}: empty; not a pacemaker_remote node of this cluster: put it in standby and stop pacemaker on it before powering it off`);
    return;
  }
  await setConnection(node, 'Stopped');
  say(`${host}: waiting for Pacemaker to take node ${node} offline (its resources stopped, the connection closed)…`);
  await withDeadline(timeoutMs, `${node} still not offline after ${timeoutMs / 1000} s (crm_mon shows why)`, () => pollUntil(() => nodeState(node), (s) => s !== 'online', 1000));
  say(`${host}: empty, out of the cluster: it may be powered off (nothing is fenced, nothing evacuated)`);
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
