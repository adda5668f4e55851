import { nodeNamesOf } from '../host-names.ts';
import type { NovaService } from '../openstack/nova.ts';
import type { OperatorNote } from '../pacemaker/ledger.ts';
import { massFailureGuard } from './guard.ts';
import { safetyVerdict } from './safety.ts';
import type { WorkerConfig, WorkerDeps } from './worker-config.ts';

// The gate before every round of evacuate requests: the operator's pause (instance-ha pause),
// the safety rule (safety.ts) on fresh facts, then the mass-failure guard. One Nova listing
// serves every host asking at about the same time (`services`); the pause and the operators'
// confirmations come from the worker's last ledger read (`notes`, read with the marks each poll).

export type Gate =
  | { open: true; proof: string; byOperator?: boolean }
  | { open: false; event: 'host-unsafe' | 'host-blocked' | 'host-paused'; reason: string };

/** What the ledger says beside its entries. */
export interface LedgerNotes {
  pause: OperatorNote | undefined;
  confirmedOff: ReadonlyMap<string, OperatorNote>;
}

/** Why a host waits while evacuation is paused, and the way out. */
export function pausedReason(p: OperatorNote): string {
  return `evacuation paused by ${p.by} at ${new Date(p.since * 1000).toISOString()}${p.reason ? `: ${p.reason}` : ''}; instance-ha resume`;
}

export async function checkGate(c: WorkerConfig, d: WorkerDeps, host: string, markedAt: number, services: () => Promise<NovaService[]>, notes: () => LedgerNotes): Promise<Gate> {
  const { pause, confirmedOff } = notes();
  // Paused: nothing is asked of Nova either (the pause may be for a Nova upgrade).
  if (pause) return { open: false, event: 'host-paused', reason: pausedReason(pause) };
  const all = await services();
  const service = all.find((s) => s.host === host);
  const nodes = nodeNamesOf(host, c.naming);
  // Pacemaker is asked only when Nova's half of the rule holds.
  const fencing = c.requireFencing && service?.forcedDown ? (await Promise.all(nodes.map((n) => d.fencingHistory(n)))).flat() : [];
  const off = confirmedOff.get(host);
  const verdict = safetyVerdict({ host, service, requireFencing: c.requireFencing, markedAt, nodes, fencing, confirmedOff: off && { at: off.since * 1000, by: off.by, reason: off.reason } });
  if (!verdict.safe) return { open: false, event: 'host-unsafe', reason: verdict.reason };
  const guard = massFailureGuard(all, c.threshold);
  if (guard.blocked) {
    return { open: false, event: 'host-blocked', reason: `mass failure: ${guard.reason}; nothing is evacuated until fewer hosts are down (or raise threshold)` };
  }
  return { open: true, proof: verdict.proof, byOperator: verdict.byOperator };
}
