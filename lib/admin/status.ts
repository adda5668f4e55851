import { Attrd } from '../pacemaker/attrd.ts';
import { Ledger, type LedgerEntry } from '../pacemaker/ledger.ts';
import { BLOCKED_ATTR, EVACUATE_ATTR } from '../pacemaker/marks.ts';

// Every host's evacuation state as the cluster holds it: the durable ledger (CIB), attrd's
// `evacuate` mark and the worker's blocked report, read together into one phase.

export type Phase = 'marked' | 'evacuating' | 'blocked' | 'done' | 'maintenance';

export interface HostState {
  host: string;
  phase: Phase;
  /** Why it is blocked (the worker's words), when it is. */
  reason: string | undefined;
  mark: string | undefined;
  ledger: LedgerEntry['phase'] | undefined;
  since: string | undefined;
  by: string | undefined;
}

/** The phase the marks and the ledger say together (see marks-scan.ts for the same rules, as the worker applies them). */
export function phaseOf(mark: string | undefined, entry: LedgerEntry | undefined, blocked: string | undefined): Phase {
  if (blocked) return 'blocked';
  if (entry?.phase === 'maintenance') return 'maintenance';
  if (mark === 'yes') return 'marked';
  if (mark && mark !== 'no') return 'evacuating';
  if (!entry || entry.phase === 'done' || mark === 'no') return 'done';
  return entry.phase === 'pending' ? 'marked' : 'evacuating';
}

export async function hostStates(attrd = new Attrd(), ledger = new Ledger()): Promise<HostState[]> {
  const [marks, blocked, entries] = await Promise.all([attrd.queryAll(EVACUATE_ATTR), attrd.queryAll(BLOCKED_ATTR), ledger.all()]);
  const valueOf = (list: { node: string; value: string }[], host: string) => list.find((m) => m.node === host)?.value || undefined;
  const hosts = new Set([...marks.map((m) => m.node), ...entries.map((e) => e.host), ...blocked.filter((b) => b.value).map((b) => b.node)]);
  return [...hosts].sort().map((host) => {
    const e = entries.find((x) => x.host === host);
    const mark = valueOf(marks, host);
    const reason = valueOf(blocked, host);
    return { host, phase: phaseOf(mark, e, reason), reason, mark, ledger: e?.phase, since: e ? new Date(e.since * 1000).toISOString() : undefined, by: e?.by };
  });
}

export function formatStates(states: readonly HostState[]): string {
  const rows = [['HOST', 'PHASE', 'EVACUATE MARK', 'LEDGER', 'SINCE', 'BY'], ...states.map((s) => [s.host, s.phase, s.mark ?? '-', s.ledger ?? '-', s.since ?? '-', s.by ?? '-'])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const table = rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
  const why = states.filter((s) => s.reason).map((s) => `${s.host} is blocked: ${s.reason}`);
  return `${[table, ...why].join('\n')}\n`;
}
