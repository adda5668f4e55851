import { Attrd } from '../pacemaker/attrd.ts';
import { Ledger, type LedgerEntry, type OperatorNote } from '../pacemaker/ledger.ts';
import { BLOCKED_ATTR, EVACUATE_ATTR } from '../pacemaker/marks.ts';
import { pausedReason } from '../evacuation/host-gate.ts';

// Every host's evacuation state as the cluster holds it: the durable ledger (CIB), attrd's
// `evacuate` mark and the worker's blocked report, read together into one phase; and whether
// evacuation is paused cluster-wide (instance-ha pause).

/** paused: marked or evacuating while evacuation is paused (nothing is sent for it until resume). */
export type Phase = 'marked' | 'evacuating' | 'blocked' | 'done' | 'maintenance' | 'paused';

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

export interface ClusterState {
  /** Set while evacuation is paused. */
  pause: OperatorNote | undefined;
  hosts: HostState[];
}

/** The phase the marks and the ledger say together (see marks-scan.ts for the same rules, as the worker applies them). */
export function phaseOf(mark: string | undefined, entry: LedgerEntry | undefined, blocked: string | undefined, paused = false): Phase {
  const phase = markedPhase(mark, entry, blocked);
  return paused && (phase === 'marked' || phase === 'evacuating') ? 'paused' : phase;
}

function markedPhase(mark: string | undefined, entry: LedgerEntry | undefined, blocked: string | undefined): Phase {
  if (blocked) return 'blocked';
  if (entry?.phase === 'maintenance') return 'maintenance';
  if (mark === 'yes') return 'marked';
  if (mark && mark !== 'no') return 'evacuating';
  if (!entry || entry.phase === 'done' || mark === 'no') return 'done';
  return entry.phase === 'pending' ? 'marked' : 'evacuating';
}

export async function hostStates(attrd = new Attrd(), ledger = new Ledger()): Promise<HostState[]> {
  return (await clusterState(attrd, ledger)).hosts;
}

export async function clusterState(attrd = new Attrd(), ledger = new Ledger()): Promise<ClusterState> {
  const [marks, blocked, { entries, pause }] = await Promise.all([attrd.queryAll(EVACUATE_ATTR), attrd.queryAll(BLOCKED_ATTR), ledger.read()]);
  const valueOf = (list: { node: string; value: string }[], host: string) => list.find((m) => m.node === host)?.value || undefined;
  // Hosts are what the marks and the ledger name: the worker reports blocked only for those (and
  // copies the report under the Pacemaker node name when host_map or domain make it another).
  const hosts = new Set([...marks.map((m) => m.node), ...entries.map((e) => e.host)]);
  return { pause, hosts: [...hosts].sort().map((host) => {
    const e = entries.find((x) => x.host === host);
    const mark = valueOf(marks, host);
    const phase = phaseOf(mark, e, valueOf(blocked, host), pause !== undefined);
    const reason = phase === 'paused' && pause ? pausedReason(pause) : valueOf(blocked, host);
    return { host, phase, reason, mark, ledger: e?.phase, since: e ? new Date(e.since * 1000).toISOString() : undefined, by: e?.by };
  }) };
}

/** The header line while paused. */
export function pauseLine(pause: OperatorNote): string {
  return `EVACUATION PAUSED by ${pause.by} at ${new Date(pause.since * 1000).toISOString()}${pause.reason ? `: ${pause.reason}` : ''}; fencing still marks hosts, none is evacuated until: instance-ha resume`;
}

export function formatStates(states: readonly HostState[], pause?: OperatorNote): string {
  const rows = [['HOST', 'PHASE', 'EVACUATE MARK', 'LEDGER', 'SINCE', 'BY'], ...states.map((s) => [s.host, s.phase, s.mark ?? '-', s.ledger ?? '-', s.since ?? '-', s.by ?? '-'])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const table = rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
  const why = states.filter((s) => s.reason && s.phase !== 'paused').map((s) => `${s.host} is blocked: ${s.reason}`);
  return `${[...(pause ? [pauseLine(pause)] : []), table, ...why].join('\n')}\n`;
}
