import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';

// Linux BSD process accounting (acct(2)): the kernel appends one record per process that ends,
// in every namespace (a compute host's PID namespace included), with its command name and CPU
// time. That counts what a sampler of /proc misses: the short-lived agent runs and the forks.
// Switched on with acct(2) through Python's ctypes (Debian's `acct` package is not needed).

export interface ProcessRecord {
  /** The kernel's command name (15 characters at most). */
  comm: string;
  pid: number;
  ppid: number;
  /** User + system CPU seconds. */
  cpuSeconds: number;
  /** Seconds since the epoch the process started. */
  started: number;
}

const RECORD = 64; // struct acct_v3

/** Starts accounting into `file` (truncated); at most one file per machine: stop() before another. */
export function startAccounting(file: string): void {
  writeFileSync(file, '', { mode: 0o600 });
  acct(file);
}

export function stopAccounting(): void {
  acct(undefined);
}

function acct(file: string | undefined): void {
  const arg = file === undefined ? 'None' : JSON.stringify(file) + '.encode()';
  execFileSync('python3', ['-c', `import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.acct(${arg}) != 0: sys.exit("acct: " + os.strerror(ctypes.get_errno()))`], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** comp_t: 13-bit mantissa, 3-bit base-8 exponent, in ticks of 1/100 s (AHZ). */
const compT = (v: number) => (v & 0x1fff) << (3 * ((v >> 13) & 7));

/** The end of the last whole record: where the next read starts (without reading what came before). */
export function accountingEnd(file: string): number {
  return Math.floor(statSync(file).size / RECORD) * RECORD;
}

/** The records in the file between two byte offsets (a file read while accounting goes on ends on a record). */

export function readAccounting(file: string, from = 0, to?: number): { records: ProcessRecord[]; end: number } {
  const buf = readFileSync(file).subarray(from, to);
  const records: ProcessRecord[] = [];
  let at = 0;
  for (; at + RECORD <= buf.length; at += RECORD) {
    const r = buf.subarray(at, at + RECORD);
    if (((r[1] ?? 0) & 0x0f) !== 3) throw new Error(`${file}: not an acct v3 record at byte ${from + at}`);
    const comm = r.subarray(48, 64).toString('latin1').replace(/\0.*$/s, '');
    records.push({ comm, pid: r.readUInt32LE(16), ppid: r.readUInt32LE(20), started: r.readUInt32LE(24),
      cpuSeconds: (compT(r.readUInt16LE(32)) + compT(r.readUInt16LE(34))) / 100 });
  }
  return { records, end: from + at };
}

/** Processes and CPU seconds by command name. */
export function byCommand(records: ProcessRecord[]): Map<string, { count: number; cpuSeconds: number }> {
  const out = new Map<string, { count: number; cpuSeconds: number }>();
  for (const r of records) {
    const c = out.get(r.comm) ?? { count: 0, cpuSeconds: 0 };
    c.count++;
    c.cpuSeconds += r.cpuSeconds;
    out.set(r.comm, c);
  }
  return out;
}
