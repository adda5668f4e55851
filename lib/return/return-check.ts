import type { Attrd } from '../pacemaker/attrd.ts';
import type { Ledger, LedgerEntry } from '../pacemaker/ledger.ts';
import type { OpenStack } from '../openstack/connect.ts';
import type { NovaService } from '../openstack/nova.ts';
import { selectEvacuable } from '../evacuation/selection.ts';
import { EVACUATE_ATTR } from '../pacemaker/marks.ts';

// "May this host serve again?" — shared by fence_compute `on` and compute-unfence-trigger.
// attrd's `evacuate` mark and the durable ledger (CIB) together, both ways of the reference
// protocol: a `yes` or a claim means an evacuation is owed whatever an older ledger `done`
// says; a `no` over an open ledger entry was written after our mark (fence_compute writes `yes`
// first) by another evacuator — the reference NovaEvacuate during an upgrade, an operator — so
// the host is done. The mark's absence proves nothing (Pacemaker wipes a remote node's
// transient attributes when it is lost and when it comes back): then the ledger, then Nova decide.

export type ReturnDecision = { finished: true; reason: string } | { finished: false; reason: string };

export interface ReturnFacts {
  /** The durable ledger entry for the Nova host. */
  ledger?: LedgerEntry;
  /** attrd value for the Nova host: 'yes', 'no', '<node>@<epoch>' or undefined. */
  mark: string | undefined;
  /** Nova's view; undefined when Nova is not asked (compute-unfence-trigger without credentials). */
  service?: NovaService;
  /** Evacuable instances Nova still places on the host (only needed when the mark is absent). */
  remaining?: number;
}

/** Pure rule. */
export function decideReturn(f: ReturnFacts): ReturnDecision {
  if (f.mark === 'yes') return { finished: false, reason: 'evacuate=yes: its evacuation has not started' };
  if (f.mark && f.mark !== 'no') return { finished: false, reason: `evacuate=${f.mark}: its evacuation is in progress` };
  if (f.ledger?.phase === 'done') return { finished: true, reason: 'the evacuation ledger says its evacuation is complete' };
  if (f.ledger?.phase === 'maintenance') return { finished: true, reason: 'in planned maintenance, drained: nothing to evacuate (instance-ha maintenance end enables it)' };
  if (f.ledger && f.mark === 'no') return { finished: true, reason: `evacuate=no written after the mark (the ledger said ${f.ledger.phase}): another evacuator finished it` };
  if (f.ledger) return { finished: false, reason: `the evacuation ledger says ${f.ledger.phase} since ${new Date(f.ledger.since * 1000).toISOString()}` };
  if (f.mark === 'no') return { finished: true, reason: 'evacuate=no: its evacuation is complete' };
  if (!f.service) return { finished: true, reason: 'no ledger entry and no evacuate mark: never fenced by instance-ha' };
  if (!f.service.forcedDown) return { finished: true, reason: 'no evacuate mark and the service is not forced down: nothing to wait for' };
  if (f.remaining === undefined) return { finished: false, reason: 'no evacuate mark: asking Nova' };
  return f.remaining === 0
    ? { finished: true, reason: 'no evacuate mark and Nova shows no evacuable instance left on it' }
    : { finished: false, reason: `no evacuate mark but Nova still shows ${f.remaining} evacuable instance(s) on it` };
}

/** Gathers the facts (attrd first; Nova only when the mark is absent) and decides. */
export async function checkReturn(host: string, service: NovaService, pcmk: { attrd: Attrd; ledger: Ledger }, os: OpenStack, tag = 'evacuable'): Promise<ReturnDecision> {
  const [ledger, mark] = await Promise.all([pcmk.ledger.get(host), pcmk.attrd.query(EVACUATE_ATTR, host)]);
  const first = decideReturn({ ledger, mark, service });
  if (first.finished) await recordNoAsDone(pcmk.ledger, ledger, mark);
  if (first.finished || ledger || mark !== undefined) return first;
  const [servers, images, flavors, aggregates] = await Promise.all([
    os.nova.serversOnHost(host), os.glance.images(), os.nova.flavors(), os.nova.aggregates(),
  ]);
  const remaining = selectEvacuable({ host, servers, images, flavors, aggregates, tag }).selected.length;
  return decideReturn({ ledger, mark, service, remaining });
}

/**
 * Another evacuator's `no` over our open entry, accepted: the ledger says done too. Pacemaker
 * wipes the `no` when the remote node rejoins; an entry left open would then keep the host out.
 */
export async function recordNoAsDone(ledger: Ledger, entry: LedgerEntry | undefined, mark: string | undefined): Promise<void> {
  if (entry && entry.phase !== 'done' && entry.phase !== 'maintenance' && mark === 'no') {
    await ledger.set({ host: entry.host, phase: 'done', since: Date.now() / 1000, by: 'evacuate=no' });
  }
}
