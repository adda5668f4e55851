// In-memory stand-ins for what the NovaEvacuate worker acts through — attrd, the CIB ledger,
// the fencing history, crm_mon and the logger — for bench/mass-failure.ts. None of them runs a
// Pacemaker tool: the test cluster on this machine is shared. Each call is counted as the fork
// it costs in production (lib/pacemaker/*.ts: one child per call), under that tool's name, and
// answers after a random 20–80 ms, as a fork would, so held hosts do not stay in lock-step.
import { Logger } from '../lib/log.ts';
import type { Attrd, AttrdEntry, WriteOptions } from '../lib/pacemaker/attrd.ts';
import { sharedFencingHistory, type FenceEvent } from '../lib/pacemaker/fencing.ts';
import type { Ledger, LedgerEntry, LedgerState } from '../lib/pacemaker/ledger.ts';

export type Tool = 'attrd_updater' | 'cibadmin' | 'crm_attribute' | 'stonith_admin' | 'crm_mon';
export const TOOLS: readonly Tool[] = ['attrd_updater', 'cibadmin', 'crm_attribute', 'stonith_admin', 'crm_mon'];

export class Forks {
  readonly count = new Map<Tool, number>(TOOLS.map((t) => [t, 0]));
  /** The most forks of one tool running at once (since the last resetPeaks). */
  readonly peak = new Map<Tool, number>(TOOLS.map((t) => [t, 0]));
  private readonly running = new Map<Tool, number>(TOOLS.map((t) => [t, 0]));

  async run<T>(tool: Tool, answer: () => T): Promise<T> {
    this.count.set(tool, this.count.get(tool)! + 1);
    const now = this.running.get(tool)! + 1;
    this.running.set(tool, now);
    this.peak.set(tool, Math.max(this.peak.get(tool)!, now));
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 60));
    this.running.set(tool, this.running.get(tool)! - 1);
    return answer();
  }

  resetPeaks(): void {
    for (const t of TOOLS) this.peak.set(t, this.running.get(t)!);
  }
}

/** attrd over a Map; only what the worker calls (anything else fails: it would fork). */
export function memoryAttrd(forks: Forks, attrs = new Map<string, Map<string, string>>()): Attrd {
  const of = (name: string) => attrs.get(name) ?? attrs.set(name, new Map()).get(name)!;
  const node = (o: WriteOptions) => o.node ?? 'bench';
  const attrd: Pick<Attrd, 'query' | 'queryAll' | 'update' | 'remove'> = {
    query: (name, n) => forks.run('attrd_updater', () => of(name).get(n ?? 'bench')),
    queryAll: (name) => forks.run('attrd_updater', (): AttrdEntry[] => [...of(name)].map(([n, value]) => ({ node: n, value }))),
    update: (name, value, o = {}) => forks.run('attrd_updater', () => { of(name).set(node(o), value); }),
    remove: (name, o = {}) => forks.run('attrd_updater', () => { of(name).delete(node(o)); }),
  };
  return attrd as Attrd;
}

/** The ledger over a Map: reads are `cibadmin --query`, writes `crm_attribute`. */
export function memoryLedger(forks: Forks, entries = new Map<string, LedgerEntry>()): Ledger {
  const state = (): LedgerState => ({ entries: [...entries.values()], pause: undefined, confirmedOff: new Map() });
  const ledger: Pick<Ledger, 'read' | 'all' | 'get' | 'set'> = {
    read: () => forks.run('cibadmin', state),
    all: () => forks.run('cibadmin', () => state().entries),
    get: (host) => forks.run('cibadmin', () => entries.get(host)),
    set: (e) => forks.run('crm_attribute', () => { entries.set(e.host, e); }),
  };
  return ledger as Ledger;
}

/**
 * stonith_admin --history '*': a successful off just before the mark for each host in `fenced`,
 * read as NovaEvacuate's worker reads it (worker-main.ts: one read shared by the hosts asking together).
 */
export function memoryFencing(forks: Forks, fenced: ReadonlyMap<string, number>): (node: string) => Promise<FenceEvent[]> {
  return sharedFencingHistory(() => forks.run('stonith_admin', () =>
    [...fenced].map(([target, markedAt]) => ({ target, action: 'off', status: 'success', completed: markedAt - 1000 }))));
}

export const memoryOnlineNodes = (forks: Forks) => () => forks.run('crm_mon', () => new Set<string>());

/** A logger that writes nowhere and counts its lines by level (what reaches syslog, and debug). */
export class CountingLogger extends Logger {
  readonly lines = { error: 0, warning: 0, info: 0, debug: 0 };

  constructor() {
    super({ tag: 'bench', stderr: false, syslog: false });
  }

  override error(msg: string): void { this.lines.error++; super.error(msg); }
  override warning(msg: string): void { this.lines.warning++; super.warning(msg); }
  override info(msg: string): void { this.lines.info++; super.info(msg); }
  override debug(msg: string): void { this.lines.debug++; super.debug(msg); }
}
