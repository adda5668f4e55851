import { nodeNamesOf } from '../host-names.ts';
import type { NovaService } from '../openstack/nova.ts';
import { massFailureGuard } from './guard.ts';
import { safetyVerdict } from './safety.ts';
import type { WorkerConfig, WorkerDeps } from './worker-config.ts';

// The gate before every round of evacuate requests: the safety rule (safety.ts) on fresh facts,
// then the mass-failure guard. One Nova listing serves every host asking at about the same time (`services`).

export type Gate = { open: true; proof: string } | { open: false; event: 'host-unsafe' | 'host-blocked'; reason: string };

export async function checkGate(c: WorkerConfig, d: WorkerDeps, host: string, markedAt: number, services: () => Promise<NovaService[]>): Promise<Gate> {
  const all = await services();
  const service = all.find((s) => s.host === host);
  const nodes = nodeNamesOf(host, c.naming);
  // Pacemaker is asked only when Nova's half of the rule holds.
  const fencing = c.requireFencing && service?.forcedDown ? (await Promise.all(nodes.map((n) => d.fencingHistory(n)))).flat() : [];
  const verdict = safetyVerdict({ host, service, requireFencing: c.requireFencing, markedAt, nodes, fencing });
  if (!verdict.safe) return { open: false, event: 'host-unsafe', reason: verdict.reason };
  const guard = massFailureGuard(all, c.threshold);
  if (guard.blocked) {
    return { open: false, event: 'host-blocked', reason: `mass failure: ${guard.reason}; nothing is evacuated until fewer hosts are down (or raise threshold)` };
  }
  return { open: true, proof: verdict.proof };
}
