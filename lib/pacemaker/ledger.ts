import { runChild } from '../child.ts';
import { elements } from './xml-attrs.ts';

// The durable evacuation ledger: one CIB cluster-property set, `instance-ha-evacuations`, one
// entry per Nova host. Unlike attrd's `evacuate` mark, the CIB is not wiped when a remote node
// is lost or reconnects, nor by a full cluster restart, and every node (remote ones through
// pacemaker-remoted) can read it. Value: `<phase>@<epoch seconds>[@<by>]`.

export const LEDGER_SET = 'instance-ha-evacuations';
const PREFIX = 'evacuation-';

/** pending: fenced and marked, not yet taken; evacuating: a worker owns it; done: finished. */
export type Phase = 'pending' | 'evacuating' | 'done';

export interface LedgerEntry {
  host: string;
  phase: Phase;
  /** When this phase began (epoch seconds). */
  since: number;
  by?: string;
}

export class LedgerError extends Error {
  override name = 'LedgerError';
}

export function encodeEntry(e: Omit<LedgerEntry, 'host'>): string {
  return [e.phase, String(Math.floor(e.since)), ...(e.by ? [e.by] : [])].join('@');
}

export function decodeEntry(host: string, value: string): LedgerEntry | undefined {
  const [phase, since, ...by] = value.split('@');
  if (phase !== 'pending' && phase !== 'evacuating' && phase !== 'done') return undefined;
  const s = Number(since);
  if (!Number.isFinite(s)) return undefined;
  return { host, phase, since: s, ...(by.length ? { by: by.join('@') } : {}) };
}

export class Ledger {
  private readonly timeoutMs: number;

  constructor(timeoutMs = 15_000) {
    this.timeoutMs = timeoutMs;
  }

  async all(): Promise<LedgerEntry[]> {
    const r = await runChild('cibadmin', ['--query', '--scope', 'crm_config'], { timeoutMs: this.timeoutMs });
    if (r.timedOut) throw new LedgerError(`cibadmin: no answer within ${this.timeoutMs / 1000} s`);
    if (r.exitCode !== 0) throw new LedgerError(`cibadmin --query failed: ${r.stderr.trim().split('\n')[0] || `exit code ${r.exitCode}`}`);
    const set = new RegExp(`<cluster_property_set[^>]*id="${LEDGER_SET}"[^>]*>([\\s\\S]*?)</cluster_property_set>`).exec(r.stdout)?.[1] ?? '';
    return elements(set, 'nvpair')
      .filter((nv) => nv.name?.startsWith(PREFIX))
      .map((nv) => decodeEntry((nv.name ?? '').slice(PREFIX.length), nv.value ?? ''))
      .filter((e): e is LedgerEntry => e !== undefined);
  }

  async get(host: string): Promise<LedgerEntry | undefined> {
    return (await this.all()).find((e) => e.host === host);
  }

  async set(entry: LedgerEntry): Promise<void> {
    await this.crmAttribute(['--update', encodeEntry(entry)], entry.host, `recording ${entry.host} as ${entry.phase}`);
  }

  /** For operators and tests: forget a host. */
  async remove(host: string): Promise<void> {
    await this.crmAttribute(['--delete'], host, `forgetting ${host}`);
  }

  private async crmAttribute(args: string[], host: string, what: string): Promise<void> {
    const r = await runChild('crm_attribute', ['--type', 'crm_config', '--set-name', LEDGER_SET, '--name', `${PREFIX}${host}`, ...args], { timeoutMs: this.timeoutMs });
    if (r.timedOut) throw new LedgerError(`crm_attribute: ${what}: no answer within ${this.timeoutMs / 1000} s`);
    if (r.exitCode !== 0) throw new LedgerError(`crm_attribute: ${what} failed: ${r.stderr.trim().split('\n')[0] || `exit code ${r.exitCode}`}`);
  }
}
