import { parseHostMap } from '../hostname.ts';
import type { NovaService } from './nova.ts';

// A fence target (Pacemaker node name) → the Nova compute service it is. In order: the
// explicit host_map; short name + domain (as the reference's `domain` meant); the exact Nova
// host; a unique short-name match among all services (so mixed DNS domains work, which failed
// every action in the reference).

export class HostResolutionError extends Error {
  override name = 'HostResolutionError';
}

export interface HostNaming {
  hostMap?: string;
  domain?: string;
}

const short = (h: string) => h.split('.')[0] ?? h;

export function resolveService(target: string, naming: HostNaming, services: readonly NovaService[]): NovaService {
  const byHost = (h: string) => services.find((s) => s.host === h);
  const mapped = parseHostMap(naming.hostMap ?? '').get(target);
  if (mapped) {
    const s = byHost(mapped);
    if (!s) throw new HostResolutionError(`host_map maps ${target} to ${mapped}, which has no nova-compute service in Nova`);
    return s;
  }
  if (naming.domain) {
    const withDomain = byHost(`${short(target)}.${naming.domain.replace(/^\./, '')}`);
    if (withDomain) return withDomain;
  }
  const exact = byHost(target);
  if (exact) return exact;
  const sameShort = services.filter((s) => short(s.host) === short(target));
  if (sameShort.length === 1 && sameShort[0]) return sameShort[0];
  if (sameShort.length > 1) {
    throw new HostResolutionError(`${target} matches several Nova hosts (${sameShort.map((s) => s.host).join(', ')}): set domain or host_map`);
  }
  throw new HostResolutionError(`Nova has no nova-compute service for ${target}`);
}

/** Names Pacemaker may use for the hosts: Nova's names, unique short names, host_map keys. */
export function targetNames(naming: HostNaming, services: readonly NovaService[]): string[] {
  const names = new Set<string>();
  const shortCount = new Map<string, number>();
  for (const s of services) shortCount.set(short(s.host), (shortCount.get(short(s.host)) ?? 0) + 1);
  for (const s of services) {
    names.add(s.host);
    if (shortCount.get(short(s.host)) === 1) names.add(short(s.host));
  }
  for (const [node, host] of parseHostMap(naming.hostMap ?? '')) if (services.some((s) => s.host === host)) names.add(node);
  return [...names];
}
