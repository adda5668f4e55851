import type { CloudModel } from './model.ts';

/** Computes the scheduler may place an evacuated instance on: up, enabled, not the source. */
export function eligibleHosts(model: CloudModel, source: string | null): string[] {
  return [...model.computes.values()]
    .filter((c) => c.host !== source && !c.disabled && model.isUp(c))
    .map((c) => c.host);
}

// Spread like Nova's default weighers would on identical hosts: fewest instances first
// (counting evacuations already heading there), ties by name so runs are reproducible.
export function pickHost(model: CloudModel, source: string | null, pending: Map<string, number>,
  requested?: { host: string; force: boolean }): string | undefined {
  if (requested?.force) return requested.host; // forced: no scheduler at all
  const hosts = eligibleHosts(model, source);
  if (requested) return hosts.includes(requested.host) ? requested.host : undefined;
  const load = (h: string) => model.countOn(h) + (pending.get(h) ?? 0);
  return hosts.sort((a, b) => load(a) - load(b) || (a < b ? -1 : a > b ? 1 : 0))[0];
}
