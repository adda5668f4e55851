import type { AttrdEntry } from '../pacemaker/attrd.ts';
import type { LedgerEntry } from '../pacemaker/ledger.ts';

// Which hosts the worker owes an evacuation, from attrd's `evacuate` marks and the durable
// ledger. Pure. Both directions of the reference protocol count: a `yes` (or an abandoned
// claim) opens a host whatever an older ledger `done` says, and an `evacuate=no` over an open
// ledger entry means another evacuator (the reference NovaEvacuate during an upgrade, an
// operator) finished it. fence_compute writes `yes` before the ledger's pending, so a `no` over
// an open entry was written after our mark.

/** A reference NovaEvacuate claim older than this is abandoned (its own rule). */
export const CLAIM_STALE_MS = 60_000;

export interface MarkScan {
  /** Hosts to evacuate. */
  open: string[];
  /** Open ledger entries another evacuator finished (evacuate=no): to be recorded done. */
  doneElsewhere: LedgerEntry[];
}

export function scanMarks(marks: readonly AttrdEntry[], entries: readonly LedgerEntry[], me: { node: string; startedAt: number; now: number }): MarkScan {
  const open = new Set<string>();
  const markOf = new Map(marks.map((m) => [m.node, m.value]));
  // A host drained for planned maintenance is held whatever its mark says (fencing it rewrites its entry).
  const held = new Set(entries.filter((e) => e.phase === 'maintenance').map((e) => e.host));
  for (const [host, value] of markOf) {
    if (held.has(host)) continue;
    if (value === 'yes') open.add(host);
    const claim = /^(.+)@(\d+)$/.exec(value);
    if (claim) {
      const ours = claim[1] === me.node && Number(claim[2]) * 1000 < me.startedAt;
      if (ours || me.now - Number(claim[2]) * 1000 > CLAIM_STALE_MS) open.add(host);
    }
  }
  const doneElsewhere: LedgerEntry[] = [];
  for (const e of entries) {
    if (e.phase === 'done' || e.phase === 'maintenance') continue;
    if (markOf.get(e.host) === 'no') doneElsewhere.push(e);
    else open.add(e.host);
  }
  return { open: [...open], doneElsewhere };
}
