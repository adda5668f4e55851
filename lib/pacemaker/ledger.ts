import { runChild } from '../child.ts';
import { elements } from './xml-attrs.ts';

// The durable evacuation ledger: one CIB cluster-property set, `instance-ha-evacuations`, one
// entry per Nova host. Unlike attrd's `evacuate` mark, the CIB is not wiped when a remote node
// is lost or reconnects, nor by a full cluster restart, and every node (remote ones through
// pacemaker-remoted) can read it. In the set:
//   evacuation-<host>   `<phase>@<epoch seconds>[@<by>]`, one per Nova host;
//   instance-ha-paused  `<epoch seconds>@<who>[@<reason>]` while evacuation is paused (instance-ha pause);
//   host-is-off-<host>  `<epoch seconds>@<who>[@<reason>]`: an operator confirmed the host is off
//                       (instance-ha evacuate --host-is-off), proof for a mark from that time on.
// The worker reads all of them in one cibadmin query per poll (read()).

export const LEDGER_SET = 'instance-ha-evacuations';
const PREFIX = 'evacuation-';
export const PAUSE_NAME = 'instance-ha-paused';
const OFF_PREFIX = 'host-is-off-';

/**
 * pending: fenced and marked, not yet taken; evacuating: a worker owns it; done: finished;
 * maintenance: drained on purpose (instance-ha maintenance), held from evacuation until its end.
 */
export type Phase = 'pending' | 'evacuating' | 'done' | 'maintenance';
const PHASES: readonly Phase[] = ['pending', 'evacuating', 'done', 'maintenance'];
/** The instances a maintenance drain moved away, per host (for `maintenance end --return-instances`). */
const MOVED_PREFIX = 'maintenance-instances-';

export interface LedgerEntry {
  host: string;
  phase: Phase;
  /** When this phase began (epoch seconds). */
  since: number;
  by?: string;
}

/** Who said something, when (a pause, a host confirmed off). */
export interface OperatorNote {
  /** Epoch seconds. */
  since: number;
  /** `user on host`. */
  by: string;
  reason?: string;
}

export interface LedgerState {
  entries: LedgerEntry[];
  /** Set while evacuation is paused cluster-wide. */
  pause: OperatorNote | undefined;
  /** The last operator confirmation that each host is off. */
  confirmedOff: Map<string, OperatorNote>;
}

export class LedgerError extends Error {
  override name = 'LedgerError';
}

export function encodeEntry(e: Omit<LedgerEntry, 'host'>): string {
  return [e.phase, String(Math.floor(e.since)), ...(e.by ? [e.by] : [])].join('@');
}

export function decodeEntry(host: string, value: string): LedgerEntry | undefined {
  const [phase, since, ...by] = value.split('@');
  const known = PHASES.find((p) => p === phase);
  if (!known) return undefined;
  const s = Number(since);
  if (!Number.isFinite(s)) return undefined;
  return { host, phase: known, since: s, ...(by.length ? { by: by.join('@') } : {}) };
}

/** `<epoch>@<by>[@<reason>]`; `@` cannot be in `by` (it is replaced), the reason may hold anything. */
export function encodeNote(n: OperatorNote): string {
  return [String(Math.floor(n.since)), n.by.replace(/@/g, '_'), ...(n.reason ? [n.reason] : [])].join('@');
}

export function decodeNote(value: string): OperatorNote | undefined {
  const [since, by, ...reason] = value.split('@');
  const s = Number(since);
  if (!since || !Number.isFinite(s) || !by) return undefined;
  return { since: s, by, ...(reason.length ? { reason: reason.join('@') } : {}) };
}

export interface LedgerOptions {
  timeoutMs?: number;
  /** The pause's name in the set (tests pause only their own worker). */
  pauseName?: string;
}

export class Ledger {
  private readonly timeoutMs: number;
  private readonly pauseName: string;

  constructor(options: LedgerOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.pauseName = options.pauseName ?? PAUSE_NAME;
  }

  async all(): Promise<LedgerEntry[]> {
    return (await this.read()).entries;
  }

  /** The entries, the pause and the confirmations, from one cibadmin query. */
  async read(): Promise<LedgerState> {
    const state: LedgerState = { entries: [], pause: undefined, confirmedOff: new Map() };
    for (const { name = '', value = '' } of await this.pairs()) {
      if (name.startsWith(PREFIX)) {
        const e = decodeEntry(name.slice(PREFIX.length), value);
        if (e) state.entries.push(e);
      } else if (name === this.pauseName) {
        state.pause = decodeNote(value);
      } else if (name.startsWith(OFF_PREFIX)) {
        const n = decodeNote(value);
        if (n) state.confirmedOff.set(name.slice(OFF_PREFIX.length), n);
      }
    }
    return state;
  }

  async get(host: string): Promise<LedgerEntry | undefined> {
    return (await this.all()).find((e) => e.host === host);
  }

  async set(entry: LedgerEntry): Promise<void> {
    await this.crmAttribute(['--update', encodeEntry(entry)], entry.host, `recording ${entry.host} as ${entry.phase}`);
  }

  /** Every nvpair of the ledger's set. */
  private async pairs(): Promise<Record<string, string>[]> {
    const r = await runChild('cibadmin', ['--query', '--scope', 'crm_config'], { timeoutMs: this.timeoutMs });
    if (r.timedOut) throw new LedgerError(`cibadmin: no answer within ${this.timeoutMs / 1000} s`);
    if (r.exitCode !== 0) throw new LedgerError(`cibadmin --query failed: ${r.stderr.trim().split('\n')[0] || `exit code ${r.exitCode}`}`);
    const set = new RegExp(`<cluster_property_set[^>]*id="${LEDGER_SET}"[^>]*>([\\s\\S]*?)</cluster_property_set>`).exec(r.stdout)?.[1] ?? '';
    return elements(set, 'nvpair');
  }

  async movedAway(host: string): Promise<string[]> {
    const v = (await this.pairs()).find((nv) => nv.name === `${MOVED_PREFIX}${host}`)?.value ?? '';
    return v.split(',').filter(Boolean);
  }

  async setMovedAway(host: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return this.crmAttribute(['--delete'], host, `forgetting what left ${host}`, MOVED_PREFIX);
    await this.crmAttribute(['--update', ids.join(',')], host, `recording what left ${host}`, MOVED_PREFIX);
  }

  /** For operators and tests: forget a host (its entry, an operator's confirmation that it is off, what left it in maintenance). */
  async remove(host: string): Promise<void> {
    await this.crmAttribute(['--delete'], host, `forgetting ${host}`);
    await this.crmAttribute(['--delete'], host, `forgetting ${host}`, OFF_PREFIX);
    await this.crmAttribute(['--delete'], host, `forgetting ${host}`, MOVED_PREFIX);
  }

  /** Evacuation paused cluster-wide from now on (instance-ha pause). */
  async setPause(note: OperatorNote): Promise<void> {
    await this.crmAttribute(['--update', encodeNote(note)], this.pauseName, 'pausing evacuation', '');
  }

  async clearPause(): Promise<void> {
    await this.crmAttribute(['--delete'], this.pauseName, 'resuming evacuation', '');
  }

  /** An operator's word that the host is off (instance-ha evacuate --host-is-off). */
  async confirmOff(host: string, note: OperatorNote): Promise<void> {
    await this.crmAttribute(['--update', encodeNote(note)], host, `recording ${host} as confirmed off`, OFF_PREFIX);
  }

  private async crmAttribute(args: string[], host: string, what: string, prefix = PREFIX): Promise<void> {
    const r = await runChild('crm_attribute', ['--type', 'crm_config', '--set-name', LEDGER_SET, '--name', `${prefix}${host}`, ...args], { timeoutMs: this.timeoutMs });
    if (r.timedOut) throw new LedgerError(`crm_attribute: ${what}: no answer within ${this.timeoutMs / 1000} s`);
    if (r.exitCode !== 0) throw new LedgerError(`crm_attribute: ${what} failed: ${r.stderr.trim().split('\n')[0] || `exit code ${r.exitCode}`}`);
  }
}
