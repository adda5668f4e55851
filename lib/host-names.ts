import type { NovaService } from './openstack/nova.ts';
import { printable } from './text.ts';

// Pacemaker node names ↔ Nova host names, for every agent. In order: the explicit host_map;
// short name + domain (as the reference's `domain` meant); the exact Nova host; a unique
// short-name match among all services (so mixed DNS domains work, which failed every action
// in the reference).

export class HostResolutionError extends Error {
  override name = 'HostResolutionError';
}

export interface HostNaming {
  hostMap?: string;
  domain?: string;
}

export const shortName = (h: string): string => h.split('.')[0] ?? h;

/** `node:host;node2:host2` (also ',' or spaces between entries, like pcmk_host_map). */
export function parseHostMap(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of text.split(/[;,\s]+/).filter(Boolean)) {
    const m = /^([^:=]+)[:=](.+)$/.exec(entry);
    if (!m || !m[1] || !m[2]) throw new Error(`host_map: entry '${printable(entry)}' is not node:nova-host`);
    map.set(m[1], m[2]);
  }
  return map;
}

export function resolveService(target: string, naming: HostNaming, services: readonly NovaService[]): NovaService {
  const byHost = (h: string) => services.find((s) => s.host === h);
  const mapped = parseHostMap(naming.hostMap ?? '').get(target);
  if (mapped) {
    const s = byHost(mapped);
    if (!s) throw new HostResolutionError(`host_map maps ${target} to ${mapped}, which has no nova-compute service in Nova`);
    return s;
  }
  if (naming.domain) {
    const withDomain = byHost(withDomainOf(target, naming.domain));
    if (withDomain) return withDomain;
  }
  const exact = byHost(target);
  if (exact) return exact;
  const sameShort = services.filter((s) => shortName(s.host) === shortName(target));
  if (sameShort.length === 1 && sameShort[0]) return sameShort[0];
  if (sameShort.length > 1) {
    throw new HostResolutionError(`${target} matches several Nova hosts (${sameShort.map((s) => s.host).join(', ')}): set domain or host_map`);
  }
  throw new HostResolutionError(`Nova has no nova-compute service for ${target}`);
}

/**
 * The Nova host name of a node without asking Nova (a node Nova does not know yet, or no
 * credentials): host_map, else short name + domain, else the one known host with its short name.
 */
export function guessNovaHost(node: string, naming: HostNaming, knownHosts: readonly string[]): string {
  const mapped = parseHostMap(naming.hostMap ?? '').get(node);
  if (mapped) return mapped;
  if (naming.domain) return withDomainOf(node, naming.domain);
  if (knownHosts.includes(node)) return node;
  const same = knownHosts.filter((h) => shortName(h) === shortName(node));
  return same.length === 1 && same[0] ? same[0] : node;
}

/** Names Pacemaker may use for the hosts: Nova's names, unique short names, host_map keys. */
export function targetNames(naming: HostNaming, services: readonly NovaService[]): string[] {
  const names = new Set<string>();
  const shortCount = new Map<string, number>();
  for (const s of services) shortCount.set(shortName(s.host), (shortCount.get(shortName(s.host)) ?? 0) + 1);
  for (const s of services) {
    names.add(s.host);
    if (shortCount.get(shortName(s.host)) === 1) names.add(shortName(s.host));
  }
  for (const [node, host] of parseHostMap(naming.hostMap ?? '')) if (services.some((s) => s.host === host)) names.add(node);
  return [...names];
}

/** Pacemaker node names a Nova host may have: host_map keys, the host, its short name. */
export function nodeNamesOf(host: string, naming: HostNaming): string[] {
  const names = new Set<string>();
  for (const [node, nova] of parseHostMap(naming.hostMap ?? '')) if (nova === host) names.add(node);
  names.add(host);
  names.add(shortName(host));
  return [...names];
}

/**
 * The Pacemaker node name of a Nova host, for what the operator reads per node (crm_mon -A):
 * its host_map key, else its short name when `domain` adds the domain to node names, else itself.
 */
export function pacemakerNodeOf(host: string, naming: HostNaming): string {
  for (const [node, nova] of parseHostMap(naming.hostMap ?? '')) if (nova === host) return node;
  const domain = naming.domain?.replace(/^\./, '');
  return domain && host.endsWith(`.${domain}`) ? shortName(host) : host;
}

function withDomainOf(node: string, domain: string): string {
  return `${shortName(node)}.${domain.replace(/^\./, '')}`;
}
