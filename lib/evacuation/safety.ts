import type { NovaService } from '../openstack/nova.ts';
import type { FenceEvent } from '../pacemaker/fencing.ts';

// The safety rule. A guest is started elsewhere only with proof that its host was powered off
// in this incident: two writers on one shared disk destroy the guest's data. Pure: the worker
// gathers the facts (host-gate.ts) before every round of requests, not only once.
//
// Proof is both of:
//  1. Nova shows the host's nova-compute forced down. Only fencing forces it down; "down and
//     disabled" is also a host in maintenance, or one whose nova-compute merely stopped.
//  2. Unless require_fencing=0: Pacemaker's fencing history has an off or reboot of the host's
//     node that *succeeded* (one in flight proves nothing) after the node was last unfenced
//     (its last successful `on`: the host was in service after that) and not more than
//     FENCE_WINDOW_MS before the mark (fence_compute marks right after the power device of the
//     same level succeeded; anything older belongs to an earlier incident).
//     The one way around this half: an operator's confirmation that the host is off (instance-ha
//     evacuate --host-is-off, for a host whose power device died with it), recorded in the
//     ledger at or after the mark and after the node's last unfencing. Nova's half still holds.

export const FENCE_WINDOW_MS = 30 * 60_000;

export interface SafetyFacts {
  host: string;
  service: NovaService | undefined;
  requireFencing: boolean;
  /** When the host was marked (epoch ms). */
  markedAt: number;
  /** The Pacemaker node names the host may have, and their fencing history. */
  nodes: readonly string[];
  fencing: readonly FenceEvent[];
  /** The ledger's last operator confirmation that the host is off (epoch ms), if any. */
  confirmedOff?: { at: number; by: string; reason?: string };
}

/** byOperator: the proof is an operator's word, not Pacemaker's (always logged at warning level). */
export type Verdict = { safe: true; proof: string; byOperator?: boolean } | { safe: false; reason: string };

const isPower = (e: FenceEvent) => e.action === 'off' || e.action === 'reboot';
const at = (ms: number) => new Date(ms).toISOString();

export function safetyVerdict(f: SafetyFacts): Verdict {
  const s = f.service;
  if (!s) return { safe: false, reason: `Nova has no nova-compute service ${f.host}` };
  if (!s.forcedDown) {
    return { safe: false, reason: s.state === 'up' ? 'Nova shows its nova-compute up' : `Nova shows it ${s.state} and ${s.status} but not forced down (only fencing forces it down)` };
  }
  if (!f.requireFencing) return { safe: true, proof: 'forced down in Nova (require_fencing=0: Pacemaker not asked)' };
  const lastOn = latest(f.fencing.filter((e) => e.action === 'on' && e.status === 'success'));
  const notBefore = Math.max(f.markedAt - FENCE_WINDOW_MS, lastOn?.completed ?? -Infinity);
  const proof = latest(f.fencing.filter((e) => isPower(e) && e.status === 'success' && (e.completed ?? -Infinity) >= notBefore));
  if (proof) return { safe: true, proof: `${proof.action} of ${proof.target} succeeded at ${at(proof.completed!)}` };
  const confirmed = f.confirmedOff;
  if (confirmed && confirmed.at >= f.markedAt && confirmed.at > (lastOn?.completed ?? -Infinity)) {
    return { safe: true, byOperator: true, proof: `no fencing: ${confirmed.by} confirmed the host off at ${at(confirmed.at)}${confirmed.reason ? ` (${confirmed.reason})` : ''} (instance-ha evacuate --host-is-off); forced down in Nova` };
  }
  const pending = f.fencing.find((e) => isPower(e) && e.status === 'pending');
  if (pending) return { safe: false, reason: `the fencing of ${pending.target} is still in flight: not proof until it succeeds` };
  const since = lastOn && lastOn.completed! > f.markedAt - FENCE_WINDOW_MS ? `its last unfencing (${at(lastOn.completed!)})` : `${at(notBefore)} (${FENCE_WINDOW_MS / 60_000} min before its mark)`;
  return { safe: false, reason: `Pacemaker's fencing history shows no successful fencing of ${f.nodes.join(' or ')} since ${since}; fence it, or when it cannot be fenced and you checked it is off: instance-ha evacuate ${f.host} --host-is-off` };
}

function latest(events: readonly FenceEvent[]): FenceEvent | undefined {
  return [...events].sort((a, b) => (b.completed ?? 0) - (a.completed ?? 0))[0];
}
