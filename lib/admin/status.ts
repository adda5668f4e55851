import { Attrd } from '../pacemaker/attrd.ts';
import { Ledger, type LedgerEntry } from '../pacemaker/ledger.ts';
import { EVACUATE_ATTR } from '../pacemaker/marks.ts';

// Every host's evacuation state as the cluster holds it: the durable ledger (CIB) and attrd's
// `evacuate` mark side by side.

export interface HostState {
  host: string;
  mark: string | undefined;
  phase: LedgerEntry['phase'] | undefined;
  since: string | undefined;
  by: string | undefined;
}

export async function hostStates(attrd = new Attrd(), ledger = new Ledger()): Promise<HostState[]> {
  const [marks, entries] = await Promise.all([attrd.queryAll(EVACUATE_ATTR), ledger.all()]);
  const hosts = new Set([...marks.map((m) => m.node), ...entries.map((e) => e.host)]);
  return [...hosts].sort().map((host) => {
    const e = entries.find((x) => x.host === host);
    return { host, mark: marks.find((m) => m.node === host)?.value, phase: e?.phase, since: e ? new Date(e.since * 1000).toISOString() : undefined, by: e?.by };
  });
}

export function formatStates(states: readonly HostState[]): string {
  const rows = [['HOST', 'EVACUATE MARK', 'LEDGER', 'SINCE', 'BY'], ...states.map((s) => [s.host, s.mark ?? '-', s.phase ?? '-', s.since ?? '-', s.by ?? '-'])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return `${rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')}\n`;
}
