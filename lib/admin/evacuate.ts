import type { Command } from 'commander';
import type { Logger } from '../log.ts';
import { resolveService } from '../host-names.ts';
import type { OpenStack } from '../openstack/connect.ts';
import { Attrd } from '../pacemaker/attrd.ts';
import { Ledger, type LedgerEntry } from '../pacemaker/ledger.ts';
import { DISABLED_REASON_PREFIX, EVACUATE_ATTR } from '../pacemaker/marks.ts';
import { novaService } from '../return/way-back.ts';
import { squeezed } from '../text.ts';
import { pollUntil, withDeadline } from '../time.ts';
import { connectCloud } from './cloud.ts';
import { CommandError, EXIT } from './exit-codes.ts';
import { operator } from './pause.ts';

// `instance-ha evacuate HOST --host-is-off`: for a host that cannot be fenced (its power device
// died with it) and that the operator checked is off. The only way around the Pacemaker half of
// the fencing proof (lib/evacuation/safety.ts): the operator's word, recorded in the ledger
// (host-is-off-<host>: who, when, why) before the mark, and Nova's half done here as
// fence_compute off does it (forced down, disabled with our reason). Then evacuate=yes, then the
// ledger's pending (by host-is-off:<who>): the same order as fence_compute, so an evacuate=no
// over the open entry still means "written after our mark". The worker evacuates it as usual.

/** How long Nova may take to show the host forced down and disabled. */
const NOVA_SHOWS_MS = 30_000;

export interface EvacuateOptions {
  hostIsOff: boolean;
  reason?: string;
}

export interface EvacuateDeps {
  os: () => Promise<OpenStack>;
  attrd?: Attrd;
  ledger?: Ledger;
  log: Logger;
}

/** Without --host-is-off: nothing is done (checked before anything is asked of Nova or the cluster). */
export function refuseWithoutConfirmation(host: string): never {
  throw new CommandError(EXIT.USAGE, `refusing to evacuate ${host} without proof that it is off: Pacemaker fences it and NovaEvacuate evacuates it on its own (pcs stonith fence ${host}); only when it cannot be fenced and you checked it is off: instance-ha evacuate ${host} --host-is-off`);
}

export async function evacuateHost(target: string, o: EvacuateOptions, d: EvacuateDeps): Promise<string> {
  if (!o.hostIsOff) refuseWithoutConfirmation(target);
  const attrd = d.attrd ?? new Attrd();
  const ledger = d.ledger ?? new Ledger();
  const os = await d.os();
  const service = resolveService(target, {}, await os.nova.services());
  const host = service.host;
  const [entry, mark] = await Promise.all([ledger.get(host), attrd.query(EVACUATE_ATTR, host)]);
  if (entry?.phase === 'maintenance') {
    throw new CommandError(EXIT.REFUSED, `${host} is in maintenance (since ${new Date(entry.since * 1000).toISOString()}, ${entry.by ?? '?'}): NovaEvacuate holds it; end the maintenance first (instance-ha maintenance end ${host})`);
  }
  // A host that reports to Nova runs nova-compute: a typo, or not off at all.
  if (!service.forcedDown && service.state === 'up') {
    throw new CommandError(EXIT.REFUSED, `${host}: Nova shows its nova-compute up (last report ${service.updatedAt ?? 'unknown'}): a host that is off stops reporting within Nova's service_down_time (60 s by default); check the host, then try again`);
  }
  const who = operator();
  const reason = o.reason ? squeezed(o.reason) : undefined;
  const now = Math.floor(Date.now() / 1000);
  // The word first: alone it does nothing (no mark), and the worker finds it with the mark.
  await ledger.confirmOff(host, { since: now, by: who, reason });
  d.log.warning(`${host}: ${who} confirmed it is off (instance-ha evacuate --host-is-off${reason ? `: ${reason}` : ''}): evacuated without Pacemaker's fencing proof`);
  if (!service.forcedDown) await os.nova.setForcedDown(service, true);
  if (service.status !== 'disabled') await os.nova.disable(service, `${DISABLED_REASON_PREFIX} host-is-off confirmed by ${who} at ${new Date(now * 1000).toISOString()}`);
  await withDeadline(NOVA_SHOWS_MS, `${host}: Nova did not show it forced down and disabled within ${NOVA_SHOWS_MS / 1000} s`,
    () => pollUntil(() => novaService(os, host), (x) => x.forcedDown && x.status === 'disabled', 500));
  // A claim (<node>@<epoch>) means a worker has it already: it sees the confirmation at its next gate.
  const claimed = mark !== undefined && /@\d+$/.test(mark);
  if (!claimed) await attrd.update(EVACUATE_ATTR, 'yes', { node: host, private: true });
  // An open entry keeps its mark time: the worker reads Nova's evacuations from then on (exactly once).
  const open = entry && (entry.phase === 'pending' || entry.phase === 'evacuating');
  const next: LedgerEntry = open ? { ...entry, by: `host-is-off:${who}` } : { host, phase: 'pending', since: now, by: `host-is-off:${who}` };
  await ledger.set(next);
  const { pause } = await ledger.read();
  return `${host}: confirmed off by ${who}${reason ? ` (${reason})` : ''}; forced down and disabled in Nova, marked for evacuation (ledger ${next.phase} since ${new Date(next.since * 1000).toISOString()})`
    + `; NovaEvacuate evacuates it without Pacemaker's fencing proof${pause ? ' once evacuation is resumed (it is paused: instance-ha resume)' : ''}; follow it: instance-ha status`;
}

export function registerEvacuate(program: Command, log: Logger, deps: Partial<EvacuateDeps> = {}): void {
  program.command('evacuate').argument('<host>').description('evacuate a host that cannot be fenced (its power device died with it) on your word that it is off: forced down and disabled in Nova, marked, who said so recorded; NovaEvacuate evacuates it without Pacemaker\'s fencing proof')
    .option('--host-is-off', 'you checked that the host is powered off (required: without it nothing is done)')
    .option('--reason <text>', 'why (recorded with who said so)')
    .option('--os-cloud <name>', 'clouds.yaml entry (default: OS_CLOUD, else the OS_* variables)')
    .action(async (host: string, o: { hostIsOff?: boolean; reason?: string; osCloud?: string }) => {
      const said = await evacuateHost(host, { hostIsOff: o.hostIsOff === true, reason: o.reason }, { os: () => connectCloud(o.osCloud, log), log, ...deps });
      process.stdout.write(`${said}\n`);
    });
}
