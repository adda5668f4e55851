import { printable } from './text.ts';

// Pacemaker node name → Nova host name. The explicit map comes first; domain and Nova's own
// host list are consulted by the Nova-aware resolver (lib/openstack) after it.

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
