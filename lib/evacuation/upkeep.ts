import { nodeNamesOf, pacemakerNodeOf } from '../host-names.ts';
import { novaTime, type NovaService } from '../openstack/nova.ts';
import type { LedgerEntry } from '../pacemaker/ledger.ts';
import { BLOCKED_ATTR, isOurDisableReason } from '../pacemaker/marks.ts';
import type { WorkerConfig, WorkerDeps } from './worker-config.ts';

// The worker's housekeeping beside the evacuations: marks that vanished, force-downs Nova
// refused to lift at unfencing, and evacuations another evacuator finished.

/**
 * Nova (Train+) refuses to unset force-down at unfencing while the host's 'done' evacuation
 * records remain; they complete once nova-compute has started there. For hosts whose
 * evacuation is done and whose node Pacemaker shows online again, ask again until Nova agrees.
 */
export async function finishReturns(c: WorkerConfig, d: WorkerDeps, busy: (host: string) => boolean): Promise<void> {
  if (c.dryRun) return;
  const done = (await d.ledger.all()).filter((e) => e.phase === 'done');
  if (done.length === 0) return;
  const forced = (await d.os.nova.services()).filter((s) => s.forcedDown && done.some((e) => e.host === s.host) && !busy(s.host));
  if (forced.length === 0) return;
  const online = await d.onlineNodes();
  for (const s of forced) {
    if (!nodeNamesOf(s.host, c.naming).some((n) => online.has(n))) continue;
    try {
      await d.os.nova.setForcedDown(s, false);
      d.events.emit({ event: 'host-returned', host: s.host, reason: 'back online in Pacemaker, evacuation done: force-down unset' });
    } catch (e) {
      d.log.debug(`${s.host}: force-down not unset yet: ${(e as Error).message}`);
    }
  }
}

/**
 * Marks can vanish (Pacemaker wipes a lost remote node's transient attributes; a full restart
 * loses them all): a host Nova shows forced down and disabled by instance-ha, without an open
 * ledger entry, that still has evacuable instances, gets a pending entry again.
 */
export async function reconcile(c: WorkerConfig, d: WorkerDeps, busy: (host: string) => boolean): Promise<void> {
  const [services, entries] = await Promise.all([d.os.nova.services(), d.ledger.all()]);
  const open = new Set(entries.filter((e) => e.phase !== 'done').map((e) => e.host));
  const lastDone = new Map(entries.filter((e) => e.phase === 'done').map((e) => [e.host, e]));
  for (const s of services) {
    if (!s.forcedDown || !isOurDisableReason(s.disabledReason) || open.has(s.host) || busy(s.host)) continue;
    if (isNewerDone(lastDone.get(s.host), s)) continue;
    const servers = await d.os.nova.serversOnHost(s.host);
    if (servers.length === 0) continue;
    d.events.emit({ event: 'host-reconciled', host: s.host, reason: `Nova shows it fenced with ${servers.length} instance(s) on it and no open ledger entry` });
    if (!c.dryRun) await d.ledger.set({ host: s.host, phase: 'pending', since: Date.now() / 1000, by: 'reconcile' });
  }
}

/** evacuate=no over an open ledger entry: another evacuator finished the host; the ledger says so too. */
export async function recordDoneElsewhere(c: WorkerConfig, d: WorkerDeps, entries: readonly LedgerEntry[]): Promise<void> {
  for (const e of entries) {
    d.events.emit({ event: 'host-done', host: e.host, reason: `evacuate=no written by another evacuator after the mark (ledger said ${e.phase})` });
    if (!c.dryRun) await d.ledger.set({ host: e.host, phase: 'done', since: Date.now() / 1000, by: 'evacuate=no' });
  }
}

/** A done entry written after the service was last updated covers this fencing. */
function isNewerDone(done: LedgerEntry | undefined, s: NovaService): boolean {
  if (!done) return false;
  const updated = novaTime(s.updatedAt);
  return Number.isFinite(updated) && done.since * 1000 >= updated;
}

/**
 * The blocked report copied under a Pacemaker node name (host_map, domain: worker.ts) goes with
 * the report under the Nova name, which release and a finished host remove; a worker restarted
 * in between would otherwise leave the copy in crm_mon -A for good.
 */
export async function clearOrphanedReports(c: WorkerConfig, d: WorkerDeps): Promise<void> {
  if (c.dryRun) return;
  const [reports, entries] = await Promise.all([d.attrd.queryAll(BLOCKED_ATTR), d.ledger.all()]);
  const reported = new Set(reports.map((r) => r.node));
  for (const e of entries) {
    const node = pacemakerNodeOf(e.host, c.naming);
    if (node !== e.host && reported.has(node) && !reported.has(e.host)) await d.attrd.remove(BLOCKED_ATTR, { node });
  }
}
